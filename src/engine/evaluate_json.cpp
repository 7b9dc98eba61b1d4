// RuleSet::evaluate_json's part of the engine: an evaluation recorded for its compact
// JSON (DirectResult) instead of filled into a Result.
#include "cel/value/to_json.hpp"
#include "engine/fill.hpp"

namespace safeguard::engine {

// Evaluates the facts, then the message, of raised rule `index` (as fill() does for a Flag)
// into `direct`'s flag `place`: the facts' JSON after their keys, escaped at load.
void record_flag(DirectResult& direct, const ruleset::CompiledRuleSet& rs, std::size_t index,
                 std::size_t place, const cel::Program& program, cel::Frame& frame,
                 const ResultTexts& texts) {
  const ruleset::CompiledRule& rule = rs.rules[index];
  const std::vector<std::string>& keys = texts.fact_key[index];
  base::TextBuffer& text = direct.text;
  DirectFlag& flag = direct.flags[place];
  flag.rule = static_cast<std::uint32_t>(index);
  flag.facts_begin = text.size();
  flag.undetermined_begin = static_cast<std::uint32_t>(direct.undetermined_facts.size());
  for (std::size_t j = 0; j < rule.facts.size(); ++j) {
    text += keys[j];
    const std::size_t start = text.size();
    const cel::Value v = program.root(rule.facts[j].second)->eval(frame);
    // Held to the evaluation memory limit, as a Fact's text is.
    if (v.is_error() || !cel::append_json(v, rs.limits.max_evaluation_bytes, text)) {
      text.truncate(start);
      text.append("null");
      direct.undetermined_facts.push_back(static_cast<std::uint32_t>(j));
    }
  }
  flag.facts_end = text.size();
  flag.undetermined_end = static_cast<std::uint32_t>(direct.undetermined_facts.size());
  flag.message_begin = flag.facts_end;
  append_message(text, rule, program, frame);
  flag.message_end = text.size();
}

bool evaluate_json(const RuleSet::Impl& impl, snapshot::ParsedJson& json,
                   const EvalOptions& options, Result& result, std::string& out,
                   ResultOutline* outline) {
  thread_local DirectResult direct;
  direct.rs = impl.compiled.get();
  direct.texts = &impl.texts;
  // Outside the try: the evaluation keeps a pointer to the options' as_of until the JSON
  // is written.
  EvalOptions plain;
  try {
    const EvalOptions* run = &options;
    if (options.explain) {
      plain = options;
      plain.explain = false;
      run = &plain;
    }
    fill(impl, json, *run, result, &direct);
  } catch (...) {
    result = Result();
    throw;
  }
  if (!result.evaluated) return false;
  direct.undetermined = &result.undetermined;
  direct.violations = &result.violations;
  append_direct_json(direct, out);
  // Nor does the thread keep the size of a huge fact or message.
  if (direct.text.capacity() > (std::size_t{1} << 20)) direct.text.release();
  if (outline) {
    const ruleset::CompiledRuleSet& rs = *impl.compiled;
    outline->evaluated = true;
    outline->level = direct.has_level ? std::string_view(rs.levels[direct.level]) : "";
    outline->flags.clear();
    for (const DirectFlag& f : direct.flags) outline->flags.emplace_back(rs.rules[f.rule].id);
    outline->undetermined.clear();
    for (const std::uint32_t k : direct.undetermined_order) {
      outline->undetermined.emplace_back(*direct.undetermined_ids[k]);
    }
    outline->violations = result.violations.size();
  }
  return true;
}

}  // namespace safeguard::engine
