#!/usr/bin/env python3
"""The oracle checked against the worked examples written in the spec itself, so that the
differential run compares the pack with a reading that at least gets these right."""

import datetime as dt
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

D = dt.date.fromisoformat
failures = []


def check(what, got, want):
    if got != want:
        failures.append("%s: got %r, want %r" % (what, got, want))


# case-snapshot.md and findings.md date arithmetic
check("Thu before Easter + 1 wd", oracle.add_working_days(D("2024-03-28"), 1), D("2024-04-02"))
check("Saturday + 1 wd", oracle.add_working_days(D("2024-06-01"), 1), D("2024-06-03"))
check("Christmas Eve + 1 wd", oracle.add_working_days(D("2024-12-24"), 1), D("2024-12-27"))
check("31 Jan + 1 month", oracle.add_months(D("2024-01-31"), 1), D("2024-02-29"))
check("29 Feb + 1 month", oracle.add_months(D("2024-02-29"), 1), D("2024-03-29"))
check("31 May + 9 months", oracle.add_months(D("2023-05-31"), 9), D("2024-02-29"))
check("30 Nov + 3 months", oracle.add_months(D("2023-11-30"), 3), D("2024-02-29"))
check("29 Feb - 12 months", oracle.add_months(D("2024-02-29"), -12), D("2023-02-28"))
check("date-time by its written date",
      oracle.DT({"t": "2024-03-28T23:30:00-05:00"}, "t"), D("2024-03-28"))

BASE = {"schema": "safeguarding-case/1", "case_id": "T", "episode": {"opened_on": "2024-01-02"},
        "allocated_worker": {"id": "w", "caseload": 5},
        "supervision": [{"date": "2024-05-30"}]}


def run(extra, as_of="2024-06-03"):
    snap = dict(BASE)
    snap.update(extra)
    return oracle.evaluate(snap, as_of)


def state(res, fid):
    raised, und, _ = res
    return "raised" if fid in raised else "undetermined" if fid in und else "not"


# Saturday contact: due Monday, so overdue on Tuesday only.
sat = {"contacts": [{"id": "c", "received_at": "2024-06-01T10:00:00Z", "source": "police"}]}
check("Saturday contact on Monday", state(run(sat), "front-door.decision-overdue"), "not")
check("Saturday contact on Tuesday",
      state(run(sat, "2024-06-04"), "front-door.decision-overdue"), "raised")
# Missing received_at: undetermined; but another overdue contact raises it.
nodate = {"contacts": [{"id": "c", "source": "police"}]}
check("no received_at", state(run(nodate), "front-door.decision-overdue"), "undetermined")
both = {"contacts": nodate["contacts"] + sat["contacts"]}
check("one raises whatever others lack",
      state(run(both, "2024-06-04"), "front-door.decision-overdue"), "raised")
# CP plan without started_on: undetermined; absent category is not neglect.
cp = {"plans": [{"id": "p", "type": "child_protection", "contingency": "x"}]}
check("CP plan without start", state(run(cp), "cp.visit-overdue"), "undetermined")
check("no category is not neglect", state(run(cp), "cp.neglect-escalation"), "not")
# Written agreement: absent breaches is missing data; absent plan_in_place is false.
wa = {"legal": {"written_agreements": [{"started_on": "2024-05-01"}]}}
check("absent breaches", state(run(wa), "legal.written-agreement-reliance"), "undetermined")
pp = {"legal": {"pre_proceedings": {"started_on": "2024-05-01", "letter_sent_on": "2024-05-02"}}}
check("absent plan_in_place", state(run(pp), "legal.pre-proceedings-plan-missing"), "raised")
# Levels: a DASH level alone is not a concern; attendance 90 is not below 90.
check("DASH alone", run({"contacts": [{"id": "c", "received_at": "2024-06-01T10:00:00Z",
                                       "source": "police", "domestic_abuse_risk": "medium",
                                       "decision": {"outcome": "nfa",
                                                    "decided_at": "2024-06-01T11:00:00Z",
                                                    "manager_approved": True}}]})[2],
      "universal")
check("attendance 90", run({"child": {"education": {"attendance_percent": 90}}})[2], "universal")
check("attendance 89.9",
      run({"child": {"education": {"attendance_percent": 89.9}}})[2], "early_help")
check("disabled alone", run({"child": {"disabled": True}})[2], "universal")
# An integral caseload written 21.0 is 21 (JSON Schema's integer); 20.5 is unreadable.
check("caseload 21.0", state(run({"allocated_worker": {"id": "w", "caseload": 21.0}}),
                             "workforce.caseload-high"), "raised")
check("caseload 20.5", state(run({"allocated_worker": {"id": "w", "caseload": 20.5}}),
                             "workforce.caseload-high"), "undetermined")
# Evidence sources: another listed source clears self-report-only; an unlisted one is
# unreadable, so only self-report plus it leaves the rule undetermined.
done = {"id": "a", "type": "single", "started_on": "2024-04-01", "completed_on": "2024-05-01"}
for sources, want in ((["parent_self_report"], "raised"),
                      (["parent_self_report", "school"], "not"),
                      (["parent_self_report", "family_network"], "undetermined"),
                      (["family_network", "home_visit"], "not")):
    check("evidence %s" % sources,
          state(run({"assessments": [dict(done, evidence_sources=sources)]}),
                "assessment.self-report-only"), want)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("oracle self-test: all spec examples hold")
