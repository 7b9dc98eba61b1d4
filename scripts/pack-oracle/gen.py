#!/usr/bin/env python3
"""Boundary-hostile safeguarding-case/1 snapshots, deterministic by seed.

Each case comes with its own as-of date A, drawn from dates around weekends, Easter,
Christmas and New Year bank holidays, month ends and 29 February. Every dated record is
placed so that the due date it drives lands the day before, on, or the day after A (most of
the time), or at the edges of the 12-month and 4-week windows. Fields are sometimes absent,
null or of the wrong type, to exercise three-valued logic.

    gen.py [--count N] [--seed S]    prints JSON Lines: {"as_of": A, "case": {...}}
"""

import argparse
import datetime as dt
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402  (calendar and date arithmetic)

# As-of dates chosen to sit next to closures, weekends and month ends.
AS_OF_DATES = [
    "2024-06-03", "2024-06-01", "2024-06-02", "2024-05-31", "2024-05-28",
    "2024-03-28", "2024-03-29", "2024-03-30", "2024-04-01", "2024-04-02", "2024-04-03",
    "2024-02-28", "2024-02-29", "2024-03-01", "2025-02-28", "2025-03-01", "2023-02-28",
    "2023-12-22", "2023-12-25", "2023-12-27", "2023-12-29", "2024-01-01", "2024-01-02",
    "2024-12-24", "2024-12-27", "2024-12-31", "2025-01-02",
    "2024-08-27", "2024-08-31", "2024-09-02", "2024-11-30", "2024-07-31", "2024-10-31",
    "2023-05-09", "2023-05-31", "2022-06-06", "2022-09-20", "2024-05-07",
]

SOURCES = ["police", "school", "health", "family", "self", "anonymous", "other"]
CONCERNS = [
    "domestic_abuse", "neglect", "physical_abuse", "sexual_abuse", "emotional_abuse",
    "parental_substance_misuse", "parental_mental_health", "missing_education",
    "missing_from_home", "exploitation", "self_harm", "disability_unmet_needs", "homelessness",
]
OUTCOMES = ["nfa", "information_advice", "early_help", "statutory_assessment",
            "strategy_discussion"]
PLAN_TYPES = ["early_help", "child_in_need", "child_protection", "looked_after"]
CATEGORIES = ["neglect", "physical_abuse", "emotional_abuse", "sexual_abuse", "multiple"]
PROGRESS = ["improving", "static", "deteriorating"]
EVIDENCE = ["parent_self_report", "child_seen", "child_views", "home_visit", "school",
            "health", "police", "other_agency"]
OFFSETS = ["Z", "Z", "+01:00", "+00:00", "-05:00", "+14:00", "-11:00"]

MIN_DATE = dt.date(2019, 1, 1)


def _due_functions():
    wd = oracle.add_working_days
    am = oracle.add_months
    return {
        "wd1": lambda d: wd(d, 1), "wd5": lambda d: wd(d, 5), "wd10": lambda d: wd(d, 10),
        "wd15": lambda d: wd(d, 15), "wd45": lambda d: wd(d, 45),
        "m3": lambda d: am(d, 3), "m6": lambda d: am(d, 6),
        "w12": lambda d: d + dt.timedelta(weeks=12), "w16": lambda d: d + dt.timedelta(weeks=16),
        "w26": lambda d: d + dt.timedelta(weeks=26), "d28": lambda d: d + dt.timedelta(days=28),
    }


DUE = _due_functions()


class Dates:
    """Anchors relative to one as-of date A."""

    def __init__(self, rng, a):
        self.rng, self.a = rng, a
        self._cache = {}

    def _edges(self, kind):
        a = self.a
        if kind in self._cache:
            return self._cache[kind]
        if kind in DUE:
            f = DUE[kind]
            out = []
            for back in range(0, 300):
                d = a - dt.timedelta(days=back)
                due = f(d)
                if due is not None and abs((due - a).days) <= 1:
                    out.append(d)
        else:  # window edges: y12 (12 months), le9, le18 (months), w4 (28 days)
            x = {"y12": oracle.add_months(a, -12), "le9": oracle.add_months(a, -9),
                 "le18": oracle.add_months(a, -18), "w4": a - dt.timedelta(days=28)}[kind]
            out = [x - dt.timedelta(days=1), x, x + dt.timedelta(days=1)]
        out = [d for d in out if MIN_DATE <= d <= a]
        self._cache[kind] = out
        return out

    def pick(self, *kinds, edge=0.75):
        """A date at the edge of one of `kinds` (usually), else anywhere in the last 2 years."""
        if kinds and self.rng.random() < edge:
            edges = self._edges(self.rng.choice(kinds))
            if edges:
                return self.rng.choice(edges)
        return self.a - dt.timedelta(days=self.rng.randint(0, 730))

    def near(self, d, spread=2):
        """A date within `spread` days of d, never after A."""
        x = d + dt.timedelta(days=self.rng.randint(-spread, spread))
        return min(x, self.a)


