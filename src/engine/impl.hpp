// The insides of the public RuleSet and Snapshot handles.
#pragma once

#include <memory>

#include "engine/calendar_set.hpp"
#include "engine/compact_json.hpp"
#include "ruleset/compiled.hpp"
#include "safeguard/rule_set.hpp"
#include "safeguard/snapshot.hpp"
#include "snapshot/parsed_json.hpp"

namespace safeguard {

struct RuleSet::Impl {
  std::unique_ptr<ruleset::CompiledRuleSet> compiled;
  RuleSetInfo info;
  engine::CalendarSet calendars;
  engine::ResultTexts texts;  // of the result JSON RuleSet::evaluate_json writes
};

struct Snapshot::Impl {
  snapshot::ParsedJson
      json;  // never modified after parsing: evaluation works on a copy of the tape
};

namespace engine {

// Evaluates `json` (which validation may modify: it must be scratch space) into `result`,
// which may hold an earlier result: every field is set again, its storage reused. On an
// exception `result` is left as a default Result.
void evaluate(const RuleSet::Impl& rs, snapshot::ParsedJson& json, const EvalOptions& options,
              Result& result);

// The same into a new Result.
inline Result evaluate(const RuleSet::Impl& rs, snapshot::ParsedJson& json,
                       const EvalOptions& options) {
  Result result;
  evaluate(rs, json, options, result);
  return result;
}

// Evaluates `json` as evaluate() does, but when it can be evaluated, appends the compact
// JSON of its result to `out` (the bytes Result::write_json(out) appends) straight from the
// evaluation, and fills in `outline`, giving true: `result` then holds the undetermined
// rules and violations, and its other fields anything. Otherwise gives false, with `result`
// filled as evaluate() fills it (errors) and `out` as it was. No explanation is written:
// options.explain is ignored (RuleSet::evaluate_json takes that the general way).
bool evaluate_json(const RuleSet::Impl& rs, snapshot::ParsedJson& json, const EvalOptions& options,
                   Result& result, std::string& out, ResultOutline* outline);

// RuleSet::evaluate_json without an outline, for the C ABI, which gives a snapshot's errors
// as diagnostics: when the snapshot cannot be evaluated, gives false with the errors
// evaluate() would give moved into `errors`, and `out` as it was (no {"errors": ...} text),
// from the same evaluation rather than a second one.
bool evaluate_json_or_errors(const RuleSet& rule_set, std::string_view snapshot_json,
                             const EvalOptions& options, std::string& out,
                             std::vector<Diagnostic>& errors);

// The bytes this thread keeps for parsing snapshots between evaluations (its parser's
// capacity and its working copy's buffers): 0 after a case over 1 MiB, whose buffers
// are given back. For tests.
std::size_t thread_parse_bytes();

// Sets every field of `result` as in a default Result.
void clear_result(Result& result);

}  // namespace engine
}  // namespace safeguard
