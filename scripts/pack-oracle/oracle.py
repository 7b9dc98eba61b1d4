#!/usr/bin/env python3
"""An independent reading of /work/shared/spec/findings.md, written from the spec alone.

evaluate(snapshot, as_of) -> (raised: set, undetermined: set, level: str)

Three-valued logic throughout: True, False, or None (unknown). A rule is raised when any
item is True, undetermined when no item is True and some is None, otherwise not raised.
Missing dates and numbers (absent, null or malformed) are unknown; absent text, lists and
booleans are not (absent text is "not that value", absent boolean is false, absent list is
empty). Null or wrongly typed text and booleans are unknown (the pack's established reading;
see README.md). Formulas are written so that each unknown value is read once per item,
where Kleene logic gives exactly "could have raised".
"""

import datetime as _dt
import os
import re

# The stricter reading of a stepped-down contact without received_at (README): its unknown
# receipt date is narrowed to A's 12-month window. Off: the pack's reading.
STRICT_RECEIPT_WINDOW = os.environ.get("PACK_ORACLE_STRICT_RECEIPT") == "1"

LEVELS = ["universal", "early_help", "child_in_need", "child_protection"]
UNIVERSAL, EARLY_HELP, CIN, CP = range(4)

FLAGS = [
    "front-door.decision-overdue",
    "front-door.step-down-despite-indicators",
    "cumulative-harm.domestic-abuse",
    "strategy.discussion-overdue",
    "s47.icpc-overdue",
    "assessment.overdue",
    "assessment.not-updated",
    "assessment.self-report-only",
    "plan.missing-timescales",
    "plan.missing-contingency",
    "plan.actions-overdue",
    "cp.visit-overdue",
    "cp.review-overdue",
    "cp.neglect-escalation",
    "cp.plan-long-running",
    "legal.written-agreement-reliance",
    "legal.pre-proceedings-overdue",
    "legal.pre-proceedings-plan-missing",
    "legal.care-proceedings-over-26-weeks",
    "workforce.worker-changes",
    "workforce.caseload-high",
    "workforce.unallocated",
    "oversight.supervision-overdue",
    "oversight.decision-not-approved",
    "disabled.drift",
]

# ---------------------------------------------------------------- calendar (data only)

_HERE = os.path.dirname(os.path.abspath(__file__))
_CAL_FILE = os.path.join(_HERE, "..", "..", "rules", "calendars", "england-and-wales.yaml")


def _load_holidays(path=_CAL_FILE):
    days = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.search(r"\{\s*date:\s*(\d{4}-\d{2}-\d{2})", line)
            if m:
                days.add(_dt.date.fromisoformat(m.group(1)))
    return days


def _load_cover(path=_CAL_FILE):
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"covers:\s*\{\s*from:\s*(\S+?),\s*until:\s*(\S+?)\s*\}", line)
            if m:
                return _dt.date.fromisoformat(m.group(1)), _dt.date.fromisoformat(m.group(2))
    raise RuntimeError("no covers: line in " + path)


HOLIDAYS = _load_holidays()
CAL_FROM, CAL_UNTIL = _load_cover()


def is_working(d):
    return d.weekday() < 5 and d not in HOLIDAYS


def add_working_days(d, n):
    """The n-th working day after d; d itself is not counted, whatever it is."""
    if d is None:
        return None
    cur = d
    while n > 0:
        cur += _dt.timedelta(days=1)
        if cur > CAL_UNTIL:
            return None  # beyond the calendar: unknown
        if is_working(cur):
            n -= 1
    if d < CAL_FROM:
        return None
    return cur


def add_months(d, n):
    if d is None:
        return None
    m0 = d.year * 12 + (d.month - 1) + n
    y, m = divmod(m0, 12)
    m += 1
    if m == 12:
        last = 31
    else:
        last = (_dt.date(y, m + 1, 1) - _dt.timedelta(days=1)).day
    return _dt.date(y, m, min(d.day, last))


def add_days(d, n):
    return None if d is None else d + _dt.timedelta(days=n)


# ---------------------------------------------------------------- three-valued logic


def AND(*xs):
    if any(x is False for x in xs):
        return False
    if any(x is None for x in xs):
        return None
    return True


def OR(*xs):
    if any(x is True for x in xs):
        return True
    if any(x is None for x in xs):
        return None
    return False