def _ds(d):
    return d.isoformat()


def _dts(rng, d):
    return "%sT%02d:%02d:%02d%s" % (d.isoformat(), rng.choice([0, 9, 16, 23]),
                                   rng.randint(0, 59), rng.randint(0, 59), rng.choice(OFFSETS))


def _maybe(rng, p):
    return rng.random() < p


def _spoil(rng, obj, key, p=0.06, allow_wrong=True):
    """Sometimes drop a field, null it, or give it a wrong type."""
    if key not in obj or not _maybe(rng, p):
        return
    r = rng.random()
    if r < 0.5:
        del obj[key]
    elif r < 0.8 or not allow_wrong:
        obj[key] = None
    else:
        obj[key] = rng.choice(["2024-13-45", "soon", 20240101])


def _pick_as_of(rng):
    a = dt.date.fromisoformat(rng.choice(AS_OF_DATES))
    if _maybe(rng, 0.15):
        a = dt.date(2023, 6, 1) + dt.timedelta(days=rng.randint(0, 700))
    return a


def _quiet_case(rng, a, n):
    """An open, allocated, supervised case: the background for a focused case."""
    return {"schema": "safeguarding-case/1", "case_id": "GEN-%05d" % n,
            "child": {}, "episode": {"opened_on": _ds(a - dt.timedelta(days=400))},
            "allocated_worker": {"id": "w0", "caseload": 12},
            "worker_history": [{"worker_id": "w0", "from": _ds(a - dt.timedelta(days=400))}],
            "supervision": [{"date": _ds(a - dt.timedelta(days=3))}]}


def _around(rng, d, spread=1):
    return d + dt.timedelta(days=rng.randint(-spread, spread))


def gen_front_door(rng, n):
    """Contacts and the level at their receipt: DA counts at 2/3 near the window edges,
    plans and enquiries starting and ending around a receipt date."""
    a = _pick_as_of(rng)
    t = Dates(rng, a)
    snap = _quiet_case(rng, a, n)
    if _maybe(rng, 0.4):
        snap["child"]["disabled"] = rng.choice([True, False])
    if _maybe(rng, 0.4):
        snap["child"]["education"] = {"missing_education": rng.choice([True, False]),
                                      "attendance_percent": rng.choice([89.9, 90, 95])}
    # The stepped-down contact whose receipt date R everything else is placed around.
    r = t.pick("y12", "wd1", edge=0.5)
    contacts = [{"id": "c0", "received_at": _dts(rng, r), "source": "police",
                 "concerns": rng.choice([[], ["homelessness"], ["domestic_abuse"]]),
                 "decision": {"outcome": rng.choice(["nfa", "information_advice", "early_help",
                                                     "statutory_assessment"]),
                              "decided_at": _dts(rng, min(a, r + dt.timedelta(days=1)))}}]
    if _maybe(rng, 0.3):
        contacts[0]["decision"]["manager_approved"] = rng.choice([True, False])
    win = oracle.add_months(r, -12)
    anchors = [r, win, oracle.add_months(a, -12)]
    combos = [["domestic_abuse"], ["domestic_abuse"], ["parental_substance_misuse"],
              ["parental_mental_health"], ["neglect"], ["missing_education"],
              ["disability_unmet_needs"], ["physical_abuse"], ["sexual_abuse"], ["self_harm"],
              ["neglect", "missing_education"]]
    for i in range(rng.choice([1, 2, 2, 3, 4])):
        d = min(a, _around(rng, rng.choice(anchors)))
        c = {"id": "c%d" % (i + 1), "received_at": _dts(rng, d), "source": "school",
             "concerns": rng.choice(combos)}
        if _maybe(rng, 0.15):
            c["domestic_abuse_risk"] = "high"
        if _maybe(rng, 0.7):
            c["decision"] = {"outcome": rng.choice(OUTCOMES), "decided_at": _dts(rng, d)}
        _spoil(rng, c, "received_at", p=0.06)
        contacts.append(c)
    if _maybe(rng, 0.4):
        # 2 or 3 more domestic abuse contacts around the edge of A's 12-month window
        edge = oracle.add_months(a, -12)
        for k in range(rng.choice([2, 3])):
            d = min(a, _around(rng, rng.choice([edge, edge, a, r])))
            c = {"id": "da%d" % k, "received_at": _dts(rng, d), "source": "police",
                 "concerns": ["domestic_abuse"]}
            _spoil(rng, c, "received_at", p=0.05)
            contacts.append(c)
    _spoil(rng, contacts[0], "received_at", p=0.05)
    snap["contacts"] = contacts
    plans = []
    for i in range(rng.choice([0, 1, 1, 2])):
        p = {"id": "p%d" % i, "type": rng.choice(PLAN_TYPES),
             "started_on": _ds(min(a, _around(rng, r))), "contingency": "Written."}
        if _maybe(rng, 0.6):
            e = _around(rng, r)
            p["ended_on"] = _ds(min(a, max(e, oracle.D(p, "started_on"))))
            p["manager_approved_end"] = rng.choice([True, False])
        _spoil(rng, p, "started_on", p=0.12)
        plans.append(p)
    if plans:
        snap["plans"] = plans
    if _maybe(rng, 0.25):
        e = {"id": "s47-0", "started_on": _ds(min(a, _around(rng, r)))}
        if _maybe(rng, 0.7):
            e["completed_on"] = _ds(min(a, max(_around(rng, r), oracle.D(e, "started_on"))))
            e["outcome"] = "nfa"
        _spoil(rng, e, "started_on", p=0.15)
        snap["s47_enquiries"] = [e]
    return snap, a.isoformat()


