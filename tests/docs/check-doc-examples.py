#!/usr/bin/env python3
"""Checks that the examples in docs/*.md work as the text around them says.

Every fenced code block of docs/*.md is an example of one kind, and each kind is checked
its own way. The kind comes from an HTML comment on the line just before the opening
fence (the comment does not show when the Markdown is rendered):

    <!-- example: KIND key=value ... -->

or, without a comment, from the fence's language: `console` and `json` blocks are checked
as those kinds, `c` and `cpp` blocks as complete programs. Every other block needs a
comment; a block that cannot be checked says so and why, `<!-- example: unchecked:
REASON -->`. Keep those few. The kinds:

  console             `$ safeguard ...` lines (continued with a trailing `\\`), each followed
                      by its output (standard output and error together). The commands are
                      run from the source folder and their output compared line by line: a
                      line `...` stands for any number of lines, and `…` in a line for any
                      text. Optional rc=N: the exit code of every command (default: any).
  commands            Each line is a `safeguard` command (a `# comment` after it is
                      dropped), run in a scratch folder that sees rules/, tests/ and
                      examples/ and holds case.json and cases.jsonl (example cases); each
                      must exit with rc=N (default 0). A line that is not a safeguard
                      command is an error unless not-run="LINE START" names it.
  output              The block is part of what cmd="safeguard ..." prints, run in cwd=DIR
                      (default: the source folder): its lines appear there in order, with
                      `...` and `…` as for console; rename=OLD:NEW replaces OLD in the output
                      first (a path of the test data by the one the text uses).
  check-output        The block is part of what `safeguard check DIR/` prints for in=DIR with
                      one edit=FILE:LINE:OLD:NEW applied (a mistake made in a copy).
  tree                A folder listing: the file names that begin its lines (ending .yaml,
                      .yml or .json; a description may follow them) exist under of=DIR.
  cel                 One CEL expression per line (`// comments` dropped), each evaluated by
                      `safeguard expr` with vars=JSON and as-of=DATE; each must give a value.
  rule-file           A rule file, loaded with `safeguard check` (errors fail, warnings do not)
                      beside a minimal manifest and the shipped schema, and with=NAME's
                      declarations (tests/docs/context/NAME.yaml) when the example uses names
                      it does not declare. wrap=rule puts a fragment of a rule's keys into a
                      rule (id, title and severity added; `when: true` unless given);
                      wrap=rules puts `- id:` items under `rules:`.
  manifest            A ruleset.yaml, loaded in place of the manifest of a copy of in=DIR,
                      to which add=FROM:TO,... copies more folders (FROM in the source tree).
  test-file           A rule test file, run by `safeguard test RULES FILE` with rules=DIR;
                      every test must pass.
  excerpt             The block is part of the file of=PATH: each of its lines appears there,
                      in the same order (comments and blank lines aside; the file may have
                      lines the example leaves out, and a line `...` says so).
  json                Valid JSON; `fragment` (a key and its value) is wrapped in braces;
                      with cmd="safeguard ...", it is what the command prints (at=PATH: one
                      of the values there, e.g. /undetermined[]; match=part: keys and list
                      items may be left out);
                      `result` must also have the keys and key order of a real result of
                      `safeguard eval --format json`; result-part=PATH (e.g. /undetermined[])
                      the same for an object found at PATH in results.
  c, cpp              A complete program, compiled (syntax and types) against the headers;
                      wrap=NAME puts a fragment in place of the line of tests/docs/wrap/NAME.c
                      or .cpp that says @EXAMPLE@. A line `...` stands for code left out.
  python              Compiled; run, when the library is given, with safeguard_ctypes on
                      the path, /opt/safeguard paths read as the build tree's.
  unchecked: REASON   Not checked, for the reason given.

Values stated in a doc's text, outside code blocks ("`add_years(date("2024-02-29"), 1)` is
2025-02-28"), are listed in tests/docs/cel-claims.txt and checked the same way.

Usage: check-doc-examples.py --safeguard BIN --source DIR [--cc CC] [--cxx CXX]
       [--include DIR]... [--library LIB] [--docs DIR] [-v] [--expect-all-to-fail]
"""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading

FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*example:\s*(.*?)\s*-->\s*$")
MINIMAL_MANIFEST = """ruleset: docs-example
version: "1"
levels: [universal, early_help, child_in_need, child_protection]
schema: schema/case-snapshot.schema.json
"""
DEFAULT_KIND = {"console": "console", "json": "json", "c": "c", "cpp": "cpp"}


class Block:
    def __init__(self, doc, line, lang, text, marker):
        self.doc, self.line, self.lang, self.text = doc, line, lang, text
        self.kind, self.attrs, self.reason = None, {}, ""
        spec = marker if marker is not None else DEFAULT_KIND.get(lang)
        if spec is None:
            return
        if spec.startswith("unchecked"):
            self.kind = "unchecked"
            self.reason = spec[len("unchecked"):].lstrip(":").strip()
            return
        words = shlex.split(spec)
        self.kind = words[0]
        for w in words[1:]:
            key, _, value = w.partition("=")
            self.attrs[key] = value

    def where(self):
        return f"{self.doc}:{self.line}"


def read_blocks(path, name):
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3)
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        body = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in lines[i + 1:j]]
        k = i - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        marker = None
        if k >= 0:
            mm = MARKER.match(lines[k])
            if mm:
                marker = mm.group(1)
        blocks.append(Block(name, i + 1, lang, "\n".join(body) + "\n", marker))
        i = j + 1
    return blocks


def line_matches(expected, actual):
    if "…" in expected:
        pattern = ".*".join(re.escape(p) for p in expected.split("…"))
        return re.fullmatch(pattern, actual) is not None
    return expected == actual