def NOT(x):
    return None if x is None else (not x)


def ANY(xs):
    return OR(*list(xs))


def ALL(xs):
    return AND(*list(xs))


def gt(a, b):
    return None if a is None or b is None else a > b


def ge(a, b):
    return None if a is None or b is None else a >= b


def le(a, b):
    return None if a is None or b is None else a <= b


def between(d, lo, hi):
    return AND(ge(d, lo), le(d, hi))


# ---------------------------------------------------------------- field readers

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DT_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt]([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?"
    r"([Zz]|([+-])([01]\d|2[0-3]):([0-5]\d))$"
)


def _leap_second_possible(m):
    """Second 60 is a leap second only at 23:59:60 in UTC (RFC 3339, JSON Schema)."""
    if m.group(4) != "60":
        return True
    offset = 0
    if m.group(7):
        offset = int(m.group(8)) * 60 + int(m.group(9))
        offset = -offset if m.group(7) == "-" else offset
    return (int(m.group(2)) * 60 + int(m.group(3)) - offset) % 1440 == 1439


def _parse_date(s):
    try:
        return _dt.date.fromisoformat(s)
    except ValueError:
        return None


def D(obj, key):
    """A date field: the date, or None when absent, null or malformed."""
    v = obj.get(key) if isinstance(obj, dict) else None
    if isinstance(v, str) and _DATE_RE.match(v):
        return _parse_date(v)
    return None


def DT(obj, key):
    """A date-time field counted by the date written before the T."""
    v = obj.get(key) if isinstance(obj, dict) else None
    if isinstance(v, str):
        m = _DT_RE.match(v)
        if m and _leap_second_possible(m):
            return _parse_date(m.group(1))
    return None


def is_open(obj, key):
    """An end field: absent or null is open; a date is closed; anything else unknown."""
    if not isinstance(obj, dict) or obj.get(key) is None:
        return True
    return False if D(obj, key) is not None else None


# The codes case-snapshot.md lists for each text field the rules compare.
CODES = {
    "type": {"early_help", "child_in_need", "child_protection", "looked_after",
             "initial", "review"},
    "category": {"neglect", "physical_abuse", "emotional_abuse", "sexual_abuse", "multiple"},
    "progress": {"improving", "static", "deteriorating"},
    "outcome": {"nfa", "information_advice", "early_help", "statutory_assessment",
                "strategy_discussion", "icpc", "child_in_need"},
    "domestic_abuse_risk": {"standard", "medium", "high"},
}
EVIDENCE_CODES = {
    "parent_self_report", "child_seen", "child_views", "home_visit", "school", "health",
    "police", "other_agency",
}
CONCERN_CODES = {
    "domestic_abuse", "neglect", "physical_abuse", "sexual_abuse", "emotional_abuse",
    "parental_substance_misuse", "parental_mental_health", "missing_education",
    "missing_from_home", "exploitation", "self_harm", "disability_unmet_needs", "homelessness",
}


def text_is(obj, key, values, required=False):
    """Absent text is no value; so is null in an optional field. Null in a required field,
    a non-string, or a code outside the field's list is unreadable: unknown."""
    if not isinstance(obj, dict) or key not in obj:
        return False
    v = obj[key]
    if v is None and not required:
        return False
    if not isinstance(v, str) or (key in CODES and v not in CODES[key]):
        return None
    return v in values


def flag(obj, key, required=False):
    """Absent boolean is false, and so is null in an optional one; null in a required
    boolean (visits[].child_seen), or a non-boolean, is unknown."""
    if not isinstance(obj, dict) or key not in obj:
        return False
    if obj[key] is None and not required:
        return False
    v = obj[key]
    return v if isinstance(v, bool) else None


def num(obj, key):
    v = obj.get(key) if isinstance(obj, dict) else None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return v


def integer(obj, key):
    """An integer field (caseload, breaches): a fraction or text is the wrong type, unknown;
    an integral number written with a fraction (21.0) is that integer, as JSON Schema's
    `integer` reads it."""
    v = obj.get(key) if isinstance(obj, dict) else None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, bool) or not isinstance(v, int):
        return None
    return v


def lst(obj, key):
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, list) else []


def objs(obj, key):
    return [x for x in lst(obj, key) if isinstance(x, dict)]


