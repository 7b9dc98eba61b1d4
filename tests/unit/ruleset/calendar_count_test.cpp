// Calendar files count with the rule files against Limits::max_rule_files: each may be as
// large as a rule file and all are held at once, so a calendars folder of thousands of
// files took gigabytes before any limit applied.
#include <catch2/catch.hpp>

#include "../read_text.hpp"
#include "safeguard/rule_set.hpp"

namespace {

std::vector<safeguard::RuleFileText> rule_set_with_calendars(int calendars) {
  const std::string base = SAFEGUARD_SOURCE_DIR "/tests/bad-inputs/base/";
  std::vector<safeguard::RuleFileText> files = {
      {"ruleset.yaml",
       safeguard::test::read_text(base + "ruleset.yaml") + "files: [rules.yaml]\ncalendars: cal\n"},
      {"rules.yaml", safeguard::test::read_text(base + "rules.yaml")},
      {"schema.json", safeguard::test::read_text(base + "schema.json")}};
  for (int i = 0; i < calendars; ++i) {
    files.push_back(
        {"cal/c" + std::to_string(i) + ".yaml",
         "calendar: c" + std::to_string(i) + "\nextends: england-and-wales\nclosures: []\n"});
  }
  return files;
}

}  // namespace

TEST_CASE("calendar files count against max_rule_files with the rule files") {
  safeguard::LoadOptions options;
  options.limits.max_rule_files = 4;
  CHECK(safeguard::RuleSet::load(rule_set_with_calendars(3), options).ok());
  const safeguard::LoadResult r = safeguard::RuleSet::load(rule_set_with_calendars(4), options);
  REQUIRE_FALSE(r.ok());
  REQUIRE_FALSE(r.diagnostics.empty());
  CHECK(r.diagnostics.front().code == "file.too-many");
  CHECK(r.diagnostics.front().file == "cal");
  CHECK(r.diagnostics.front().message ==
        "the rule set has 5 files with its calendars (the limit is 4)");
}