def lines_match(expected, actual):
    """expected may hold `...` lines (any number of lines) and `…` (any text in a line)."""
    expected = [l.rstrip() for l in expected]
    actual = [l.rstrip() for l in actual]
    memo = {}

    def go(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(expected):
            r = j == len(actual)
        elif expected[i].strip() == "...":
            r = any(go(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            r = j < len(actual) and line_matches(expected[i], actual[j]) and go(i + 1, j + 1)
        memo[(i, j)] = r
        return r

    return go(0, 0)


def strip_comment(line):
    """A YAML line without its comment and trailing spaces (a `#` after a space, outside quotes)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def values_at(value, path):
    """The values at a path like /flags[]/facts ("[]": every element of a list)."""
    values = [value]
    for step in filter(None, re.split(r"/", path)):
        key, every = (step[:-2], True) if step.endswith("[]") else (step, False)
        values = [v[key] for v in values if isinstance(v, dict) and key in v]
        if every:
            values = [x for v in values if isinstance(v, list) for x in v]
    return values


def json_part(doc, actual):
    """doc is part of actual: an object's keys with matching values, a list's items in order."""
    if isinstance(doc, dict):
        return isinstance(actual, dict) and all(k in actual and json_part(v, actual[k]) for k, v in doc.items())
    if isinstance(doc, list):
        if not isinstance(actual, list):
            return False
        i = 0
        for item in doc:
            while i < len(actual) and not json_part(item, actual[i]):
                i += 1
            if i == len(actual):
                return False
            i += 1
        return True
    return doc == actual and type(doc) is type(actual)


def show(label, text):
    return f"--- {label}\n{text.rstrip()}\n"


class Checker:
    def __init__(self, args):
        self.args = args
        self.src = os.path.abspath(args.source)
        self.tmp = tempfile.mkdtemp(prefix="safeguard-docs-")
        self.counter = 0
        self.lock = threading.RLock()
        self.shapes = None

    def scratch(self, name):
        with self.lock:
            self.counter += 1
        path = os.path.join(self.tmp, f"{self.counter}-{name}")
        os.makedirs(path)
        return path

    def run(self, argv, cwd, env=None, stderr=subprocess.STDOUT):
        p = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, env=env,
                           timeout=120)
        return p.returncode, p.stdout.decode("utf-8", "replace")

    def safeguard(self, words):
        if not words or words[0] != "safeguard":
            raise ValueError(f"not a safeguard command: {' '.join(words)}")
        return [self.args.safeguard] + words[1:]

    def check(self, b):
        try:
            return getattr(self, "check_" + b.kind.replace("-", "_"))(b)
        except Exception as e:  # a marker the checker cannot follow is a failure, not a crash
            return f"cannot check: {type(e).__name__}: {e}"

    # --- commands and their output

    def check_console(self, b):
        commands = []
        for line in b.text.rstrip("\n").split("\n"):
            if line.startswith("$ "):
                commands.append([line[2:], []])
            elif commands and commands[-1][0].endswith("\\") and not commands[-1][1]:
                commands[-1][0] = commands[-1][0][:-1] + " " + line.strip()
            elif commands:
                commands[-1][1].append(line)
            else:
                return f"output before the first `$ ` command: {line}"
        errors = []
        for command, expected in commands:
            rc, out = self.run(self.safeguard(shlex.split(command)), self.src)
            if "rc" in b.attrs and rc != int(b.attrs["rc"]):
                errors.append(f"`{command}` exited with {rc}, not {b.attrs['rc']}\n{out}")
            elif not lines_match(expected, out.rstrip("\n").split("\n")):
                errors.append(f"`{command}` printed other text\n" + show("doc", "\n".join(expected))
                              + show("actual", out))
        return "\n".join(errors) or None

    def sandbox(self):
        d = self.scratch("cwd")
        for name in ("rules", "tests", "examples"):
            os.symlink(os.path.join(self.src, name), os.path.join(d, name))
        os.makedirs(os.path.join(d, "build"))
        cases = os.path.join(self.src, "examples", "cases")
        shutil.copy(os.path.join(cases, "01-front-door-delay.json"), os.path.join(d, "case.json"))
        with open(os.path.join(d, "cases.jsonl"), "w") as out:
            for name in sorted(os.listdir(cases)):
                out.write(json.dumps(json.load(open(os.path.join(cases, name)))) + "\n")
        return d

    def check_commands(self, b):
        want = int(b.attrs.get("rc", "0"))
        errors = []
        for line in b.text.split("\n"):
            command = re.sub(r"\s+#.*$", "", line).strip()
            if not command or ("not-run" in b.attrs and command.startswith(b.attrs["not-run"])):
                continue
            rc, out = self.run(self.safeguard(shlex.split(command)), self.sandbox())
            if rc != want:
                errors.append(f"`{command}` exited with {rc}, not {want}\n{out}")
        return "\n".join(errors) or None

    def check_output(self, b):
        cwd = os.path.join(self.src, b.attrs.get("cwd", "."))
        _, out = self.run(self.safeguard(shlex.split(b.attrs["cmd"])), cwd)
        for rename in filter(None, [b.attrs.get("rename")]):
            old, new = rename.split(":", 1)
            out = out.replace(old, new)
        expected = ["..."] + b.text.rstrip("\n").split("\n") + ["..."]
        if not lines_match(expected, out.rstrip("\n").split("\n")):
            return f"`{b.attrs['cmd']}` printed other text\n" + show("doc", b.text) + show("actual", out)
        return None

    def check_tree(self, b):
        names = []
        for line in b.text.split("\n")[1:]:
            for word in line.split():  # the names lead the line; a description may follow
                if not re.fullmatch(r"[\w./-]+\.(yaml|yml|json)", word):
                    break
                names.append(word)
        missing = [n for n in names if not os.path.exists(os.path.join(self.src, b.attrs["of"], n))]
        return f"not under {b.attrs['of']}: {', '.join(missing)}" if missing else None

    def check_check_output(self, b):
        parent = self.scratch("check")
        name = os.path.basename(b.attrs["in"].rstrip("/"))
        shutil.copytree(os.path.join(self.src, b.attrs["in"]), os.path.join(parent, name))
        file, line, old, new = b.attrs["edit"].split(":", 3)
        path = os.path.join(parent, name, file)
        lines = open(path, encoding="utf-8").read().split("\n")
        if old not in lines[int(line) - 1]:
            return f"edit: line {line} of {file} has no '{old}'"
        lines[int(line) - 1] = lines[int(line) - 1].replace(old, new, 1)
        open(path, "w", encoding="utf-8").write("\n".join(lines))
        _, out = self.run([self.args.safeguard, "check", name + "/"], parent)
        expected = ["..."] + b.text.rstrip("\n").split("\n") + ["..."]
        if not lines_match(expected, out.rstrip("\n").split("\n")):
            return "safeguard check printed other text\n" + show("doc", b.text) + show("actual", out)
        return None

    def check_cel(self, b):
        errors = []
        for line in b.text.split("\n"):
            expr = re.sub(r"\s//\s.*$", "", line).strip()
            if not expr:
                continue
            argv = [self.args.safeguard, "expr"]
            if "vars" in b.attrs:
                argv += ["--vars", b.attrs["vars"]]
            if "as-of" in b.attrs:
                argv += ["--as-of", b.attrs["as-of"]]
            rc, out = self.run(argv + ["--", expr], self.src)
            if rc != 0:
                errors.append(f"`{expr}` gives no value\n{out}")
        return "\n".join(errors) or None

    # --- rule sets

    def load(self, d):
        rc, out = self.run([self.args.safeguard, "check", d], self.src)
        if rc != 0:
            return out.replace(d + "/", "").replace(d, "<example>")
        return None

    def check_rule_file(self, b):
        d = self.scratch("ruleset")
        open(os.path.join(d, "ruleset.yaml"), "w").write(MINIMAL_MANIFEST)
        shutil.copytree(os.path.join(self.src, "rules", "schema"), os.path.join(d, "schema"))
        for name in filter(None, b.attrs.get("with", "").split(",")):
            shutil.copy(os.path.join(self.src, "tests", "docs", "context", name + ".yaml"),
                        os.path.join(d, "context-" + name + ".yaml"))
        text = textwrap.dedent(b.text)
        wrap = b.attrs.get("wrap")
        if wrap == "rule":
            head = "  - id: docs.example\n    title: Example\n    severity: low\n"
            if not re.search(r"^when:", text, re.M):
                head += "    when: 'true'\n"
            text = "rules:\n" + head + textwrap.indent(text, "    ")
        elif wrap == "rules":
            text = "rules:\n" + textwrap.indent(text, "  ")
        elif wrap:
            return f"unknown wrap={wrap}"
        open(os.path.join(d, "example.yaml"), "w").write(text)
        return self.load(d)

    def check_manifest(self, b):
        d = os.path.join(self.scratch("manifest"), "ruleset")
        shutil.copytree(os.path.join(self.src, b.attrs["in"]), d)
        for pair in filter(None, b.attrs.get("add", "").split(",")):
            source, target = pair.split(":")
            shutil.copytree(os.path.join(self.src, source), os.path.join(d, target))
        open(os.path.join(d, "ruleset.yaml"), "w").write(b.text)
        return self.load(d)

    def check_test_file(self, b):
        path = os.path.join(self.scratch("test"), "example.test.yaml")
        open(path, "w").write(b.text)
        rc, out = self.run([self.args.safeguard, "test", os.path.join(self.src, b.attrs["rules"]), path],
                           self.src)
        return None if rc == 0 else out

    def check_excerpt(self, b):
        path = b.attrs["of"]
        lines = b.text.rstrip("\n").split("\n")
        if lines and re.fullmatch(r"#\s*\S+", lines[0]) and path.endswith(lines[0].lstrip("# ")):
            lines = lines[1:]
        wanted = list(filter(None, map(strip_comment, lines)))
        have = list(filter(None, map(strip_comment, open(os.path.join(self.src, path), encoding="utf-8"))))
        i = 0
        for line in wanted:
            if line.strip() == "...":
                continue
            while i < len(have) and have[i] != line:
                i += 1
            if i == len(have):
                return f"this line is not in {path} (after the lines before it):\n{line}"
            i += 1
        return None

    # --- JSON

    def check_json(self, b):
        text = b.text
        if "fragment" in b.attrs:
            text = "{" + text + "}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            return f"not valid JSON: {e}"
        if "cmd" in b.attrs:
            _, out = self.run(self.safeguard(shlex.split(b.attrs["cmd"])), self.src, stderr=subprocess.DEVNULL)
            candidates = values_at(json.loads(out), b.attrs.get("at", ""))
            same = json_part if b.attrs.get("match") == "part" else (lambda a, b: a == b)
            if not any(same(value, c) for c in candidates):
                return (f"not what `{b.attrs['cmd']}` gives (at {b.attrs.get('at') or '/'})\n"
                        + show("actual", "\n".join(json.dumps(c, indent=2) for c in candidates)))
        if "result" in b.attrs or "result-part" in b.attrs:
            return self.result_shape(value, b.attrs.get("result-part", ""))
        return None

    def result_shape(self, doc, at):
        with self.lock:
            if self.shapes is None:
                self.shapes = self.result_shapes()
        return self.compare_shape(doc, at, self.shapes)

    def result_shapes(self):
        """For each place in results (e.g. /flags[]), their keys in the order results give them."""
        argv = [self.args.safeguard, "eval", "--rules", "rules", "--as-of", "2024-06-03",
                "--format", "json", "--explain"]
        shapes = {}

        def collect(v, path):
            if isinstance(v, dict):
                shapes.setdefault(path, [])
                for k, x in v.items():
                    if k not in shapes[path]:
                        shapes[path].append(k)
                    collect(x, path + "/" + k)
            elif isinstance(v, list):
                for x in v:
                    collect(x, path + "[]")

        runs = [(argv, "examples/cases/" + case)
                for case in sorted(os.listdir(os.path.join(self.src, "examples", "cases")))]
        demo = argv[:3] + ["tests/docs/demo"] + argv[4:]
        runs += [(demo, "tests/docs/demo/cases/" + case)
                 for case in sorted(os.listdir(os.path.join(self.src, "tests", "docs", "demo", "cases")))]
        for command, case in runs:
            rc, out = self.run(command + [case], self.src, stderr=subprocess.DEVNULL)
            if rc == 0:
                collect(json.loads(out), "")
        not_object = os.path.join(self.scratch("result"), "not-object.json")
        open(not_object, "w").write("[]")
        _, out = self.run(argv + [not_object], self.src, stderr=subprocess.DEVNULL)
        collect(json.loads(out), "!errors")
        return shapes

    def compare_shape(self, doc, at, shapes):
        errors = []

        def compare(v, path):
            if isinstance(v, dict):
                known = shapes.get(path)
                if known is None:
                    errors.append(f"{path or '/'}: no result has an object here")
                    return
                order = [known.index(k) if k in known else -1 for k in v]
                for k in v:
                    if k not in known:
                        errors.append(f"{path}/{k}: not a key of results (they have {', '.join(known)})")
                if order != sorted(order):
                    errors.append(f"{path or '/'}: keys {', '.join(v)} are not in the order results give "
                                  f"them ({', '.join(k for k in known if k in v)})")
                for k, x in v.items():
                    compare(x, path + "/" + k)
            elif isinstance(v, list):
                for x in v:
                    compare(x, path + "[]")

        compare(doc, "!errors" if not at and isinstance(doc, dict) and "errors" in doc else at)
        return "\n".join(errors) or None

    # --- programs

    def program(self, b, lang):
        text = re.sub(r"(?m)^(\s*)\.\.\.\s*$", r"\1/* ... */", b.text)
        if "wrap" in b.attrs:
            wrapper = open(os.path.join(self.src, "tests", "docs", "wrap", b.attrs["wrap"] + "." + lang)).read()
            text = re.sub(r"(?m)^.*@EXAMPLE@.*$", lambda _: text, wrapper)
        path = os.path.join(self.scratch("program"), "example." + lang)
        open(path, "w").write(text)
        compiler = self.args.cxx if lang == "cpp" else self.args.cc
        std = "-std=c++17" if lang == "cpp" else "-std=c11"
        argv = [compiler, std, "-fsyntax-only"] + [f"-I{i}" for i in self.args.include] + [path]
        rc, out = self.run(argv, self.src)
        return None if rc == 0 else out

    def check_cpp(self, b):
        return self.program(b, "cpp")

    def check_c(self, b):
        return self.program(b, "c")

    def check_python(self, b):
        try:
            compile(b.text, b.where(), "exec")
        except SyntaxError as e:
            return f"not valid Python: {e}"
        if not self.args.library:
            return None
        d = self.scratch("python")
        shutil.copy(os.path.join(self.src, "examples", "cases", "01-front-door-delay.json"),
                    os.path.join(d, "case.json"))
        text = b.text.replace("/opt/safeguard/share/safeguard/rules", os.path.join(self.src, "rules"))
        open(os.path.join(d, "example.py"), "w").write(text)
        env = dict(os.environ, SAFEGUARD_LIBRARY=self.args.library,
                   PYTHONPATH=os.path.join(self.src, "examples", "embed-python"))
        rc, out = self.run([sys.executable, "example.py"], d, env)
        return None if rc == 0 else out


def claim_failures(checker, src, docs):
    """The claims of cel-claims.txt that do not hold (or whose expression left the doc)."""
    failures, count = [], 0
    path = os.path.join(src, "tests", "docs", "cel-claims.txt")
    variables = '{"c": true, "x": 1, "xs": [1, 2, 3], "codes": {"a": "x", "b": "y"}}'
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        doc, expr, want = (part.strip() for part in line.split(" | "))
        where = f"cel-claims.txt:{number}"
        count += 1
        if "`" + expr + "`" not in open(os.path.join(docs, doc), encoding="utf-8").read():
            failures.append((where, f"{doc} no longer has `{expr}`"))
            continue
        _, out = checker.run([checker.args.safeguard, "expr", "--as-of", "2024-06-03", "--vars", variables,
                              "--", expr], src)
        got = out.strip()
        ok = want in got.split("\n")[0] if want.startswith("[") else got == want
        if not ok:
            failures.append((where, f"`{expr}` gives {got.splitlines()[0] if got else 'nothing'}, "
                                    f"not {want}"))
    return failures, count


def main():
    p = argparse.ArgumentParser(description="Checks the examples in docs/*.md.")
    p.add_argument("--safeguard", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--docs", help="folder of .md files (default: SOURCE/docs)")
    p.add_argument("--cc", default="cc")
    p.add_argument("--cxx", default="c++")
    p.add_argument("--include", action="append", default=[])
    p.add_argument("--library")
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("--expect-all-to-fail", action="store_true",
                   help="the checker's own test: succeed only if every example fails")
    args = p.parse_args()
    args.safeguard = os.path.abspath(args.safeguard)
    args.include = [os.path.abspath(i) for i in args.include]
    docs = args.docs or os.path.join(args.source, "docs")
    blocks = []
    for name in sorted(os.listdir(docs)):
        if name.endswith(".md"):
            blocks += read_blocks(os.path.join(docs, name), name)
    checker = Checker(args)
    failures = []
    for b in blocks:
        if b.kind is None:
            failures.append((b, f"a ```{b.lang} block needs an <!-- example: KIND --> comment"))
        elif b.kind == "unchecked" and not b.reason:
            failures.append((b, "unchecked needs a reason: <!-- example: unchecked: REASON -->"))
        elif b.kind != "unchecked" and not hasattr(checker, "check_" + b.kind.replace("-", "_")):
            failures.append((b, f"unknown kind '{b.kind}'"))
    todo = [b for b in blocks if b.kind and b.kind != "unchecked" and not any(f[0] is b for f in failures)]
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for b, error in zip(todo, pool.map(lambda b: checker.check(b), todo)):
                if error:
                    failures.append((b, error))
                elif args.verbose:
                    print(f"ok   {b.where()} {b.kind}")
    finally:
        shutil.rmtree(checker.tmp, ignore_errors=True)
    for b, error in sorted(failures, key=lambda f: (f[0].doc, f[0].line)):
        print(f"FAIL {b.where()} ({b.kind or b.lang or 'no kind'}): {error.rstrip()}\n")
    claims, stated = ([], 0) if args.docs else claim_failures(checker, checker.src, docs)
    for where, error in claims:
        print(f"FAIL {where}: {error}\n")
    unchecked = sum(1 for b in blocks if b.kind == "unchecked")
    print(f"{len(blocks)} examples: {len(todo)} checked, {unchecked} marked unchecked, "
          f"{len(failures)} failed; {stated} values stated in the text, {len(claims)} wrong")
    if args.expect_all_to_fail:
        failed = {id(f[0]) for f in failures}
        passed = [b for b in blocks if id(b) not in failed]
        for b in passed:
            print(f"NOT CAUGHT {b.where()} ({b.kind}): this wrong example passed")
        return 1 if passed or not blocks else 0
    return 1 if failures or claims else 0


if __name__ == "__main__":
    sys.exit(main())