def has_concern(c, code):
    """Whether contact c records concern `code`: absent concerns are none; a concerns value
    that is not a list, or an item that is not a listed code, leaves it unknown."""
    v = c.get("concerns")
    if "concerns" not in c:
        return False
    if not isinstance(v, list):
        return None
    if code in v:
        return True
    if any(not isinstance(x, str) or x not in CONCERN_CODES for x in v):
        return None
    return False


def has_any_concern(c):
    v = c.get("concerns")
    if "concerns" not in c:
        return False
    if not isinstance(v, list):
        return None
    return len(v) > 0


# ---------------------------------------------------------------- level of need


def _level(snap, at, contacts, plan_open, s47_open, hopeful=False):
    """Level from the given contacts (date, contact) and openness predicates (bools).

    Unreadable values (a concern list or code, a DASH level, a plan type, a child flag the
    schema rejects) count as not matching, or, when `hopeful`, as matching: the lowest and
    the highest level the case could be at."""
    def yes(x):
        return x is True or (hopeful and x is None)

    lo = add_months(at, -12)
    recent = [c for (d, c) in contacts if lo <= d <= at]
    child = snap.get("child") if isinstance(snap.get("child"), dict) else {}
    disabled = yes(flag(child, "disabled"))
    edu = child.get("education") if isinstance(child.get("education"), dict) else {}
    plans = objs(snap, "plans")

    def concern(code):
        return any(yes(has_concern(c, code)) for c in recent)

    def open_plan(types):
        return any(plan_open(p) for p in plans if yes(text_is(p, "type", types, True)))

    cp = (
        concern("sexual_abuse") or concern("physical_abuse")
        or any(yes(text_is(c, "domestic_abuse_risk", {"high"})) for c in recent)
        or open_plan({"child_protection", "looked_after"})
        or any(s47_open(e) for e in objs(snap, "s47_enquiries"))
    )
    if cp:
        return CP
    da = sum(1 for c in recent if yes(has_concern(c, "domestic_abuse")))
    cin = (
        da >= 3
        or (disabled and concern("disability_unmet_needs"))
        or (concern("parental_substance_misuse") and concern("parental_mental_health"))
        or (concern("neglect")
            and (concern("missing_education") or yes(flag(edu, "missing_education"))))
        or open_plan({"child_in_need"})
    )
    if cin:
        return CIN
    att = num(edu, "attendance_percent")
    eh = (
        any(yes(has_any_concern(c)) for c in recent)
        or (att is not None and att < 90)
        or open_plan({"early_help"})
    )
    return EARLY_HELP if eh else UNIVERSAL


def _dated_contacts(snap):
    out = []
    for c in objs(snap, "contacts"):
        d = DT(c, "received_at")
        if d is not None:
            out.append((d, c))
    return out


def level_now(snap, a):
    return _level(
        snap,
        a,
        [(d, c) for (d, c) in _dated_contacts(snap) if d <= a],
        lambda p: is_open(p, "ended_on") is True,
        lambda e: is_open(e, "completed_on") is True,
    )


def _unreadable_contacts(snap):
    """Contacts whose received_at is present but cannot be read (null included: the field
    is required): whether one is in a window is unknown. An absent received_at leaves the
    contact out of the level."""
    return [c for c in objs(snap, "contacts")
            if "received_at" in c and DT(c, "received_at") is None]


def level_at_receipt(snap, d):
    """(level without, level with) the records whose place at d is unknown: plans and
    enquiries without a start date, contacts with an unreadable receipt date."""
    contacts = [(x, c) for (x, c) in _dated_contacts(snap) if x <= d]
    maybe = contacts + [(d, c) for c in _unreadable_contacts(snap)]

    def open_on(obj, end_key, assume_unknown_start):
        s = D(obj, "started_on")
        if s is None:
            if not assume_unknown_start:
                return False
        elif s > d:
            return False
        if obj.get(end_key) is None:
            return True
        e = D(obj, end_key)
        if e is None:  # unreadable end: open or not, unknown
            return assume_unknown_start
        return e >= d

    lo = _level(snap, d, contacts, lambda p: open_on(p, "ended_on", False),
                lambda e: open_on(e, "completed_on", False))
    hi = _level(snap, d, maybe, lambda p: open_on(p, "ended_on", True),
                lambda e: open_on(e, "completed_on", True), hopeful=True)
    return lo, hi


