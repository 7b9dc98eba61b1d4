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

// Evaluates `json` (which validation may modify: it must be scratch space).
Result evaluate(const RuleSet::Impl& rs, snapshot::ParsedJson& json, const EvalOptions& options);

}  // namespace engine
}  // namespace safeguard
