#!/usr/bin/env bash
# Runs `safeguard expr` over a table of cases and compares stdout (exactly), stderr (a
# substring) and the exit code. Usage: expr_test.sh PATH/TO/safeguard
set -uo pipefail
cli="$1"
failures=0
count=0

# expect RC STDOUT STDERR_SUBSTRING -- ARGS...
expect() {
  local want_rc="$1" want_out="$2" want_err="$3"
  shift 4
  count=$((count + 1))
  local out err rc
  out="$("$cli" expr "$@" 2>/tmp/expr_test_err.$$)"
  rc=$?
  err="$(cat /tmp/expr_test_err.$$)"
  if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ] || [[ "$err" != *"$want_err"* ]]; then
    failures=$((failures + 1))
    printf 'FAIL: safeguard expr %s\n  want rc=%s stdout=%s stderr~%s\n  got  rc=%s stdout=%s stderr=%s\n' \
      "$*" "$want_rc" "$want_out" "$want_err" "$rc" "$out" "$err"
  fi
}

# Values and their JSON form.
expect 0 'true' '' -- '1 + 2 == 3'
expect 0 '"9007199254740993"' '' -- '9007199254740993'
expect 0 '9007199254740992' '' -- '9007199254740992'
expect 0 '"18446744073709551615"' '' -- '18446744073709551615u'
expect 0 '"Infinity"' '' -- '1.0 / 0.0'
expect 0 '"NaN"' '' -- '0.0 / 0.0'
expect 0 '"/w=="' '' -- 'b"\xff"'
expect 0 '[1,2,3]' '' -- '[3, 1, 2].sort()'
expect 0 '{"a":1}' '' -- '{"a": 1}'
expect 0 '"2024-03-28T15:05:00Z"' '' -- 'timestamp("2024-03-28T16:05:00+01:00")'
expect 0 '"5400s"' '' -- 'duration("1h30m")'
expect 0 '5' '' -- 'size("héllo")'
expect 0 'true' '' -- '2 > 1 and not false'
# Dates and calendars.
expect 0 '"2024-04-02"' '' -- 'add_working_days(date("2024-03-28"), 1)'
expect 0 '"2024-02-29"' '' -- 'add_months(date("2023-11-30"), 3)'
expect 0 '"2023-06-03"' '' -- --as-of 2024-06-03 'add_months(as_of, -12)'
expect 0 '"2024-06-03"' '' -- --as-of=2024-06-03 'as_of'
expect 0 '"2024-12-27"' '' -- --calendar scotland 'add_working_days(date("2024-12-24"), 1)'
expect 0 '"2024-12-27"' '' -- 'add_working_days(date("2024-12-24"), 1)'
expect 0 '1' '' -- 'working_days_between(date("2024-03-28"), date("2024-04-02"))'
expect 0 '17' '' -- 'age_years(date("2008-02-29"), date("2025-03-01"))'
# Variables.
expect 0 '2' '' -- --vars '{"case": {"contacts": [1, 2]}}' 'size(case.contacts)'
expect 0 'false' '' -- --vars '{"case": {"n": null}}' 'has(case.n)'
expect 0 '0' '' -- --vars '{"case": {"n": null}}' 'or_else(case.n, 0)'
expect 0 '"date"' '' -- --as-of 2024-06-03 'type(as_of)'
# Errors: located, exit 1.
expect 1 '' '<expr>:1:3: error:' -- '1 + 1u'
expect 1 '' 'did you mean' -- --vars '{"cases": 1}' 'case'
expect 1 '' '<expr>:1:21: error: evaluation failed: integer overflow' -- '9223372036854775807 + 1'
expect 1 '' '<expr>:1:3: error: evaluation failed: division by zero' -- '1 / 0'
# An evaluation error points at the operation that failed, deep inside the expression.
expect 1 '' '<expr>:1:30: error: evaluation failed: division by zero' -- --vars '{"xs": [4, 5]}' 'size(xs) > 1 && xs.map(x, 10 / (x - 5)).size() > 0'
expect 1 '' '<expr>:1:14: error: evaluation failed: field is missing (at /case/nope)' -- --vars '{"case": {"a": 1}}' 'case.a + case.nope'
# A run-time type mismatch names the argument types (never the values).
expect 1 '' 'evaluation failed: value has the wrong type for this operation (int, double) (at /x)' -- --vars '{"x": 3}' 'x * 2.0'
expect 1 '' '<expr>:1:8: error: evaluation failed: no matching overload for (int, double)' -- 'dyn(3) * 2.0'
expect 1 '' '<expr>:1:' -- '1 +'
expect 1 '' '^' -- '(1 + 2'
expect 1 '' 'not a date' -- 'date("2023-02-29")'
expect 1 '' 'not a date' -- 'date("2024-13-01")'
expect 1 '' "cannot apply '>' to date and int" -- 'date("2024-01-01") > 3'
# Options may follow the expression; an expression may start with '-'.
expect 0 '1  (int)' '' -- '1' --type
expect 0 '-1  (int)' '' -- '-1' --as-of=2024-06-03 --type
# "--" ends the options: an expression starting with "--" (double negation) is still one.
expect 0 '1' '' -- -- '--1'
expect 0 '"2024-06-03"' '' -- --as-of 2024-06-03 -- 'as_of'
expect 2 '' 'give the expression as one argument' -- -- '--1' '--type'
expect 2 '' 'give the expression as one argument' -- '1' '2'
expect 2 '' "unknown option '--typo'" -- '1' --typo
# Usage errors: exit 2.
expect 2 '' 'no expression given' --
expect 2 '' 'as-of date must be a real date written YYYY-MM-DD' -- --as-of 2024-02-30 'as_of'
expect 2 '' 'variables must be a JSON object' -- --vars '[1]' '1'
expect 2 '' '<vars>:1:6: error: unexpected end of the document' -- --vars '{"a":' '1'
expect 2 '' 'usage' -- --no-such-option '1'
expect 2 '' '' -- --calendar atlantis 'add_working_days(date("2024-12-24"), 1)'

# Differential-testing findings (scripts/differential/README.md).
expect 0 '"b"' '' -- --vars '{"xs": ["a", "b"], "d": 1.0}' 'xs[double(d)]'
expect 1 '' 'value out of range' -- 'uint(-0.5)'
expect 0 '234' '' -- 'duration("1.234s").getMilliseconds()'
expect 0 '90' '' -- 'duration("1h30m").getMinutes()'
rm -f /tmp/expr_test_err.$$
echo "$((count - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