def gen_workforce(rng, n):
    """Worker changes at 2/3 distinct workers around the 12-month edge, allocation,
    caseloads at 20/21, supervision around the 4-week edge."""
    a = _pick_as_of(rng)
    t = Dates(rng, a)
    snap = _quiet_case(rng, a, n)
    snap["episode"] = {"opened_on": _ds(t.pick("wd5", "d28", "y12", edge=0.8))}
    if _maybe(rng, 0.15):
        snap["episode"]["closed_on"] = _ds(a)
    pool = ["w%d" % k for k in range(rng.choice([2, 3, 3, 4]))]
    hist = []
    for k in range(rng.choice([2, 3, 3, 4, 5])):
        h = {"worker_id": pool[k % len(pool)] if _maybe(rng, 0.7) else rng.choice(pool),
             "from": _ds(t.pick("y12", edge=0.6))}
        if _maybe(rng, 0.3):
            h["to"] = _ds(a - dt.timedelta(days=rng.randint(0, 30)))
        _spoil(rng, h, "from", p=0.05, allow_wrong=False)
        _spoil(rng, h, "worker_id", p=0.05)
        hist.append(h)
    snap["worker_history"] = hist
    r = rng.random()
    if r < 0.2:
        del snap["allocated_worker"]
    elif r < 0.35:
        snap["allocated_worker"] = None
    else:
        snap["allocated_worker"] = {"id": "w0", "caseload": rng.choice([20, 21, 19, 20, 21])}
        if _maybe(rng, 0.08):
            snap["allocated_worker"]["caseload"] = rng.choice([None, "21", 20.5])
        elif _maybe(rng, 0.08):
            del snap["allocated_worker"]["caseload"]
    sup = []
    for _ in range(rng.choice([0, 1, 1, 2])):
        sup.append({"date": _ds(t.pick("w4"))})
    snap["supervision"] = sup
    return snap, a.isoformat()


def _clip(a, d):
    return min(a, max(d, MIN_DATE))


def gen_strategy_s47(rng, n):
    """Strategy discussions around decision dates, enquiries whose discussion was held 15
    working days before A (give or take a day), initial conferences around that."""
    a = _pick_as_of(rng)
    t = Dates(rng, a)
    snap = _quiet_case(rng, a, n)
    contacts, sds = [], []
    for i in range(rng.choice([1, 1, 2, 3])):
        dd = t.pick("wd1", edge=0.8)
        c = {"id": "c%d" % i, "received_at": _dts(rng, _clip(a, dd - dt.timedelta(days=1))),
             "source": "police", "concerns": ["physical_abuse"],
             "decision": {"outcome": rng.choice(["strategy_discussion"] * 3 + ["nfa"]),
                          "decided_at": _dts(rng, dd), "manager_approved": True}}
        _spoil(rng, c["decision"], "decided_at", p=0.06)
        contacts.append(c)
        if _maybe(rng, 0.6):
            sd = {"id": "sd%d" % len(sds), "held_on": _ds(_clip(a, _around(rng, dd))),
                  "outcome": "s47"}
            if _maybe(rng, 0.5):
                sd["contact_id"] = rng.choice(["c%d" % i, "c-other"])
            _spoil(rng, sd, "held_on", p=0.06, allow_wrong=False)
            sds.append(sd)
    snap["contacts"] = contacts
    enquiries, conferences = [], []
    for i in range(rng.choice([1, 1, 2])):
        h = t.pick("wd15", edge=0.85)
        sd = {"id": "sd%d" % len(sds), "held_on": _ds(h), "outcome": "s47"}
        _spoil(rng, sd, "held_on", p=0.05, allow_wrong=False)
        sds.append(sd)
        e = {"id": "s47-%d" % i, "started_on": _ds(h), "strategy_discussion_id": sd["id"]}
        r = rng.random()
        if r < 0.3:
            e["completed_on"] = _ds(_clip(a, h + dt.timedelta(days=rng.randint(0, 15))))
            e["outcome"] = rng.choice(["icpc", "icpc", "nfa", "child_in_need"])
        elif r < 0.45:
            e["outcome"] = rng.choice(["icpc", "nfa"])
        elif r < 0.5:
            e["strategy_discussion_id"] = rng.choice(["sd-missing", None])
        enquiries.append(e)
        for _ in range(rng.choice([0, 0, 1, 2])):
            conf = {"id": "conf%d" % len(conferences),
                    "type": rng.choice(["initial", "initial", "initial", "review"]),
                    "held_on": _ds(_clip(a, _around(rng, h, 2))),
                    "outcome": "cp_plan"}
            _spoil(rng, conf, "held_on", p=0.1, allow_wrong=False)
            conferences.append(conf)
    snap["strategy_discussions"] = sds
    snap["s47_enquiries"] = enquiries
    if conferences:
        snap["conferences"] = conferences
    return snap, a.isoformat()


