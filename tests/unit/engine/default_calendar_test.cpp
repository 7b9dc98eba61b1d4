// A manifest without `calendar:` uses England and Wales for working days, as docs/cel.md and
// design.md say; it had no calendar at all, so every working-day condition and due date of
// such a rule set was undetermined ("no working-day calendar is configured") while
// `safeguard check` reported nothing.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kNoCalendar =
    "ruleset: test\n"
    "version: \"1.2\"\n"
    "levels: [universal, early_help, child_in_need, child_protection]\n";

const char* const kRules = R"yaml(
rules:
  - id: after-easter
    title: After Easter
    severity: low
    when: add_working_days(as_of, 1) == date("2024-04-02")
    actions:
      - {id: act, text: Act, owner: social_worker, due: "add_working_days(as_of, 1)"}
)yaml";

std::shared_ptr<const RuleSet> load(const char* manifest, const LoadOptions& options = {}) {
  LoadResult loaded = RuleSet::load({{"ruleset.yaml", manifest}, {"rules.yaml", kRules}}, options);
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  return loaded.rule_set;
}

}  // namespace

TEST_CASE("default calendar: a manifest without calendar: counts England and Wales working days") {
  const Result r = evaluate(*load(kNoCalendar), "{}", "2024-03-28");
  REQUIRE(r.evaluated);
  CHECK(r.undetermined.empty());
  REQUIRE(r.flags.size() == 1);
  REQUIRE(r.actions.size() == 1);
  CHECK(r.actions[0].due == "2024-04-02");  // Good Friday and Easter Monday skipped
}

TEST_CASE("default calendar: the same as naming england-and-wales, digest included") {
  CHECK(load(kNoCalendar)->info().calendars == load(kManifest)->info().calendars);
}

TEST_CASE("default calendar: the host's default still wins over it") {
  LoadOptions scottish;
  scottish.calendar = "scotland";
  // Easter Monday is a working day in Scotland: the next working day after Thursday
  // 28 March 2024 is Monday 1 April.
  const Result r = evaluate(*load(kNoCalendar, scottish), "{}", "2024-03-28");
  REQUIRE(r.evaluated);
  CHECK(r.flags.empty());
  CHECK(r.undetermined.empty());
}