# ---------------------------------------------------------------- rules


def evaluate(snap, a):
    """Return (raised, undetermined, level) for snapshot `snap` as of date `a`."""
    if isinstance(a, str):
        a = _dt.date.fromisoformat(a)
    r = {}
    year_ago = add_months(a, -12)
    contacts = objs(snap, "contacts")
    episode = snap.get("episode") if isinstance(snap.get("episode"), dict) else {}
    case_open = is_open(episode, "closed_on")
    plans = objs(snap, "plans")
    legal = snap.get("legal") if isinstance(snap.get("legal"), dict) else {}
    lpms = objs(legal, "legal_planning_meetings")
    child = snap.get("child") if isinstance(snap.get("child"), dict) else {}

    # A decision the schema rejects (text, a list) is recorded but unreadable: whether it
    # was made, its outcome and its date are unknown. (pack)
    unreadable_decision = {"outcome": 0, "decided_at": 0}

    def decision(c):
        d = c.get("decision")
        if d is None:
            return None
        return d if isinstance(d, dict) else unreadable_decision

    def undecided(c):
        d = c.get("decision")
        return True if d is None else (False if isinstance(d, dict) else None)

    # front-door.decision-overdue
    r["front-door.decision-overdue"] = ANY(
        AND(undecided(c), gt(a, add_working_days(DT(c, "received_at"), 1))) for c in contacts
    )

    # front-door.step-down-despite-indicators
    items = []
    for c in contacts:
        dec = decision(c)
        if dec is None:
            continue
        step = text_is(dec, "outcome", {"nfa", "information_advice", "early_help"}, True)
        rd = DT(c, "received_at")
        if rd is None:
            # Left out of the level itself; undetermined only when some receipt date could
            # find the child at child_in_need or above. Reading (README): "some date" is not
            # narrowed to the 12-month window, as Kleene logic over the unknown date gives:
            # every plan and enquiry might be open then, every other contact in its window.
            if STRICT_RECEIPT_WINDOW:
                could = any(level_at_receipt(snap, d)[1] >= CIN for d in (
                    add_days(year_ago, k) for k in range((a - year_ago).days + 1)))
            else:
                could = _level(snap, a, [(a, c) for c in objs(snap, "contacts")
                                         if "received_at" in c], lambda p: True,
                               lambda e: True, hopeful=True) >= CIN
            items.append(AND(step, None if could else False))
            continue
        lo, hi = level_at_receipt(snap, rd)
        high = True if lo >= CIN else (None if hi >= CIN else False)
        items.append(AND(step, between(rd, year_ago, a), high))
    r["front-door.step-down-despite-indicators"] = ANY(items)

    # cumulative-harm.domestic-abuse
    known = unknown = 0
    for c in contacts:
        w = AND(has_concern(c, "domestic_abuse"), between(DT(c, "received_at"), year_ago, a))
        if w is True:
            known += 1
        elif w is None:
            unknown += 1
    r["cumulative-harm.domestic-abuse"] = (
        True if known >= 3 else (None if known + unknown >= 3 else False)
    )

    # strategy.discussion-overdue
    sds = objs(snap, "strategy_discussions")
    items = []
    for c in contacts:
        dec = decision(c)
        if dec is None:
            continue
        dd = DT(dec, "decided_at")
        held = ANY(ge(D(s, "held_on"), dd) for s in sds)
        items.append(AND(text_is(dec, "outcome", {"strategy_discussion"}, True),
                         gt(a, add_working_days(dd, 1)), NOT(held)))
    r["strategy.discussion-overdue"] = ANY(items)

    # s47.icpc-overdue
    initial = [c for c in objs(snap, "conferences") if c.get("type") == "initial"]
    items = []
    for e in objs(snap, "s47_enquiries"):
        cand = OR(text_is(e, "outcome", {"icpc"}), is_open(e, "completed_on"))
        sid = e.get("strategy_discussion_id")
        found = [s for s in sds if sid is not None and s.get("id") == sid]
        if not found:
            items.append(AND(cand, None))
            continue
        h = D(found[0], "held_on")
        conf = ANY(ge(D(c, "held_on"), h) for c in initial)
        items.append(AND(cand, gt(a, add_working_days(h, 15)), NOT(conf)))
    r["s47.icpc-overdue"] = ANY(items)

    # assessment.overdue
    assessments = objs(snap, "assessments")
    r["assessment.overdue"] = ANY(
        AND(is_open(x, "completed_on"), gt(a, add_working_days(D(x, "started_on"), 45)))
        for x in assessments
    )

    # assessment.not-updated
    # An assessment whose completed_on cannot be read may be open, or completed on any day
    # up to A: then the latest completion is the known one or later, and a later one can
    # only clear contacts. So the rule is decided by the known latest completion (none: the
    # rule does not apply), and an unreadable one can only turn "raised" into unknown.
    completed = [x for x in assessments if is_open(x, "completed_on") is False]
    unreadable = any(is_open(x, "completed_on") is None for x in assessments)
    if not completed and not unreadable:
        r["assessment.not-updated"] = False
    else:
        latest = max(D(x, "completed_on") for x in completed) if completed else None
        items = []
        for c in contacts:
            rd = DT(c, "received_at")
            started_since = ANY(ge(D(x, "started_on"), rd) for x in assessments)
            after = True if latest is None and rd is not None else gt(rd, latest)
            items.append(AND(after, NOT(started_since), gt(a, add_working_days(rd, 10))))
        found = ANY(items)
        if unreadable and found is not False:
            found = None
        r["assessment.not-updated"] = AND(case_open, found)

    # assessment.self-report-only
    items = []
    for x in assessments:
        if is_open(x, "completed_on") is True:
            continue
        src = lst(x, "evidence_sources")
        # Another listed source clears it; a source outside the list is unreadable (Codes).
        if any(s in EVIDENCE_CODES and s != "parent_self_report" for s in src):
            only = False
        elif any(s not in EVIDENCE_CODES for s in src):
            only = None
        else:
            only = True
        items.append(AND(between(D(x, "completed_on"), year_ago, a), only))
    r["assessment.self-report-only"] = ANY(items)

    # plans
    def actions(p):
        return objs(p, "actions")

    def missing_date(obj, key):
        """True when a date field is absent or null, None when malformed."""
        if obj.get(key) is None:
            return True
        return False if D(obj, key) is not None else None

    r["plan.missing-timescales"] = ANY(
        AND(is_open(p, "ended_on"), missing_date(x, "due_on"), missing_date(x, "done_on"))
        for p in plans for x in actions(p)
    )

    def no_contingency(p):
        if "contingency" not in p or p["contingency"] is None:
            return True
        v = p["contingency"]
        if not isinstance(v, str):
            return None
        return v.strip() == ""

    r["plan.missing-contingency"] = ANY(
        AND(is_open(p, "ended_on"), text_is(p, "type", {"child_in_need", "child_protection"}, True),
            no_contingency(p))
        for p in plans
    )

    def overdue_action(x):
        if x.get("due_on") is None:
            return False
        return AND(missing_date(x, "done_on"), gt(a, D(x, "due_on")))

    r["plan.actions-overdue"] = ANY(
        AND(is_open(p, "ended_on"), overdue_action(x)) for p in plans for x in actions(p)
    )

    cp_open = [
        (p, AND(is_open(p, "ended_on"), text_is(p, "type", {"child_protection"}, True))) for p in plans
    ]

    # cp.visit-overdue: overdue from the start and from every visit that saw the child.
    visits = objs(snap, "visits")
    items = []
    for p, op in cp_open:
        after_seen = ALL(
            OR(NOT(flag(v, "child_seen", True)), gt(a, add_working_days(D(v, "date"), 10)))
            for v in visits
        )
        items.append(AND(op, gt(a, add_working_days(D(p, "started_on"), 10)), after_seen))
    r["cp.visit-overdue"] = ANY(items)

    # cp.review-overdue
    items = []
    for p, op in cp_open:
        reviews = objs(p, "reviews")
        if not reviews:
            items.append(AND(op, gt(a, add_months(D(p, "started_on"), 3))))
        else:
            # overdue iff every review is older than six months
            items.append(AND(op, ALL(gt(a, add_months(D(v, "held_on"), 6)) for v in reviews)))
    r["cp.review-overdue"] = ANY(items)

    def lpm_since(d):
        return ANY(ge(D(m, "held_on"), d) for m in lpms)

    # cp.neglect-escalation
    items = []
    for p, op in cp_open:
        s = D(p, "started_on")
        long_ = le(s, add_months(a, -9))
        items.append(AND(op, text_is(p, "category", {"neglect"}),
                         OR(long_, _two_bad_reviews(objs(p, "reviews"))), NOT(lpm_since(s))))
    r["cp.neglect-escalation"] = ANY(items)

    r["cp.plan-long-running"] = ANY(
        AND(op, le(D(p, "started_on"), add_months(a, -18))) for p, op in cp_open
    )

    # legal.written-agreement-reliance
    items = []
    for w in objs(legal, "written_agreements"):
        s = D(w, "started_on")
        b = integer(w, "breaches")
        items.append(AND(is_open(w, "ended_on"),
                         OR(gt(a, add_days(s, 84)), None if b is None else b >= 2),
                         NOT(lpm_since(s))))
    r["legal.written-agreement-reliance"] = ANY(items)

    pp = legal.get("pre_proceedings")
    if isinstance(pp, dict):
        s = D(pp, "started_on")
        op = is_open(pp, "ended_on")
        r["legal.pre-proceedings-overdue"] = AND(op, gt(a, add_days(s, 112)))
        plan = flag(pp, "plan_in_place")
        r["legal.pre-proceedings-plan-missing"] = AND(
            op, gt(a, add_working_days(s, 5)),
            OR(NOT(plan), missing_date(pp, "letter_sent_on")))
    else:
        r["legal.pre-proceedings-overdue"] = False
        r["legal.pre-proceedings-plan-missing"] = False

    cpr = legal.get("care_proceedings")
    if isinstance(cpr, dict):
        r["legal.care-proceedings-over-26-weeks"] = AND(
            is_open(cpr, "concluded_on"), gt(a, add_days(D(cpr, "issued_on"), 182)))
    else:
        r["legal.care-proceedings-over-26-weeks"] = False

    # workforce.worker-changes
    # An allocation without worker_id names no worker; one whose worker_id is not text
    # (null, a number) cannot be read and might be any worker, a new one included.
    known, maybe = set(), set()
    for h in objs(snap, "worker_history"):
        if "worker_id" not in h:
            continue
        w = between(D(h, "from"), year_ago, a)
        wid = h["worker_id"] if isinstance(h["worker_id"], str) else object()
        if w is True and isinstance(wid, str):
            known.add(wid)
        elif w is not False:
            maybe.add(wid)
    changes = True if len(known) >= 3 else (None if len(known | maybe) >= 3 else False)
    r["workforce.worker-changes"] = AND(case_open, changes)

    # An allocated_worker the schema rejects (text, a number) is present: a worker is
    # allocated, whose caseload cannot be read. (pack)
    aw = snap.get("allocated_worker")
    if aw is not None and not isinstance(aw, dict):
        aw = {"caseload": None}
    if isinstance(aw, dict):
        cl = integer(aw, "caseload")
        r["workforce.caseload-high"] = AND(case_open, None if cl is None else cl > 20)
        r["workforce.unallocated"] = False
    else:
        r["workforce.caseload-high"] = False
        r["workforce.unallocated"] = AND(
            case_open, gt(a, add_working_days(D(episode, "opened_on"), 5)))

    sup = ANY(between(D(s, "date"), add_days(a, -28), a) for s in objs(snap, "supervision"))
    r["oversight.supervision-overdue"] = AND(
        case_open, NOT(sup), gt(a, add_days(D(episode, "opened_on"), 28)))

    items = []
    for c in contacts:
        dec = decision(c)
        if dec is None:
            continue
        items.append(AND(text_is(dec, "outcome", {"nfa", "early_help"}, True),
                         between(DT(dec, "decided_at"), year_ago, a),
                         NOT(flag(dec, "manager_approved"))))
    for p in plans:
        if p.get("ended_on") is None:
            continue
        items.append(AND(between(D(p, "ended_on"), year_ago, a),
                         NOT(flag(p, "manager_approved_end"))))
    r["oversight.decision-not-approved"] = ANY(items)

    drift = ANY(r[f] for f in ("assessment.overdue", "cp.visit-overdue", "cp.review-overdue",
                               "plan.actions-overdue", "workforce.unallocated"))
    r["disabled.drift"] = AND(flag(child, "disabled"), drift)

    raised = {k for k, v in r.items() if v is True}
    undetermined = {k for k, v in r.items() if v is None}
    return raised, undetermined, LEVELS[level_now(snap, a)]


