// Fuzzes snapshot parsing, schema validation and evaluation: the input is one case
// snapshot, evaluated against the bad-input corpus's base rule set (which reads dates,
// date-times and lists) as of a fixed date, plainly and with explanations.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"
#include "safeguard/rule_set.hpp"

namespace {

std::shared_ptr<const safeguard::RuleSet> load_base() {
  using safeguard::fuzz::source_file;
  std::vector<safeguard::RuleFileText> files{
      {"ruleset.yaml", source_file("tests/bad-inputs/base/ruleset.yaml") + "files: [rules.yaml]\n"},
      {"rules.yaml", source_file("tests/bad-inputs/base/rules.yaml")},
      {"schema.json", source_file("tests/bad-inputs/base/schema.json")}};
  safeguard::LoadOptions options;
  options.limits = safeguard::fuzz::fuzz_limits();
  safeguard::LoadResult loaded = safeguard::RuleSet::load(std::move(files), options);
  if (!loaded.ok()) __builtin_trap();
  return loaded.rule_set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::shared_ptr<const safeguard::RuleSet> rules = load_base();
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  safeguard::EvalOptions options;
  options.as_of = "2024-06-03";
  const safeguard::Result plain = rules->evaluate(json, options);
  if (!plain.evaluated && plain.errors.empty()) __builtin_trap();  // refused without saying why
  (void)plain.to_json();
  options.explain = true;
  options.validate = false;
  (void)safeguard::to_text(rules->evaluate(json, options));
  const safeguard::SnapshotParse parsed = safeguard::Snapshot::parse(json);
  if (parsed.ok() != plain.evaluated && plain.errors.front().code.rfind("snapshot.json", 0) == 0) {
    __builtin_trap();  // the two ways in disagree about whether this is JSON
  }
  return 0;
}