def gen_cp(rng, n):
    """Child protection plans with visits, reviews, legal planning meetings and written
    agreements on the edges of their timescales."""
    a = _pick_as_of(rng)
    t = Dates(rng, a)
    snap = _quiet_case(rng, a, n)
    if _maybe(rng, 0.3):
        snap["child"]["disabled"] = True
    plans, starts = [], []
    for i in range(rng.choice([1, 1, 2])):
        st = t.pick("wd10", "m3", "le9", "le18", edge=0.85)
        starts.append(st)
        p = {"id": "p%d" % i, "type": "child_protection",
             "category": rng.choice(["neglect", "neglect", "multiple", "emotional_abuse"]),
             "started_on": _ds(st), "contingency": "Written."}
        revs, used = [], set()
        for _ in range(rng.choice([0, 1, 2, 2, 3])):
            d = _clip(a, max(st, t.pick("m6", edge=0.7)))
            if d in used:
                continue
            used.add(d)
            v = {"held_on": _ds(d), "progress": rng.choice(PROGRESS + ["static"])}
            _spoil(rng, v, "held_on", p=0.08, allow_wrong=False)
            _spoil(rng, v, "progress", p=0.08, allow_wrong=False)
            revs.append(v)
        if revs:
            p["reviews"] = revs
        if _maybe(rng, 0.1):
            p["ended_on"] = _ds(a)
        _spoil(rng, p, "started_on", p=0.05)
        plans.append(p)
    snap["plans"] = plans
    visits = []
    for _ in range(rng.choice([0, 1, 2, 3])):
        v = {"date": _ds(t.pick("wd10", edge=0.8)), "child_seen": rng.choice([True, True, False])}
        _spoil(rng, v, "date", p=0.05, allow_wrong=False)
        _spoil(rng, v, "child_seen", p=0.05, allow_wrong=False)
        visits.append(v)
    if visits:
        snap["visits"] = visits
    legal = {}
    was = []
    for _ in range(rng.choice([0, 1, 1, 2])):
        w = {"started_on": _ds(t.pick("w12", edge=0.85)), "breaches": rng.choice([1, 2, 2, 0])}
        _spoil(rng, w, "breaches", p=0.1, allow_wrong=False)
        was.append(w)
        starts.append(oracle.D(w, "started_on"))
    if was:
        legal["written_agreements"] = was
    lpms = []
    for _ in range(rng.choice([0, 0, 1, 2])):
        m = {"held_on": _ds(_clip(a, _around(rng, rng.choice(starts)))),
             "decision": rng.choice(["pre_proceedings", "threshold_not_met"])}
        _spoil(rng, m, "held_on", p=0.08, allow_wrong=False)
        lpms.append(m)
    if lpms:
        legal["legal_planning_meetings"] = lpms
    if _maybe(rng, 0.4):
        pp = {"started_on": _ds(t.pick("w16", "wd5", edge=0.9))}
        if _maybe(rng, 0.6):
            pp["letter_sent_on"] = _ds(_clip(a, oracle.D(pp, "started_on")))
        if _maybe(rng, 0.7):
            pp["plan_in_place"] = rng.choice([True, False])
        legal["pre_proceedings"] = pp
    if _maybe(rng, 0.3):
        legal["care_proceedings"] = {"issued_on": _ds(t.pick("w26", edge=0.9))}
    if legal:
        snap["legal"] = legal
    return snap, a.isoformat()


def gen_assessment(rng, n):
    """Assessments overdue at 45 working days, completions at the 12-month edge, contacts
    after the latest completion at 10 working days, assessments started around them."""
    a = _pick_as_of(rng)
    t = Dates(rng, a)
    snap = _quiet_case(rng, a, n)
    if _maybe(rng, 0.1):
        snap["episode"]["closed_on"] = _ds(a)
    xs = []
    for i in range(rng.choice([1, 2, 2, 3])):
        x = {"id": "as%d" % i, "type": "single"}
        if _maybe(rng, 0.4):
            x["started_on"] = _ds(t.pick("wd45", edge=0.9))
        else:
            done = t.pick("y12", "wd10", edge=0.8)
            x["started_on"] = _ds(_clip(a, done - dt.timedelta(days=rng.randint(0, 60))))
            x["completed_on"] = _ds(done)
            x["evidence_sources"] = rng.choice([[], ["parent_self_report"], ["child_seen"],
                                                ["parent_self_report", "home_visit"]])
            if _maybe(rng, 0.15):
                del x["evidence_sources"]
        _spoil(rng, x, "started_on", p=0.05)
        xs.append(x)
    done_dates = [oracle.D(x, "completed_on") for x in xs if oracle.D(x, "completed_on")]
    contacts = []
    if done_dates:
        latest = max(done_dates)
        for i in range(rng.choice([1, 1, 2])):
            rd = rng.choice([latest, latest + dt.timedelta(days=1), t.pick("wd10", edge=1)])
            rd = _clip(a, rd)
            c = {"id": "c%d" % i, "received_at": _dts(rng, rd), "source": "school"}
            _spoil(rng, c, "received_at", p=0.05)
            contacts.append(c)
            if _maybe(rng, 0.4):
                xs.append({"id": "as-new%d" % i, "type": "single",
                           "started_on": _ds(_clip(a, _around(rng, rd)))})
    if contacts:
        snap["contacts"] = contacts
    snap["assessments"] = xs
    return snap, a.isoformat()