def _two_bad_reviews(reviews):
    """Whether the two latest reviews (by held_on) are both static or deteriorating.

    Undated reviews could fall anywhere, so every placement of them is tried: True when every
    placement gives True, False when every one gives False, None otherwise.
    """
    if len(reviews) < 2:
        return False
    bad = [text_is(v, "progress", {"static", "deteriorating"}) for v in reviews]
    dates = [D(v, "held_on") for v in reviews]
    undated = [i for i, d in enumerate(dates) if d is None]
    dated = sorted((i for i, d in enumerate(dates) if d is not None),
                   key=lambda i: dates[i], reverse=True)
    # The latest two are two of: the undated ones (each may be latest) and the top dated.
    outcomes = set()
    pool = undated + dated[:2]
    # choices: any pair from undated, or undated + the top dated, or the two top dated
    pairs = []
    for i in range(len(undated)):
        for j in range(i + 1, len(undated)):
            pairs.append((undated[i], undated[j]))
        if dated:
            pairs.append((undated[i], dated[0]))
    if len(dated) >= 2:
        pairs.append((dated[0], dated[1]))
    del pool
    for i, j in pairs:
        outcomes.add(AND(bad[i], bad[j]))
    if outcomes == {True}:
        return True
    if outcomes == {False}:
        return False
    return None


