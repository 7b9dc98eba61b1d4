// Working-day conventions on a hand-built calendar (England and Wales, 2023-2025). The
// shipped calendar files are checked against these conventions in
// tests/unit/ruleset/calendar_data_test.cpp.
#include <catch2/catch.hpp>

#include <limits>

#include "time/calendar.hpp"
#include "time/date.hpp"

using namespace safeguard::time;

namespace {

std::int64_t d(const char* text) {
  const std::optional<std::int64_t> day = parse_date(text);
  REQUIRE(day.has_value());
  return *day;
}

std::shared_ptr<const WorkingCalendar> england_2023_2025() {
  WorkingCalendar::Spec spec;
  spec.name = "england-and-wales";
  spec.title = "England and Wales";
  spec.first = d("2023-01-01");
  spec.last = d("2025-12-31");
  for (const char* day : {"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
                          "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26", "2024-01-01",
                          "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
                          "2024-12-25", "2024-12-26", "2025-01-01", "2025-04-18", "2025-04-21",
                          "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"}) {
    spec.closures.push_back(Closure{d(day), "bank holiday"});
  }
  WorkingCalendar::Built built = WorkingCalendar::build(std::move(spec));
  REQUIRE(built.calendar);
  return built.calendar;
}

std::string add(const WorkingCalendar& c, const char* from, std::int64_t n) {
  const std::optional<std::int64_t> r = c.add_working_days(d(from), n);
  return r ? format_date(*r) : "error";
}

std::optional<std::int64_t> between(const WorkingCalendar& c, const char* a, const char* b) {
  return c.working_days_between(d(a), d(b));
}

}  // namespace

TEST_CASE("add_working_days skips weekends and bank holidays") {
  const auto cal = england_2023_2025();
  // Thursday before Easter: Good Friday and Easter Monday are skipped.
  CHECK(add(*cal, "2024-03-28", 1) == "2024-04-02");
  // A contact received on a Saturday is due on the Monday: receipt is day 0.
  CHECK(add(*cal, "2024-06-01", 1) == "2024-06-03");
  CHECK(add(*cal, "2024-06-02", 1) == "2024-06-03");
  CHECK(add(*cal, "2024-12-24", 1) == "2024-12-27");
  CHECK(add(*cal, "2025-12-24", 3) == "2025-12-31");
  CHECK(add(*cal, "2024-03-01", 45) == "2024-05-08");  // across Easter and early May
  CHECK(add(*cal, "2024-12-20", 15) == "2025-01-15");  // across Christmas and New Year
  CHECK(add(*cal, "2023-03-20", 45) == "2023-05-26");  // the 2023 coronation holiday too
  CHECK(add(*cal, "2025-04-01", 15) == "2025-04-24");
  CHECK(add(*cal, "2024-12-01", 15) == "2024-12-20");
}

TEST_CASE("add_working_days with n = 0 is the day itself, working or not") {
  const auto cal = england_2023_2025();
  CHECK(add(*cal, "2024-06-01", 0) == "2024-06-01");  // a Saturday
  CHECK(add(*cal, "2024-12-25", 0) == "2024-12-25");
  CHECK(add(*cal, "1999-01-01", 0) == "1999-01-01");  // needs no day of the calendar
}

TEST_CASE("negative n counts working days backwards") {
  const auto cal = england_2023_2025();
  CHECK(add(*cal, "2024-04-02", -1) == "2024-03-28");
  CHECK(add(*cal, "2025-01-02", -5) == "2024-12-23");
  CHECK(add(*cal, "2024-03-28", -3) == "2024-03-25");
  CHECK(add(*cal, "2024-06-03", -1) == "2024-05-31");
  // Round trip from a working day.
  for (const char* day : {"2024-03-28", "2024-12-27", "2025-01-02", "2023-05-09"}) {
    for (std::int64_t n : {1, 5, 15, 45}) {
      INFO(day << " " << n);
      CHECK(cal->add_working_days(*cal->add_working_days(d(day), n), -n) == d(day));
    }
  }
}

TEST_CASE("working_days_between counts days after the first up to and including the second") {
  const auto cal = england_2023_2025();
  CHECK(between(*cal, "2024-03-28", "2024-04-02") == 1);
  CHECK(between(*cal, "2024-06-01", "2024-06-03") == 1);
  CHECK(between(*cal, "2024-03-01", "2024-05-03") == 43);
  CHECK(between(*cal, "2024-12-20", "2025-01-10") == 12);
  CHECK(between(*cal, "2022-12-31", "2023-01-03") == 1);  // from the day before coverage
  CHECK(between(*cal, "2024-06-05", "2024-06-05") == 0);
  CHECK(between(*cal, "2024-06-01", "2024-06-02") == 0);  // a weekend
  // Reversed: minus the count the other way.
  CHECK(between(*cal, "2024-04-02", "2024-03-28") == -1);
  CHECK(between(*cal, "2025-01-10", "2024-12-20") == -12);
  // Consistent with add_working_days.
  for (std::int64_t n = 1; n < 300; n += 7) {
    CHECK(between(*cal, "2024-01-03",
                  format_date(*cal->add_working_days(d("2024-01-03"), n)).c_str()) == n);
  }
}