def gen_case(rng, n):
    r = rng.random()
    if r < 0.2:
        snap, a = gen_front_door(rng, n)
    elif r < 0.3:
        snap, a = gen_workforce(rng, n)
    elif r < 0.4:
        snap, a = gen_strategy_s47(rng, n)
    elif r < 0.5:
        snap, a = gen_cp(rng, n)
    elif r < 0.6:
        snap, a = gen_assessment(rng, n)
    else:
        snap, a = gen_mixed(rng, n)
    if _maybe(rng, 0.2):
        _exotic(rng, snap)
    return snap, a


def _dt_variant(rng, v):
    """Another spelling of a date-time: valid ones (fractions, lower-case t/z, a far offset)
    and invalid ones (a date alone, no seconds, a space, an impossible day)."""
    d = v[:10]
    return rng.choice([d + "T10:00:00.123456Z", d + "t10:00:00z", d + "T23:59:59-12:00",
                       d + "T00:00:00+14:00", d, d + "T10:00Z", d + " 10:00:00Z",
                       d[:8] + "32T10:00:00Z", d + "T25:00:00Z"])


def _bad_end(rng, snap):
    """An end or done date the schema rejects: the item's openness is unknown."""
    bad = rng.choice(["", "2024-02-30", "ongoing", 0])
    legal = snap.get("legal") if isinstance(snap.get("legal"), dict) else {}
    places = []
    for key in ("plans", "assessments", "s47_enquiries"):
        for x in snap.get(key) or []:
            places.append((x, {"plans": "ended_on", "assessments": "completed_on",
                               "s47_enquiries": "completed_on"}[key]))
    for p in snap.get("plans") or []:
        for x in p.get("actions") or []:
            places.append((x, "done_on"))
    for w in legal.get("written_agreements") or []:
        places.append((w, "ended_on"))
    if isinstance(legal.get("pre_proceedings"), dict):
        places.append((legal["pre_proceedings"], "ended_on"))
    if isinstance(legal.get("care_proceedings"), dict):
        places.append((legal["care_proceedings"], "concluded_on"))
    if places:
        x, key = rng.choice(places)
        x[key] = bad


def _exotic(rng, snap):
    """One unusual but telling change: another date-time spelling, a wrong-typed list, flag
    or date, a concern code outside the list."""
    contacts = [c for c in snap.get("contacts", []) if isinstance(c, dict)]
    choice = rng.randrange(13)
    if choice >= 8 and choice <= 9:
        _bad_end(rng, snap)
        return
    if choice == 10 and contacts:
        rng.choice(contacts)["decision"] = rng.choice(["nfa", ["nfa"], 1])
        return
    if choice == 11:
        snap["allocated_worker"] = rng.choice(["w0", 7, []])
        return
    if choice == 12:
        # a date-time where a date belongs
        for key in ("visits", "supervision"):
            for x in snap.get(key) or []:
                if isinstance(x.get("date"), str) and _maybe(rng, 0.5):
                    x["date"] = x["date"] + "T09:00:00Z"
        return
    if choice <= 1 and contacts:
        c = rng.choice(contacts)
        if isinstance(c.get("received_at"), str):
            c["received_at"] = _dt_variant(rng, c["received_at"])
    elif choice == 2 and contacts:
        c = rng.choice(contacts)
        if isinstance(c.get("decision"), dict) and isinstance(c["decision"].get("decided_at"), str):
            c["decision"]["decided_at"] = _dt_variant(rng, c["decision"]["decided_at"])
    elif choice == 3 and contacts:
        rng.choice(contacts)["concerns"] = rng.choice(
            ["domestic_abuse", ["domestic_abuse", 5], ["bullying"], ["domestic_abuse", None]])
    elif choice == 4:
        snap.setdefault("child", {})["disabled"] = rng.choice(["yes", 1])
    elif choice == 5:
        snap["episode"]["closed_on"] = rng.choice(["", "2024-02-30", 0])
    elif choice == 6 and isinstance(snap.get("legal"), dict) and isinstance(
            snap["legal"].get("pre_proceedings"), dict):
        snap["legal"]["pre_proceedings"]["plan_in_place"] = rng.choice(["yes", 1])
    elif choice == 7 and snap.get("plans"):
        p = rng.choice(snap["plans"])
        p["type"] = rng.choice([None, 5, "family_support"])


