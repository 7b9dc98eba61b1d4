#!/usr/bin/env python3
"""Differential run: the shipped rule pack (through `safeguard batch`) against oracle.py.

    run.py --safeguard BUILD/safeguard [--count N] [--seed S]
           [--examples] [--bench-gen BUILD/bench/gen_cases --bench-count N]
           [--known FILE] [--show K]

Generated cases (gen.py) are grouped by as-of date, one batch run per date. Results are
compared on three things: the raised flags, the undetermined rules (kind "rule"), and the
level. Each raised flag is also checked for a message without unknown parts and for a
recommended action with an owner and a due date, and, for flags whose facts list item
ids, for listing exactly the items that raise it on their own. Exit status 1 when a disagreement is not
listed in the known-differences file.
"""

import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import gen  # noqa: E402
import oracle  # noqa: E402

DEFAULT_AS_OF = "2024-06-03"


def run_engine(safeguard, rules, as_of, cases):
    """Evaluate `cases` (list of dicts) as of `as_of`; one result dict per case."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.jsonl")
        out = os.path.join(tmp, "out.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            for c in cases:
                f.write(json.dumps(c) + "\n")
        p = subprocess.run([safeguard, "batch", "--rules", rules, "--as-of", as_of,
                            "--error-lines", "--quiet", "--no-progress", "--jobs", "2",
                            src, "-o", out], capture_output=True, text=True)
        if p.returncode == 2:
            sys.exit("safeguard batch failed: " + p.stderr.strip())
        with open(out, encoding="utf-8") as f:
            lines = [json.loads(x) for x in f if x.strip()]
    if len(lines) != len(cases):
        sys.exit("safeguard batch gave %d results for %d cases" % (len(lines), len(cases)))
    return lines


def engine_view(res):
    if "errors" in res:
        return None
    raised = {f["id"] for f in res.get("flags", [])}
    und = {u["id"] for u in res.get("undetermined", []) if u.get("kind") == "rule"}
    return raised, und, res["level"]["id"]


def compare(label, snap, as_of, res):
    """A list of (flag-or-'level', description) disagreements for one case."""
    ev = engine_view(res)
    if ev is None:
        return [("engine-error", "%s: engine could not evaluate: %s" % (label, res["errors"]))]
    o_raised, o_und, o_level = oracle.evaluate(snap, as_of)
    e_raised, e_und, e_level = ev
    out = []

    def state(fid, raised, und):
        return "raised" if fid in raised else ("undetermined" if fid in und else "not raised")

    for fid in sorted((o_raised | o_und | e_raised | e_und)):
        o, e = state(fid, o_raised, o_und), state(fid, e_raised, e_und)
        if o != e:
            out.append((fid, "%s as of %s: oracle %s, pack %s" % (label, as_of, o, e)))
    out.extend(check_flag_shape(label, as_of, res))
    for f in res.get("flags", []):
        if f["id"] not in o_raised:
            continue
        want = oracle.raising_ids(snap, as_of, f["id"])
        for fact, ids in (want or {}).items():
            got = f.get("facts", {}).get(fact)
            got = sorted(got) if isinstance(got, list) else got
            if got != ids:
                out.append((f["id"], "%s as of %s: facts.%s: oracle %s, pack %s"
                            % (label, as_of, fact, ids, got)))
    if o_level != e_level:
        out.append(("level", "%s as of %s: oracle %s, pack %s" % (label, as_of, o_level,
                                                                 e_level)))
    return out


def check_flag_shape(label, as_of, res):
    """findings.md: each flag carries a plain-English message naming the facts behind it,
    and at least one recommended action with an owner role and a due date."""
    out = []
    actions = {x["id"]: x for x in res.get("actions", [])}
    for f in res.get("flags", []):
        fid = f["id"]
        why = []
        if not f.get("message") or "(unknown)" in f["message"]:
            why.append("message empty or with an unknown part")
        if not f.get("actions"):
            why.append("no recommended action")
        for aid in f.get("actions", []):
            x = actions.get(aid, {})
            if not x.get("owner") or not x.get("due"):
                why.append("action %s without owner or due date" % aid)
        if why:
            out.append((fid, "%s as of %s: %s" % (label, as_of, "; ".join(why))))
    return out


def relevant(snap, fid):
    """A short description of the records a flag reads, for a disagreement report."""
    pick = {
        "front-door": ["contacts"], "cumulative-harm": ["contacts"],
        "strategy": ["contacts", "strategy_discussions"],
        "s47": ["s47_enquiries", "strategy_discussions", "conferences"],
        "assessment": ["assessments", "contacts", "episode"],
        "plan": ["plans"], "cp": ["plans", "visits", "legal"], "legal": ["legal"],
        "workforce": ["episode", "worker_history", "allocated_worker"],
        "oversight": ["episode", "supervision", "contacts", "plans"],
        "disabled": ["child"], "level": ["child", "contacts", "plans", "s47_enquiries"],
    }.get(fid.split(".")[0], list(snap))
    return json.dumps({k: snap[k] for k in pick if k in snap}, sort_keys=True)


def load_known(path):
    """Known differences: lines `CASE-LABEL FLAG  reason`; '#' starts a comment."""
    known = {}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    parts = line.split(None, 2)
                    if len(parts) < 3:
                        sys.exit("%s: each entry needs a case, a flag and a reason" % path)
                    known[(parts[0], parts[1])] = parts[2]
    return known


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--safeguard", required=True)
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules"))
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--examples", action="store_true", help="also run examples/cases/*.json")
    ap.add_argument("--bench-gen", help="path to bench/gen_cases: also run its corpus")
    ap.add_argument("--bench-count", type=int, default=2000)
    ap.add_argument("--known", default=os.path.join(HERE, "known-differences.txt"))
    ap.add_argument("--show", type=int, default=3, help="disagreements shown per flag")
    ap.add_argument("--verbose", action="store_true", help="print the records concerned")
    ap.add_argument("--stats", action="store_true",
                    help="print how often the oracle raised each flag, left it undetermined "
                         "or not raised it (how well the cases exercise it)")
    args = ap.parse_args()

    # (label, snapshot, as_of)
    cases = []
    for n, (snap, a) in enumerate(gen.generate(args.count, args.seed)):
        cases.append(("gen:%d:%d" % (args.seed, n), snap, a))
    if args.examples:
        for path in sorted(glob.glob(os.path.join(ROOT, "examples", "cases", "*.json"))):
            with open(path, encoding="utf-8") as f:
                snap = json.load(f)
            a = snap.get("as_of", DEFAULT_AS_OF) if isinstance(snap.get("as_of"), str) \
                else DEFAULT_AS_OF
            cases.append(("example:" + os.path.basename(path), snap, a))
    if args.bench_gen:
        p = subprocess.run([args.bench_gen, "--count", str(args.bench_count), "--seed", "1",
                            "--as-of", DEFAULT_AS_OF], capture_output=True, text=True,
                           check=True)
        for n, line in enumerate(x for x in p.stdout.splitlines() if x.strip()):
            cases.append(("bench:%d" % n, json.loads(line), DEFAULT_AS_OF))

    by_date = collections.defaultdict(list)
    for i, (_, _, a) in enumerate(cases):
        by_date[a].append(i)
    results = [None] * len(cases)
    for a, idx in sorted(by_date.items()):
        for i, res in zip(idx, run_engine(args.safeguard, args.rules, a,
                                          [cases[i][1] for i in idx])):
            results[i] = res

    known = load_known(args.known)
    per_flag = collections.defaultdict(list)
    unexplained = 0
    for (label, snap, a), res in zip(cases, results):
        for fid, text in compare(label, snap, a, res):
            is_known = (label, fid) in known
            unexplained += 0 if is_known else 1
            per_flag[fid].append((text + (" [known]" if is_known else ""), snap))

    if args.stats:
        seen = collections.defaultdict(collections.Counter)
        for label, snap, a in cases:
            r, u, lvl = oracle.evaluate(snap, a)
            for fid in oracle.FLAGS:
                seen[fid]["raised" if fid in r else "undetermined" if fid in u else "not"] += 1
            seen["level"][lvl] += 1
        print("oracle outcomes over the cases (raised / undetermined / not raised):")
        for fid in oracle.FLAGS:
            c = seen[fid]
            print("  %-42s %5d %5d %5d" % (fid, c["raised"], c["undetermined"], c["not"]))
        print("  levels: " + ", ".join("%s %d" % kv for kv in sorted(seen["level"].items())))

    kinds = collections.Counter(label.split(":")[0] for label, _, _ in cases)
    print("compared %d cases (%s) on %d as-of dates" % (
        len(cases), ", ".join("%s %d" % kv for kv in sorted(kinds.items())), len(by_date)))
    if not per_flag:
        print("no disagreements")
        return 0
    for fid in sorted(per_flag):
        items = per_flag[fid]
        print("\n%s: %d disagreement(s)" % (fid, len(items)))
        for text, snap in items[:args.show]:
            print("  " + text)
            if args.verbose:
                print("    " + relevant(snap, fid))
    print("\n%d disagreement(s), %d not in %s" % (
        sum(len(v) for v in per_flag.values()), unexplained, os.path.relpath(args.known, ROOT)))
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