# ---------------------------------------------------------------- the items behind a flag

# flag -> (snapshot list holding its items, the fact naming their ids)
ITEM_FACTS = {
    "front-door.decision-overdue": ("contacts", "contact_ids"),
    "strategy.discussion-overdue": ("contacts", "contact_ids"),
    "assessment.not-updated": ("contacts", "contact_ids"),
    "s47.icpc-overdue": ("s47_enquiries", "enquiry_ids"),
    "assessment.overdue": ("assessments", "assessment_ids"),
    "assessment.self-report-only": ("assessments", "assessment_ids"),
    "cp.visit-overdue": ("plans", "plan_ids"),
    "cp.review-overdue": ("plans", "plan_ids"),
    "cp.neglect-escalation": ("plans", "plan_ids"),
    "cp.plan-long-running": ("plans", "plan_ids"),
    "plan.missing-contingency": ("plans", "plan_ids"),
}


def raising_ids(snap, a, fid):
    """The ids of the items that raise flag `fid` on their own ("its facts list every item
    that raises it"), or None for a flag whose items are not listed by id here."""
    if isinstance(a, str):
        a = _dt.date.fromisoformat(a)
    if fid == "cumulative-harm.domestic-abuse":
        year_ago = add_months(a, -12)
        return {"contact_ids": sorted(
            c.get("id") for c in objs(snap, "contacts")
            if AND(has_concern(c, "domestic_abuse"),
                   between(DT(c, "received_at"), year_ago, a)) is True)}
    if fid == "oversight.decision-not-approved":
        out = {}
        for key, fact in (("contacts", "contact_ids"), ("plans", "plan_ids")):
            other = "plans" if key == "contacts" else "contacts"
            ids = []
            for x in objs(snap, key):
                one = dict(snap, **{key: [x], other: []})
                if fid in evaluate(one, a)[0]:
                    ids.append(x.get("id"))
            out[fact] = sorted(ids)
        return out
    if fid == "front-door.step-down-despite-indicators":
        # Other contacts still count towards the level at receipt: only their decisions go.
        ids = []
        contacts = objs(snap, "contacts")
        for i, c in enumerate(contacts):
            others = [dict((k, v) for k, v in x.items() if k != "decision")
                      for j, x in enumerate(contacts) if j != i]
            if fid in evaluate(dict(snap, contacts=[c] + others), a)[0]:
                ids.append(c.get("id"))
        return {"contact_ids": sorted(ids)}
    if fid not in ITEM_FACTS:
        return None
    key, fact = ITEM_FACTS[fid]
    ids = []
    for x in objs(snap, key):
        if fid in evaluate(dict(snap, **{key: [x]}), a)[0]:
            ids.append(x.get("id"))
    return {fact: sorted(ids)}
