// Fuzzes the reader of rule-test files (`safeguard test`): YAML with anchors, aliases and
// merge keys, cases written inline and turned into JSON, patches, expectations. The reader
// must report every problem as a located error, never crash, recurse without bound or
// expand aliases without bound (an alias cycle once overflowed its stack). Each test whose
// case was read is then evaluated against the shipped rule pack, as the runner would.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz_common.hpp"
#include "safeguard/rule_set.hpp"
#include "test_model.hpp"

namespace {

std::shared_ptr<const safeguard::RuleSet> shipped_rules() {
  safeguard::LoadOptions options;
  options.limits = safeguard::fuzz::fuzz_limits();
  const safeguard::LoadResult loaded =
      safeguard::RuleSet::load(std::string(SAFEGUARD_SOURCE_DIR) + "/rules", options);
  if (!loaded.ok()) std::abort();  // fuzzing against nothing would find nothing
  return loaded.rule_set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace test = safeguard::cli::test;
  static const std::shared_ptr<const safeguard::RuleSet> rules = shipped_rules();
  // Relative case_file references resolve beside the seeds, which hold a few case files.
  static const std::string path =
      std::string(SAFEGUARD_SOURCE_DIR) + "/fuzz/seeds/fuzz_tests/fuzz.test.yaml";
  const test::TestFile file =
      test::read_test_text(path, std::string(reinterpret_cast<const char*>(data), size));
  for (const test::TestError& e : file.errors) (void)test::format(e);
  for (const test::TestSpec& spec : file.tests) {
    for (const test::TestError& e : spec.errors) (void)test::format(e);
    if (!spec.errors.empty() || !test::is_date(spec.as_of)) continue;
    safeguard::EvalOptions options;
    options.as_of = spec.as_of;
    (void)rules->evaluate(spec.case_json, options).to_json();
  }
  return 0;
}