TEST_CASE("is_working_day knows weekends everywhere and holidays inside the coverage") {
  const auto cal = england_2023_2025();
  CHECK(cal->is_working_day(d("2024-03-29")) == false);  // Good Friday
  CHECK(cal->is_working_day(d("2024-03-28")) == true);
  CHECK(cal->is_working_day(d("2024-06-01")) == false);           // Saturday
  CHECK(cal->is_working_day(d("2031-06-07")) == false);           // Saturday, outside coverage
  CHECK_FALSE(cal->is_working_day(d("2031-06-09")).has_value());  // Monday, unknown
  CHECK_FALSE(cal->is_working_day(std::numeric_limits<std::int64_t>::max()).has_value());
  CHECK_FALSE(cal->is_working_day(std::numeric_limits<std::int64_t>::min()).has_value());
  REQUIRE(cal->closure_on(d("2024-12-25")) != nullptr);
  CHECK(cal->closure_on(d("2024-12-25"))->name == "bank holiday");
  CHECK(cal->closure_on(d("2024-12-24")) == nullptr);
}

TEST_CASE("answers needing days outside the coverage are errors, never guesses") {
  const auto cal = england_2023_2025();
  CHECK(add(*cal, "2025-12-31", 1) == "error");
  CHECK(add(*cal, "2025-12-24", 4) == "error");       // the 4th working day is in 2026
  CHECK(add(*cal, "2022-12-30", 1) == "error");       // 31 December 2022 is not covered
  CHECK(add(*cal, "2022-12-31", 1) == "2023-01-03");  // only days after it are examined
  CHECK(add(*cal, "2023-01-03", -1) == "error");
  CHECK(add(*cal, "2026-01-01", -1) == "2025-12-31");  // only days before it are examined
  CHECK(add(*cal, "2026-01-02", -1) == "error");
  CHECK(add(*cal, "2024-06-03", std::numeric_limits<std::int64_t>::max()) == "error");
  CHECK(add(*cal, "2024-06-03", std::numeric_limits<std::int64_t>::min()) == "error");
  CHECK_FALSE(between(*cal, "2025-12-01", "2026-01-05").has_value());
  CHECK_FALSE(between(*cal, "2026-01-05", "2025-12-01").has_value());
  CHECK_FALSE(between(*cal, "2022-12-30", "2023-01-05").has_value());
  constexpr std::int64_t kBig = std::numeric_limits<std::int64_t>::max();
  CHECK_FALSE(cal->working_days_between(-kBig, kBig).has_value());
  CHECK_FALSE(cal->working_days_between(kBig, -kBig).has_value());
  CHECK_FALSE(cal->add_working_days(kBig, 1).has_value());
  CHECK_FALSE(cal->add_working_days(-kBig, -1).has_value());
}

TEST_CASE("a derived calendar adds a council's office closures") {
  const auto cal = england_2023_2025();
  WorkingCalendar::Derivation extra;
  extra.name = "example-council";
  extra.title = "Example Council";
  extra.closures = {{d("2024-12-27"), "Office closure"},
                    {d("2024-12-30"), "Office closure"},
                    {d("2024-12-31"), "Office closure"},
                    {d("2024-12-25"), "Already a bank holiday"}};
  const WorkingCalendar::Built built = WorkingCalendar::derive(*cal, std::move(extra));
  REQUIRE(built.calendar);
  const WorkingCalendar& council = *built.calendar;
  CHECK(council.name() == "example-council");
  CHECK(add(council, "2024-12-24", 1) == "2025-01-02");
  CHECK(add(*cal, "2024-12-24", 1) == "2024-12-27");  // the base is unchanged
  CHECK(council.closure_on(d("2024-12-25"))->name == "bank holiday");
  CHECK(council.closures().size() == cal->closures().size() + 3);

  WorkingCalendar::Derivation narrow;
  narrow.name = "narrow";
  narrow.first = d("2024-01-01");
  narrow.last = d("2024-12-31");
  const WorkingCalendar::Built narrowed = WorkingCalendar::derive(*cal, std::move(narrow));
  REQUIRE(narrowed.calendar);
  CHECK(add(*narrowed.calendar, "2024-12-24", 1) == "2024-12-27");
  CHECK(add(*narrowed.calendar, "2024-12-31", 1) == "error");

  WorkingCalendar::Derivation outside;
  outside.name = "outside";
  outside.closures = {{d("2026-01-02"), "Office closure"}};
  CHECK(WorkingCalendar::derive(*cal, std::move(outside)).error ==
        WorkingCalendar::BuildError::kClosureOutsideCoverage);

  WorkingCalendar::Derivation wider;
  wider.name = "wider";
  wider.last = d("2026-12-31");
  CHECK(WorkingCalendar::derive(*cal, std::move(wider)).error ==
        WorkingCalendar::BuildError::kBadCoverage);
}

TEST_CASE("build rejects inconsistent specifications") {
  WorkingCalendar::Spec spec;
  spec.name = "bad";
  spec.first = d("2024-01-01");
  spec.last = d("2023-12-31");
  CHECK(WorkingCalendar::build(spec).error == WorkingCalendar::BuildError::kBadCoverage);
  spec.last = d("2024-12-31");
  spec.closures = {{d("2024-05-06"), "a"}, {d("2024-05-06"), "b"}};
  CHECK(WorkingCalendar::build(spec).error == WorkingCalendar::BuildError::kDuplicateClosure);
  spec.closures = {{d("2025-05-05"), "a"}};
  CHECK(WorkingCalendar::build(spec).error == WorkingCalendar::BuildError::kClosureOutsideCoverage);
  spec.closures.clear();
  spec.weekend = 0x7F;
  CHECK(WorkingCalendar::build(spec).error == WorkingCalendar::BuildError::kNoWorkingDays);
  spec.weekend = 0;  // a seven-day service: every day works
  const auto seven = WorkingCalendar::build(spec);
  REQUIRE(seven.calendar);
  CHECK(add(*seven.calendar, "2024-06-01", 1) == "2024-06-02");
  spec.first = kMinDay;
  spec.last = kMaxDay;
  CHECK(WorkingCalendar::build(spec).error == WorkingCalendar::BuildError::kBadCoverage);
}
