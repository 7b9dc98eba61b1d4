// The insides of the public RuleSet and Snapshot handles.
#pragma once

#include <memory>

#include "engine/calendar_set.hpp"
#include "ruleset/compiled.hpp"
#include "safeguard/rule_set.hpp"
#include "safeguard/snapshot.hpp"
#include "snapshot/parsed_json.hpp"

namespace safeguard {

struct RuleSet::Impl {
  std::unique_ptr<ruleset::CompiledRuleSet> compiled;
  RuleSetInfo info;
  engine::CalendarSet calendars;
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

// Sets every field of `result` as in a default Result.
void clear_result(Result& result);

}  // namespace engine
}  // namespace safeguard
