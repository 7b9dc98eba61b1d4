// Fuzzes the rule loader, linker and compiler: the input is one rule file, loaded beside
// the bad-input corpus's base manifest and the shipped snapshot schema. A rule file that
// loads is then evaluated, with and without explanations, against the base case.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "safeguard/rule_set.hpp"

namespace {}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const safeguard::fuzz::BaseRuleSet& f = safeguard::fuzz::base_rule_set();
  std::vector<safeguard::RuleFileText> files{
      {"ruleset.yaml", f.manifest},
      {"schema.json", f.schema},
      {"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)}};
  safeguard::LoadOptions load_options;
  load_options.limits = safeguard::fuzz::fuzz_limits();
  const safeguard::LoadResult loaded = safeguard::RuleSet::load(std::move(files), load_options);
  if (!loaded.ok()) {
    if (!safeguard::has_errors(loaded.diagnostics)) __builtin_trap();  // refused without saying why
    (void)safeguard::format(loaded.diagnostics);
    return 0;
  }
  safeguard::EvalOptions options;
  options.as_of = "2024-06-03";
  (void)loaded.rule_set->evaluate(f.snapshot, options).to_json();
  options.explain = true;
  const safeguard::Result r = loaded.rule_set->evaluate(f.snapshot, options);
  (void)safeguard::to_text(r);
  return 0;
}
