#!/usr/bin/env python3
"""Embedding safeguard in Python through its C ABI.

    SAFEGUARD_LIBRARY=/opt/safeguard/lib/libsafeguard.so \
        python3 example.py RULES_DIR CASE.json [AS_OF]
"""

import json
import sys

import safeguard_ctypes as sg


def main(argv):
    if len(argv) < 3:
        print("usage: example.py RULES_DIR CASE.json [AS_OF]", file=sys.stderr)
        return 2
    rules_dir, case_path = argv[1], argv[2]
    as_of = argv[3] if len(argv) > 3 else "2024-06-03"
    try:
        rules = sg.Rules.load(rules_dir)
    except sg.SafeguardError as e:
        print(e, file=sys.stderr, end="")  # every problem, file:line:col, with carets
        return 2
    print(f"safeguard {sg.version()}, rule set {rules.name} {rules.version}", file=sys.stderr)

    with open(case_path, "rb") as f:
        snapshot = f.read()
    try:
        result = rules.evaluate(snapshot, as_of)
    except sg.SafeguardError as e:
        for d in e.diagnostics:
            print(f"{case_path}:{d['line']}:{d['column']}: {d['message']} [{d['code']}]", file=sys.stderr)
        return 1
    for flag in result["flags"]:
        print(f"{flag['severity']}: {flag['id']}: {flag['message']}", file=sys.stderr)

    # Not JSON: the error says where, never what the data was.
    try:
        rules.evaluate('{"case_id": ', as_of)
    except sg.SafeguardError as e:
        assert e.status == "snapshot" and e.diagnostics[0]["code"] == "snapshot.json"

    # A live rule set, reloaded in place.
    live = sg.Live(rules)
    live.reload(rules_dir)
    assert live.generation == 1
    assert live.evaluate(snapshot, as_of) == result

    # Load options: a limit by name, a council calendar that extends a built-in one. With the
    # council's office closures the results may differ; the load must succeed.
    council = (
        "calendar: example-council\n"
        "title: Example council\n"
        "extends: england-and-wales\n"
        "closures:\n"
        "  - {date: 2024-12-27, name: Office closure}\n"
    )
    options = sg.LoadOptions(limits={"max_evaluation_steps": 10_000_000}, calendars=[council],
                             calendar="example-council")
    assert sg.Rules.load(rules_dir, options=options).evaluate(snapshot, as_of)["as_of"] == as_of
    live.reload(rules_dir, options=options)
    assert live.generation == 2
    try:
        sg.LoadOptions(limits={"max_evaluation_stpes": 1})
    except sg.SafeguardError as e:
        assert e.status == "argument" and "max_evaluation_steps" in str(e)
    else:
        raise AssertionError("an unknown limit name was accepted")

    print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