def gen_mixed(rng, n):
    a = _pick_as_of(rng)
    t = Dates(rng, a)
    snap = {"schema": "safeguarding-case/1", "case_id": "GEN-%05d" % n}

    child = {}
    if _maybe(rng, 0.3):
        child["disabled"] = rng.choice([True, True, False, None])
    if _maybe(rng, 0.3):
        edu = {}
        if _maybe(rng, 0.5):
            edu["missing_education"] = rng.choice([True, False])
        if _maybe(rng, 0.6):
            edu["attendance_percent"] = rng.choice([89.9, 90, 90.0, 75, 100, 89])
        child["education"] = edu
    if _maybe(rng, 0.5):
        child["date_of_birth"] = _ds(a - dt.timedelta(days=rng.randint(100, 6000)))
    snap["child"] = child

    opened = t.pick("wd5", "d28", edge=0.5) if _maybe(rng, 0.5) else a - dt.timedelta(
        days=rng.randint(200, 900))
    episode = {"opened_on": _ds(max(opened, MIN_DATE))}
    if _maybe(rng, 0.15):
        episode["closed_on"] = _ds(rng.choice([a, a - dt.timedelta(days=3)]))
    elif _maybe(rng, 0.1):
        episode["closed_on"] = None
    _spoil(rng, episode, "opened_on", p=0.04)
    snap["episode"] = episode

    contacts = []
    for i in range(rng.choice([0, 1, 2, 3, 3, 4, 5])):
        rd = t.pick("wd1", "wd10", "y12")
        c = {"id": "c%d" % i, "received_at": _dts(rng, rd), "source": rng.choice(SOURCES)}
        if _maybe(rng, 0.85):
            k = rng.choice([0, 1, 1, 2, 3])
            pool = CONCERNS if _maybe(rng, 0.5) else [
                "domestic_abuse", "domestic_abuse", "neglect", "missing_education",
                "parental_substance_misuse", "parental_mental_health", "disability_unmet_needs",
                "physical_abuse"]
            c["concerns"] = sorted(set(rng.choice(pool) for _ in range(k)))
        if _maybe(rng, 0.25):
            c["domestic_abuse_risk"] = rng.choice(["standard", "medium", "high"])
        r = rng.random()
        if r < 0.25:
            pass  # no decision recorded
        elif r < 0.32:
            c["decision"] = None
        else:
            dd = t.near(rd, 1) if _maybe(rng, 0.5) else t.pick("wd1", "y12")
            dec = {"outcome": rng.choice(OUTCOMES), "decided_at": _dts(rng, dd)}
            if _maybe(rng, 0.6):
                dec["manager_approved"] = rng.choice([True, False, None])
            _spoil(rng, dec, "decided_at", p=0.06)
            _spoil(rng, dec, "outcome", p=0.03, allow_wrong=False)
            c["decision"] = dec
        _spoil(rng, c, "received_at", p=0.06)
        contacts.append(c)
    if contacts or _maybe(rng, 0.5):
        snap["contacts"] = contacts

    sds = []
    sd_contacts = [c for c in contacts if isinstance(c.get("decision"), dict)
                   and c["decision"].get("outcome") == "strategy_discussion"]
    for i in range(rng.choice([0, 0, 1, 1, 2, 3])):
        if sd_contacts and _maybe(rng, 0.7):
            c = rng.choice(sd_contacts)
            base = oracle.DT(c["decision"], "decided_at") or a
            held = t.near(base, 1)
        else:
            held = t.pick("wd15", "wd1")
        sd = {"id": "sd%d" % i, "held_on": _ds(held),
              "outcome": rng.choice(["s47", "s47", "single_agency", "nfa"])}
        if contacts and _maybe(rng, 0.5):
            sd["contact_id"] = rng.choice(contacts)["id"]
        _spoil(rng, sd, "held_on", p=0.05, allow_wrong=False)
        sds.append(sd)
    if sds:
        snap["strategy_discussions"] = sds

    enquiries = []
    conferences = []
    for i in range(rng.choice([0, 0, 1, 1, 2])):
        e = {"id": "s47-%d" % i}
        sd = rng.choice(sds) if sds and _maybe(rng, 0.85) else None
        h = oracle.D(sd, "held_on") if sd else None
        e["started_on"] = _ds(h or t.pick("wd15"))
        if sd is not None:
            e["strategy_discussion_id"] = sd["id"]
        elif _maybe(rng, 0.5):
            e["strategy_discussion_id"] = "sd-missing"
        if _maybe(rng, 0.4):
            e["completed_on"] = _ds(t.near(a - dt.timedelta(days=rng.randint(0, 20)), 0))
        if _maybe(rng, 0.6):
            e["outcome"] = rng.choice(["icpc", "icpc", "child_in_need", "nfa", None])
        _spoil(rng, e, "started_on", p=0.05)
        enquiries.append(e)
        if h is not None and _maybe(rng, 0.5):
            conf = {"id": "conf%d" % i, "type": "initial",
                    "held_on": _ds(t.near(h + dt.timedelta(days=rng.randint(-1, 21)), 0)),
                    "outcome": rng.choice(["cp_plan", "no_plan"])}
            _spoil(rng, conf, "held_on", p=0.1, allow_wrong=False)
            conferences.append(conf)
    if _maybe(rng, 0.2):
        conferences.append({"id": "rc", "type": "review", "held_on": _ds(t.pick("wd15")),
                            "outcome": "plan_continues"})
    if enquiries:
        snap["s47_enquiries"] = enquiries
    if conferences:
        snap["conferences"] = conferences

    assessments = []
    for i in range(rng.choice([0, 0, 1, 1, 2, 3])):
        x = {"id": "as%d" % i, "type": rng.choice(["single", "parenting", "connected_carer"])}
        if _maybe(rng, 0.5):
            x["started_on"] = _ds(t.pick("wd45"))
        else:
            # started near a contact's receipt, to test "started since"
            rds = [oracle.DT(c, "received_at") for c in contacts]
            rds = [d for d in rds if d]
            x["started_on"] = _ds(t.near(rng.choice(rds), 1) if rds else t.pick("wd45"))
        if _maybe(rng, 0.55):
            s = oracle.D(x, "started_on")
            done = t.pick("y12", edge=0.4)
            if s and done < s:
                done = t.near(s + dt.timedelta(days=rng.randint(0, 40)), 0)
            x["completed_on"] = _ds(done)
        elif _maybe(rng, 0.1):
            x["completed_on"] = None
        r = rng.random()
        if r < 0.15:
            pass
        elif r < 0.3:
            x["evidence_sources"] = []
        elif r < 0.55:
            x["evidence_sources"] = ["parent_self_report"] * rng.choice([1, 2])
        else:
            x["evidence_sources"] = sorted(set(rng.choice(EVIDENCE) for _ in range(3)))
        _spoil(rng, x, "started_on", p=0.06)
        assessments.append(x)
    # A contact after the latest completion, driving assessment.not-updated.
    done_dates = [oracle.D(x, "completed_on") for x in assessments]
    done_dates = [d for d in done_dates if d]
    if done_dates and _maybe(rng, 0.6):
        latest = max(done_dates)
        rd = t.pick("wd10") if _maybe(rng, 0.7) else latest
        rd = rng.choice([rd, latest, latest + dt.timedelta(days=1)])
        if rd <= a:
            c = {"id": "cnu", "received_at": _dts(rng, rd), "source": "school"}
            if _maybe(rng, 0.5):
                c["decision"] = {"outcome": rng.choice(OUTCOMES), "decided_at": _dts(rng, rd)}
            _spoil(rng, c, "received_at", p=0.05)
            snap.setdefault("contacts", []).append(c)
            if _maybe(rng, 0.3):
                assessments.append({"id": "as-new", "type": "single",
                                    "started_on": _ds(t.near(rd, 1))})
    if assessments:
        snap["assessments"] = assessments

    plans = []
    for i in range(rng.choice([0, 1, 1, 2, 2, 3])):
        p = {"id": "p%d" % i, "type": rng.choice(PLAN_TYPES + ["child_protection"] * 2)}
        if p["type"] == "child_protection" or _maybe(rng, 0.1):
            if _maybe(rng, 0.85):
                p["category"] = rng.choice(CATEGORIES + ["neglect"] * 2 + [None])
        p["started_on"] = _ds(t.pick("wd10", "m3", "le9", "le18", "wd10"))
        r = rng.random()
        if r < 0.2:
            p["ended_on"] = _ds(rng.choice([a, a - dt.timedelta(days=1), t.pick("y12")]))
            if _maybe(rng, 0.7):
                p["manager_approved_end"] = rng.choice([True, False, None])
        elif r < 0.3:
            p["ended_on"] = None
        r = rng.random()
        if r < 0.5:
            p["contingency"] = "Move to pre-proceedings if no progress"
        elif r < 0.85:
            p["contingency"] = rng.choice(["", "   ", None])
        acts = []
        for j in range(rng.choice([0, 1, 2, 3])):
            x = {"id": "a%d" % j, "text": "action"}
            r = rng.random()
            if r < 0.6:
                x["due_on"] = _ds(rng.choice([a - dt.timedelta(days=1), a,
                                              a - dt.timedelta(days=rng.randint(2, 60))]))
            elif r < 0.75:
                x["due_on"] = None
            elif r < 0.8:
                x["due_on"] = "2024-02-30"
            if _maybe(rng, 0.3):
                x["done_on"] = rng.choice([_ds(a), _ds(a - dt.timedelta(days=5)), None])
            if _maybe(rng, 0.5):
                x["owner"] = "social_worker"
            acts.append(x)
        if acts or _maybe(rng, 0.5):
            p["actions"] = acts
        revs = []
        used = set()
        for _ in range(rng.choice([0, 0, 1, 2, 2, 3])):
            d = t.pick("m6")
            if d in used:
                continue
            used.add(d)
            v = {"held_on": _ds(d)}
            if _maybe(rng, 0.85):
                v["progress"] = rng.choice(PROGRESS + ["static", "deteriorating"])
            _spoil(rng, v, "held_on", p=0.1, allow_wrong=False)
            revs.append(v)
        if revs:
            p["reviews"] = revs
        _spoil(rng, p, "started_on", p=0.05)
        plans.append(p)
    if plans:
        snap["plans"] = plans

    visits = []
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        v = {"date": _ds(t.pick("wd10")), "child_seen": rng.choice([True, True, False])}
        if _maybe(rng, 0.3):
            v["seen_alone"] = rng.choice([True, False])
        _spoil(rng, v, "date", p=0.05, allow_wrong=False)
        _spoil(rng, v, "child_seen", p=0.05, allow_wrong=False)
        visits.append(v)
    if visits:
        snap["visits"] = visits

    sup = []
    for _ in range(rng.choice([0, 1, 1, 2])):
        s = {"date": _ds(t.pick("w4"))}
        _spoil(rng, s, "date", p=0.05, allow_wrong=False)
        sup.append(s)
    if sup or _maybe(rng, 0.3):
        snap["supervision"] = sup

    hist = []
    ids = ["w%d" % k for k in range(rng.choice([1, 2, 3, 4]))]
    for _ in range(rng.choice([0, 1, 2, 3, 3, 4])):
        h = {"worker_id": rng.choice(ids), "from": _ds(t.pick("y12", edge=0.6))}
        _spoil(rng, h, "from", p=0.05, allow_wrong=False)
        hist.append(h)
    if hist:
        snap["worker_history"] = hist

    r = rng.random()
    if r < 0.15:
        pass
    elif r < 0.3:
        snap["allocated_worker"] = None
    else:
        w = {"id": "w0"}
        if _maybe(rng, 0.85):
            w["caseload"] = rng.choice([19, 20, 21, 20, 21, 0, 35, None])
        if _maybe(rng, 0.3):
            w["agency"] = rng.choice([True, False])
        snap["allocated_worker"] = w

    legal = {}
    was = []
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        w = {"started_on": _ds(t.pick("w12"))}
        if _maybe(rng, 0.8):
            w["breaches"] = rng.choice([0, 1, 2, 3, None])
        if _maybe(rng, 0.15):
            w["ended_on"] = _ds(a)
        _spoil(rng, w, "started_on", p=0.05)
        was.append(w)
    if was:
        legal["written_agreements"] = was
    lpms = []
    starts = [oracle.D(x, "started_on") for x in was + plans]
    starts = [d for d in starts if d]
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        base = rng.choice(starts) if starts and _maybe(rng, 0.7) else t.pick("y12")
        m = {"held_on": _ds(t.near(base, 1)),
             "decision": rng.choice(["pre_proceedings", "issue_proceedings",
                                     "threshold_not_met"])}
        _spoil(rng, m, "held_on", p=0.08, allow_wrong=False)
        lpms.append(m)
    if lpms:
        legal["legal_planning_meetings"] = lpms
    if _maybe(rng, 0.3):
        pp = {"started_on": _ds(t.pick("w16", "wd5"))}
        r = rng.random()
        if r < 0.4:
            pp["letter_sent_on"] = _ds(a - dt.timedelta(days=rng.randint(0, 3)))
        elif r < 0.5:
            pp["letter_sent_on"] = None
        elif r < 0.55:
            pp["letter_sent_on"] = "not yet"
        if _maybe(rng, 0.7):
            pp["plan_in_place"] = rng.choice([True, True, False, None])
        if _maybe(rng, 0.15):
            pp["ended_on"] = rng.choice([_ds(a), None])
        _spoil(rng, pp, "started_on", p=0.05)
        legal["pre_proceedings"] = pp
    elif _maybe(rng, 0.1):
        legal["pre_proceedings"] = None
    if _maybe(rng, 0.2):
        cp = {"issued_on": _ds(t.pick("w26"))}
        if _maybe(rng, 0.2):
            cp["concluded_on"] = rng.choice([_ds(a), None])
        _spoil(rng, cp, "issued_on", p=0.05)
        legal["care_proceedings"] = cp
    if legal or _maybe(rng, 0.2):
        snap["legal"] = legal
    return snap, a.isoformat()


def generate(count, seed):
    rng = random.Random(seed)
    return [gen_case(rng, n) for n in range(count)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    for snap, a in generate(args.count, args.seed):
        print(json.dumps({"as_of": a, "case": snap}, sort_keys=True))


if __name__ == "__main__":
    main()
