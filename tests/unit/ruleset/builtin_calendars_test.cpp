// Built-in calendars are parsed only when something asks for them: a rule set that brings
// its own calendars under the built-in names (the shipped pack) spared none of their
// parsing, a fifth of loading it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

#include "ruleset/load/builtin_calendars.hpp"
#include "ruleset/load/calendar_access.hpp"
#include "ruleset/load/calendar_file.hpp"
#include "safeguard/calendar.hpp"
#include "safeguard/rule_set.hpp"

using namespace safeguard;

namespace {

const std::string kCalendarBody =
    "covers: {from: 2024-01-01, until: 2024-12-31}\nweekend: [saturday, sunday]\nclosures: []\n";

// A scope offering two fallback calendars by name, counting what is asked of it.
struct CountingScope {
  ruleset::CalendarScope scope;
  std::map<std::string, int> asked;

  CountingScope() {
    scope.fallback_names = {"alpha", "beta"};
    scope.fallback = [this](const std::string& name) {
      ++asked[name];
      ruleset::CalendarFileResult r =
          ruleset::load_calendar_text("calendar: " + name + "\n" + kCalendarBody, name, {});
      REQUIRE(r.calendar);
      return r.calendar;
    };
  }
};

}  // namespace

TEST_CASE("fallback calendars are built only for the texts that extend them") {
  CountingScope counting;
  SECTION("texts that replace every fallback ask for none") {
    const ruleset::CalendarDirectoryResult r =
        ruleset::load_calendar_texts({{"a.yaml", "calendar: alpha\n" + kCalendarBody},
                                      {"b.yaml", "calendar: beta\n" + kCalendarBody}},
                                     counting.scope);
    CHECK(r.calendars.size() == 2);
    CHECK(counting.asked.empty());
  }
  SECTION("a text that extends a fallback under its own name asks for that one once") {
    const ruleset::CalendarDirectoryResult r = ruleset::load_calendar_texts(
        {{"a.yaml", "calendar: alpha\nextends: alpha\nclosures: []\n"},
         {"c.yaml", "calendar: gamma\nextends: alpha\nclosures: []\n"}},
        counting.scope);
    CHECK(format(r.diagnostics).empty());
    CHECK(r.calendars.size() == 2);
    CHECK(counting.asked == std::map<std::string, int>{{"alpha", 1}});
  }
  SECTION("an unknown base is reported with the fallbacks' names, none of them built") {
    const ruleset::CalendarDirectoryResult r = ruleset::load_calendar_texts(
        {{"c.yaml", "calendar: gamma\nextends: northumbria\nclosures: []\n"}}, counting.scope);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "calendar.unknown-calendar");
    CHECK(r.diagnostics[0].hint == "loaded calendars: alpha, beta");
    CHECK(counting.asked.empty());
  }
}

// Hidden ("[.]"): it needs a process in which no built-in calendar was asked for yet, which
// CTest gives it (tests/CMakeLists.txt, unit.ruleset.builtin-calendars-lazy).
TEST_CASE("loading the shipped pack parses no built-in calendar", "[.][builtin-calendars-lazy]") {
  for (const auto& text : ruleset::builtin_calendar_texts())
    REQUIRE_FALSE(ruleset::builtin_calendar_parsed(text.calendar_name));

  const LoadResult shipped = RuleSet::load(SAFEGUARD_SOURCE_DIR "/rules");
  REQUIRE(shipped.ok());
  for (const auto& text : ruleset::builtin_calendar_texts())
    CHECK_FALSE(ruleset::builtin_calendar_parsed(text.calendar_name));

  // Asking for one parses that one only, and it is the calendar of that name.
  const std::shared_ptr<const Calendar> scotland = Calendar::built_in("scotland");
  REQUIRE(scotland);
  CHECK(scotland->name() == "scotland");
  CHECK(ruleset::builtin_calendar_parsed("scotland"));
  CHECK_FALSE(ruleset::builtin_calendar_parsed("england-and-wales"));
  CHECK(Calendar::built_in("scotland") == scotland);
  CHECK_FALSE(Calendar::built_in("atlantis"));

  // The full list holds the same objects.
  const auto& all = Calendar::built_in();
  CHECK(all.size() == ruleset::builtin_calendar_texts().size());
  CHECK(std::count(all.begin(), all.end(), scotland) == 1);
  for (const auto& text : ruleset::builtin_calendar_texts())
    CHECK(ruleset::builtin_calendar_parsed(text.calendar_name));
}
