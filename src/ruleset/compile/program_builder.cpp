// Compiling a linked rule set into one CEL program, and its traced twin for explain.
#include "ruleset/compiled.hpp"

namespace safeguard::ruleset {

std::unique_ptr<cel::Program> build_program(const CompiledRuleSet& rs, bool trace,
                                            CompiledRuleSet* assign_roots,
                                            std::vector<cel::CheckIssue>* issues) {
  cel::PlanOptions options;
  options.trace = trace;
  options.max_regex_bytes = rs.limits.max_regex_bytes;
  cel::Planner planner(*rs.env, *rs.checker, options);
  const std::uint32_t rule_count = static_cast<std::uint32_t>(rs.rules.size());
  for (std::uint32_t i = 0; i < rule_count; ++i) {
    const CompiledRule& rule = rs.rules[i];
    std::uint32_t root = 0;
    if (rule.tree != nullptr) root = planner.add_rule(i, *rule.tree, rule.window);
    if (assign_roots != nullptr) assign_roots->rules[i].root = root;
  }
  for (std::uint32_t i = 0; i < rs.thresholds.size(); ++i) {
    const CompiledThreshold& t = rs.thresholds[i];
    std::uint32_t root = 0;
    if (t.tree != nullptr) root = planner.add_rule(rule_count + i, *t.tree, t.window);
    if (assign_roots != nullptr) assign_roots->thresholds[i].root = root;
  }
  // Facts, messages and due dates come after every condition, in rule order.
  for (std::uint32_t i = 0; i < rule_count; ++i) {
    const CompiledRule& rule = rs.rules[i];
    for (std::size_t k = 0; k < rule.fact_definitions.size(); ++k) {
      const std::uint32_t root = planner.add_definition_root(rule.fact_definitions[k]);
      if (assign_roots != nullptr) assign_roots->rules[i].facts[k].second = root;
    }
    for (std::size_t k = 0; k < rule.message.size(); ++k) {
      if (rule.message[k].tree == nullptr) continue;
      const std::uint32_t root = planner.add_root(*rule.message[k].tree);
      if (assign_roots != nullptr) assign_roots->rules[i].message[k].root = root;
    }
    for (std::size_t k = 0; k < rule.actions.size(); ++k) {
      if (rule.actions[k].due_tree == nullptr) continue;
      const std::uint32_t root = planner.add_root(*rule.actions[k].due_tree);
      if (assign_roots != nullptr)
        assign_roots->rules[i].actions[k].due_root = static_cast<std::int32_t>(root);
    }
  }
  if (issues != nullptr) *issues = planner.issues();
  return planner.finish();
}

const cel::Program& CompiledRuleSet::explain_program() const {
  std::call_once(explain_once_, [this] { explain_program_ = build_program(*this, true); });
  return *explain_program_;
}

}  // namespace safeguard::ruleset
