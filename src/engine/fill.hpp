// Filling a result (evaluate.cpp), shared by the two ways of giving it: a Result
// (engine::evaluate) and its JSON written straight from the evaluation
// (engine::evaluate_json, evaluate_json.cpp, which has a file of its own so that the
// Result's way is compiled as it was without it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/text_buffer.hpp"
#include "cel/eval/frame.hpp"
#include "engine/compact_json.hpp"
#include "engine/impl.hpp"
#include "time/civil.hpp"

namespace safeguard::engine {

// Fills `result`, which may hold an earlier evaluation's result: every field is set (the
// elements of its vectors reset first, see refill.hpp), reusing its storage. With `direct`
// (never with options.explain), an evaluated case's level, flags and actions, rule set and
// as-of date go to `direct` instead, and `result`'s are left as they are; its undetermined
// rules and violations are set as always.
void fill(const RuleSet::Impl& impl, snapshot::ParsedJson& json, const EvalOptions& options,
          Result& result, DirectResult* direct);

// Whether due day `a`'s text ("YYYY-MM-DD", as cel::append_date writes it) sorts before
// `b`'s, for days outside years 1-9999 (a sign or a fifth digit of the year).
bool due_text_before(std::int64_t a, std::int64_t b);

// Whether due date `a` comes before `b` in a result's order, in which the text decides (a
// result sorts actions by their due dates' text, undated ones last) and kNoDue is last:
// within years 1-9999, where the text has a fixed width, the day numbers' order is its order.
inline bool due_before(std::int64_t a, std::int64_t b) {
  if (a == kNoDue) return false;
  if (b == kNoDue) return true;
  if (a >= time::kMinDay && a <= time::kMaxDay && b >= time::kMinDay && b <= time::kMaxDay) {
    return a < b;
  }
  return due_text_before(a, b);
}

// Appends the message of `rule`, raised, to `text`.
void append_message(std::string& text, const ruleset::CompiledRule& rule,
                    const cel::Program& program, cel::Frame& frame);
void append_message(base::TextBuffer& text, const ruleset::CompiledRule& rule,
                    const cel::Program& program, cel::Frame& frame);

// Evaluates the facts, then the message, of raised rule `index` (as fill() does for a Flag)
// into `direct`'s flag `place`: the facts' JSON after their keys, escaped at load.
void record_flag(DirectResult& direct, const ruleset::CompiledRuleSet& rs, std::size_t index,
                 std::size_t place, const cel::Program& program, cel::Frame& frame,
                 const ResultTexts& texts);

}  // namespace safeguard::engine
