// A calendars folder the manifest names must be there: misspelt, it loaded no calendars
// without a word, and a council calendar that adds office closures to a built-in one (under
// the built-in's name) gave way to the built-in one, so deadlines counted closure days as
// working days.
#include <catch2/catch.hpp>

#include "../read_text.hpp"
#include "safeguard/rule_set.hpp"

namespace {

std::vector<safeguard::RuleFileText> rule_set(const std::string& manifest_tail,
                                              const std::string& calendar_path) {
  const std::string base = SAFEGUARD_SOURCE_DIR "/tests/bad-inputs/base/";
  std::vector<safeguard::RuleFileText> files = {
      {"ruleset.yaml",
       safeguard::test::read_text(base + "ruleset.yaml") + "files: [rules.yaml]\n" + manifest_tail},
      {"rules.yaml", safeguard::test::read_text(base + "rules.yaml")},
      {"schema.json", safeguard::test::read_text(base + "schema.json")}};
  if (!calendar_path.empty()) {
    files.push_back({calendar_path,
                     "calendar: england-and-wales\nextends: england-and-wales\nclosures:\n"
                     "  - {date: 2024-12-27, name: Office closure}\n"});
  }
  return files;
}

}  // namespace

TEST_CASE("a calendars folder the manifest names but that is not there is an error") {
  const safeguard::LoadResult r = safeguard::RuleSet::load(
      rule_set("calendars: calendar\n", "calendars/council.yaml"), safeguard::LoadOptions{});
  REQUIRE_FALSE(r.ok());
  REQUIRE_FALSE(r.diagnostics.empty());
  const safeguard::Diagnostic& d = r.diagnostics.front();
  CHECK(d.code == "manifest.calendars");
  CHECK(d.file == "ruleset.yaml");
  CHECK(d.line == 11);
  CHECK(d.column == 12);
  CHECK(d.message ==
        "calendars folder 'calendar' does not exist (no file's path starts with 'calendar/')");
}

TEST_CASE("a calendars folder that is there loads, and the default folder may be missing") {
  CHECK(safeguard::RuleSet::load(rule_set("calendars: calendars\n", "calendars/council.yaml"),
                                 safeguard::LoadOptions{})
            .ok());
  CHECK(safeguard::RuleSet::load(rule_set("calendars: ./calendars\n", "calendars/council.yaml"),
                                 safeguard::LoadOptions{})
            .ok());
  // Without the key the folder is "calendars" if there is one.
  CHECK(safeguard::RuleSet::load(rule_set("", ""), safeguard::LoadOptions{}).ok());
  CHECK(safeguard::RuleSet::load(rule_set("", "calendars/council.yaml"), safeguard::LoadOptions{})
            .ok());
}
