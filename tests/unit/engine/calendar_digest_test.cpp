// ruleset.calendars in a result: a digest of the working-day calendars the evaluation used,
// so that two results with the same rule-set fingerprint but different calendars (a host's
// closures, another default) can be told apart.
#include "rule_set_fixture.hpp"
#include "safeguard/calendar.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kRules = R"yaml(
rules:
  - id: always
    title: Always
    severity: low
    when: true
    actions:
      - {id: act, text: Act, owner: social_worker, due: "add_working_days(as_of, 1)"}
)yaml";

std::shared_ptr<const RuleSet> load_with(const LoadOptions& options) {
  LoadResult loaded = RuleSet::load({{"ruleset.yaml", kManifest}, {"rules.yaml", kRules}}, options);
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  return loaded.rule_set;
}

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

TEST_CASE("calendars digest: the same calendars give the same digest, in the result too") {
  const auto a = load_with({});
  const auto b = load_with({});
  CHECK(is_sha256_hex(a->info().calendars));
  CHECK(a->info().calendars == b->info().calendars);
  const Result r = evaluate(*a, "{}", "2024-03-28");
  CHECK(r.ruleset.calendars == a->info().calendars);
  CHECK(r.to_json().find("\"calendars\":\"" + a->info().calendars + "\"") != std::string::npos);
}

TEST_CASE("calendars digest: a host's calendar or default changes it, not the fingerprint") {
  const auto plain = load_with({});

  LoadOptions closures;
  const CalendarLoad council =
      Calendar::built_in("england-and-wales")->with_closures("england-and-wales", {"2024-03-29"});
  REQUIRE(council.calendar);
  closures.calendars.push_back(council.calendar);
  const auto with_closures = load_with(closures);

  LoadOptions scottish;
  scottish.calendar = "scotland";
  const auto by_default = load_with(scottish);

  CHECK(with_closures->info().fingerprint == plain->info().fingerprint);
  CHECK(by_default->info().fingerprint == plain->info().fingerprint);
  CHECK(with_closures->info().calendars != plain->info().calendars);
  CHECK(by_default->info().calendars != plain->info().calendars);
  CHECK(by_default->info().calendars != with_closures->info().calendars);
}

TEST_CASE("calendars digest: a default calendar given for one evaluation is named in its result") {
  const auto plain = load_with({});
  LoadOptions scottish_default;
  scottish_default.calendar = "scotland";
  const auto scottish = load_with(scottish_default);

  EvalOptions options;
  options.as_of = "2024-03-28";
  options.calendar = Calendar::built_in("scotland");
  // Twice: the second is remembered from the first, and must say the same.
  for (int i = 0; i < 2; ++i) {
    const Result r = plain->evaluate("{}", options);
    REQUIRE(r.evaluated);
    // The same calendars, the same default: the same digest as a rule set loaded that way.
    CHECK(r.ruleset.calendars == scottish->info().calendars);
    CHECK(r.ruleset.calendars != plain->info().calendars);
  }
  // The rule set's own default given again changes nothing.
  options.calendar = Calendar::built_in("england-and-wales");
  CHECK(plain->evaluate("{}", options).ruleset.calendars == plain->info().calendars);
  // Another rule set with the same override: its own calendars, not the remembered digest.
  LoadOptions closures;
  closures.calendars.push_back(Calendar::built_in("england-and-wales")
                                   ->with_closures("england-and-wales", {"2024-03-29"})
                                   .calendar);
  const auto with_closures = load_with(closures);
  options.calendar = Calendar::built_in("scotland");
  const Result first = plain->evaluate("{}", options);
  const Result other = with_closures->evaluate("{}", options);
  CHECK(first.ruleset.calendars != other.ruleset.calendars);
}
