// The compact result JSON of the common case, written straight into a raw buffer: what
// batch and the C ABI write for every case. It writes the same bytes as the general
// writer (result_json.cpp, base::JsonWriter) with pretty = false, without the writer's
// per-call state and std::string appends (tests/unit/report compares the two).
//
// It writes a Result (append_compact_json), or an evaluation as the engine recorded it
// (append_direct_json, for RuleSet::evaluate_json): the rule set's own texts (ids, titles,
// sources, owners) escaped once at load and appended as bytes, and only what the case
// gave (facts, messages, due dates, undetermined rules, violations) written per case.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "base/text_buffer.hpp"
#include "safeguard/result.hpp"

namespace safeguard::ruleset {
struct CompiledRuleSet;
struct CompiledRule;
}  // namespace safeguard::ruleset

namespace safeguard::engine {

// Whether append_compact_json can write `result`: an evaluated result without
// explanations. The rest (errors, EvalOptions::explain) goes the general way.
bool compact_applies(const Result& result);

// Appends the compact JSON of `result` (compact_applies) to `out`.
void append_compact_json(const Result& result, std::string& out);

// A rule set's texts in a result's JSON, each escaped as a JSON string (with its quotes)
// once, when the rule set is loaded.
struct ResultTexts {
  // Per rule: its flag up to the message, `{"id":…,"severity":…,"category":…,"title":…,
  // "message":`, and from its action ids on, `,"actions":[…],"source":…,"rule_file":…,
  // "rule_line":N}`.
  std::vector<std::string> flag_head;
  std::vector<std::string> flag_tail;
  std::vector<std::vector<std::string>> fact_name;  // per rule and fact
  // The same as keys, `"name":`, with ',' before all but the first.
  std::vector<std::vector<std::string>> fact_key;
  std::vector<std::vector<std::string>> action_head;  // per rule and action: up to "due":
  std::vector<std::string> rule_id;
  std::vector<std::string> threshold_id;
  std::vector<std::string> level_id;
  std::string ruleset_head;  // `"ruleset":{"name":…,"version":…,"fingerprint":…,"calendars":`
};

ResultTexts result_texts(const ruleset::CompiledRuleSet& rs, const RuleSetInfo& info);

// A raised rule's flag as evaluated: its facts (`"name":value` pairs with ',' between) and
// message, spans of DirectResult::text; its undetermined facts (indexes of the rule's
// facts), a span of DirectResult::undetermined_facts.
struct DirectFlag {
  std::uint32_t rule = 0;
  std::uint32_t undetermined_begin = 0, undetermined_end = 0;
  // Offsets into the text of the whole case: each fact may take up to the evaluation's
  // memory limit (which a host may raise), so together they may pass 4 GiB.
  std::size_t facts_begin = 0, facts_end = 0;
  std::size_t message_begin = 0, message_end = 0;
};

// An action's due date as a day number, or kNoDue for none (a date value is never this
// far out of range).
constexpr std::int64_t kNoDue = std::numeric_limits<std::int64_t>::min();

// A recommended action: `rule`'s action `action` (its first recommendation), the
// recommending rules (by id) and the due dates that could not be worked out (by id).
struct DirectAction {
  std::uint32_t rule = 0;
  std::uint32_t action = 0;
  std::int64_t due = kNoDue;  // the day, written "YYYY-MM-DD"; kNoDue: null
  const std::vector<const ruleset::CompiledRule*>* flags = nullptr;
  const std::vector<Undetermined>* due_undetermined = nullptr;
};

// An evaluation as the engine records it for append_direct_json: what Result would hold,
// as indexes into the rule set and spans of case texts.
struct DirectResult {
  const ruleset::CompiledRuleSet* rs = nullptr;
  const ResultTexts* texts = nullptr;
  bool has_level = false;   // false: the rule set has no levels (the level id is "")
  std::uint32_t level = 0;  // index into the rule set's levels
  const std::vector<std::uint32_t>* matched = nullptr;  // thresholds that matched, any level
  base::TextBuffer text;
  std::vector<DirectFlag> flags;  // in the result's order
  std::vector<std::uint32_t> undetermined_facts;
  std::vector<DirectAction> actions;  // in the result's order
  // In the order they were found (the rules', then the thresholds'), not in the result's.
  const std::vector<Undetermined>* undetermined = nullptr;
  // Indexes of `undetermined` (and of undetermined_ids) in the result's order, by id.
  std::vector<std::uint32_t> undetermined_order;
  const std::vector<Violation>* violations = nullptr;
  const std::string* calendars = nullptr;
  const std::string* as_of = nullptr;
  // Not written: the ids of `undetermined`, the rule set's own (for ResultOutline), in the
  // same order.
  std::vector<const std::string*> undetermined_ids;
};

// Appends the compact JSON of `r`: the bytes append_compact_json appends for the Result
// that evaluation fills in (tests/unit/engine compares the two).
void append_direct_json(const DirectResult& r, std::string& out);

}  // namespace safeguard::engine
