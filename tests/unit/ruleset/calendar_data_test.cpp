// The shipped calendars (rules/calendars/*.yaml) against the bank-holiday tables of
// domain.md section 9, and working-day spans across Easter, Christmas and New Year.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>

#include "ruleset/load/calendar_file.hpp"
#include "time/date.hpp"

using namespace safeguard;
using safeguard::ruleset::CalendarMap;

namespace {

const CalendarMap& shipped() {
  static const CalendarMap calendars = [] {
    ruleset::CalendarDirectoryResult r =
        ruleset::load_calendar_directory(SAFEGUARD_SOURCE_DIR "/rules/calendars", {});
    INFO(format(r.diagnostics));
    REQUIRE(r.diagnostics.empty());  // not even a warning
    return r.calendars;
  }();
  return calendars;
}

const time::WorkingCalendar& cal(const char* name) {
  const auto it = shipped().find(name);
  REQUIRE(it != shipped().end());
  return *it->second;
}

std::int64_t d(const std::string& text) {
  const std::optional<std::int64_t> day = time::parse_date(text);
  REQUIRE(day.has_value());
  return *day;
}

// The closures of `c` in `year`, as "MM-DD, MM-DD, ..." like the tables in domain.md.
std::string closures_in(const time::WorkingCalendar& c, int year) {
  std::string out;
  for (const time::Closure& closure : c.closures()) {
    const std::string date = time::format_date(closure.day);
    if (date.compare(0, 4, std::to_string(year)) != 0) continue;
    if (!out.empty()) out += ", ";
    out += date.substr(5);
  }
  return out;
}

std::string name_on(const char* calendar, const char* date) {
  const time::Closure* c = cal(calendar).closure_on(d(date));
  return c != nullptr ? c->name : "(none)";
}

std::string add(const char* calendar, const char* from, std::int64_t n) {
  const std::optional<std::int64_t> r = cal(calendar).add_working_days(d(from), n);
  return r ? time::format_date(*r) : "error";
}

std::optional<std::int64_t> between(const char* calendar, const char* a, const char* b) {
  return cal(calendar).working_days_between(d(a), d(b));
}

// domain.md section 9, row by row, from 2018; before it (not in domain.md, and before
// GOV.UK's data) the standing rules and the one-off days of 2002, 2011 and 2012. The rows
// for 2010-2017 were written down independently of the calendar file and agree with it.
const std::map<int, const char*> kEnglandAndWales = {
    {2000, "01-03, 04-21, 04-24, 05-01, 05-29, 08-28, 12-25, 12-26"},
    {2001, "01-01, 04-13, 04-16, 05-07, 05-28, 08-27, 12-25, 12-26"},
    {2002, "01-01, 03-29, 04-01, 05-06, 06-03, 06-04, 08-26, 12-25, 12-26"},
    {2003, "01-01, 04-18, 04-21, 05-05, 05-26, 08-25, 12-25, 12-26"},
    {2004, "01-01, 04-09, 04-12, 05-03, 05-31, 08-30, 12-27, 12-28"},
    {2005, "01-03, 03-25, 03-28, 05-02, 05-30, 08-29, 12-26, 12-27"},
    {2006, "01-02, 04-14, 04-17, 05-01, 05-29, 08-28, 12-25, 12-26"},
    {2007, "01-01, 04-06, 04-09, 05-07, 05-28, 08-27, 12-25, 12-26"},
    {2008, "01-01, 03-21, 03-24, 05-05, 05-26, 08-25, 12-25, 12-26"},
    {2009, "01-01, 04-10, 04-13, 05-04, 05-25, 08-31, 12-25, 12-28"},
    {2010, "01-01, 04-02, 04-05, 05-03, 05-31, 08-30, 12-27, 12-28"},
    {2011, "01-03, 04-22, 04-25, 04-29, 05-02, 05-30, 08-29, 12-26, 12-27"},
    {2012, "01-02, 04-06, 04-09, 05-07, 06-04, 06-05, 08-27, 12-25, 12-26"},
    {2013, "01-01, 03-29, 04-01, 05-06, 05-27, 08-26, 12-25, 12-26"},
    {2014, "01-01, 04-18, 04-21, 05-05, 05-26, 08-25, 12-25, 12-26"},
    {2015, "01-01, 04-03, 04-06, 05-04, 05-25, 08-31, 12-25, 12-28"},
    {2016, "01-01, 03-25, 03-28, 05-02, 05-30, 08-29, 12-26, 12-27"},
    {2017, "01-02, 04-14, 04-17, 05-01, 05-29, 08-28, 12-25, 12-26"},
    {2018, "01-01, 03-30, 04-02, 05-07, 05-28, 08-27, 12-25, 12-26"},
    {2019, "01-01, 04-19, 04-22, 05-06, 05-27, 08-26, 12-25, 12-26"},
    {2020, "01-01, 04-10, 04-13, 05-08, 05-25, 08-31, 12-25, 12-28"},
    {2021, "01-01, 04-02, 04-05, 05-03, 05-31, 08-30, 12-27, 12-28"},
    {2022, "01-03, 04-15, 04-18, 05-02, 06-02, 06-03, 08-29, 09-19, 12-26, 12-27"},
    {2023, "01-02, 04-07, 04-10, 05-01, 05-08, 05-29, 08-28, 12-25, 12-26"},
    {2024, "01-01, 03-29, 04-01, 05-06, 05-27, 08-26, 12-25, 12-26"},
    {2025, "01-01, 04-18, 04-21, 05-05, 05-26, 08-25, 12-25, 12-26"},
    {2026, "01-01, 04-03, 04-06, 05-04, 05-25, 08-31, 12-25, 12-28"},
    {2027, "01-01, 03-26, 03-29, 05-03, 05-31, 08-30, 12-27, 12-28"},
    {2028, "01-03, 04-14, 04-17, 05-01, 05-29, 08-28, 12-25, 12-26"},
    {2029, "01-01, 03-30, 04-02, 05-07, 05-28, 08-27, 12-25, 12-26"},
    {2030, "01-01, 04-19, 04-22, 05-06, 05-27, 08-26, 12-25, 12-26"},
};

const std::map<int, const char*> kScotland = {
    {2018, "01-01, 01-02, 03-30, 05-07, 05-28, 08-06, 11-30, 12-25, 12-26"},
    {2019, "01-01, 01-02, 04-19, 05-06, 05-27, 08-05, 12-02, 12-25, 12-26"},
    {2020, "01-01, 01-02, 04-10, 05-08, 05-25, 08-03, 11-30, 12-25, 12-28"},
    {2021, "01-01, 01-04, 04-02, 05-03, 05-31, 08-02, 11-30, 12-27, 12-28"},
    {2022, "01-03, 01-04, 04-15, 05-02, 06-02, 06-03, 08-01, 09-19, 11-30, 12-26, 12-27"},
    {2023, "01-02, 01-03, 04-07, 05-01, 05-08, 05-29, 08-07, 11-30, 12-25, 12-26"},
    {2024, "01-01, 01-02, 03-29, 05-06, 05-27, 08-05, 12-02, 12-25, 12-26"},
    {2025, "01-01, 01-02, 04-18, 05-05, 05-26, 08-04, 12-01, 12-25, 12-26"},
    {2026, "01-01, 01-02, 04-03, 05-04, 05-25, 08-03, 11-30, 12-25, 12-28"},
    {2027, "01-01, 01-04, 03-26, 05-03, 05-31, 08-02, 11-30, 12-27, 12-28"},
    {2028, "01-03, 01-04, 04-14, 05-01, 05-29, 08-07, 11-30, 12-25, 12-26"},
    {2029, "01-01, 01-02, 03-30, 05-07, 05-28, 08-06, 11-30, 12-25, 12-26"},
    {2030, "01-01, 01-02, 04-19, 05-06, 05-27, 08-05, 12-02, 12-25, 12-26"},
};

const std::map<int, const char*> kNorthernIreland = {
    {2018, "01-01, 03-19, 03-30, 04-02, 05-07, 05-28, 07-12, 08-27, 12-25, 12-26"},
    {2019, "01-01, 03-18, 04-19, 04-22, 05-06, 05-27, 07-12, 08-26, 12-25, 12-26"},
    {2020, "01-01, 03-17, 04-10, 04-13, 05-08, 05-25, 07-13, 08-31, 12-25, 12-28"},
    {2021, "01-01, 03-17, 04-02, 04-05, 05-03, 05-31, 07-12, 08-30, 12-27, 12-28"},
    {2022, "01-03, 03-17, 04-15, 04-18, 05-02, 06-02, 06-03, 07-12, 08-29, 09-19, 12-26, 12-27"},
    {2023, "01-02, 03-17, 04-07, 04-10, 05-01, 05-08, 05-29, 07-12, 08-28, 12-25, 12-26"},
    {2024, "01-01, 03-18, 03-29, 04-01, 05-06, 05-27, 07-12, 08-26, 12-25, 12-26"},
    {2025, "01-01, 03-17, 04-18, 04-21, 05-05, 05-26, 07-14, 08-25, 12-25, 12-26"},
    {2026, "01-01, 03-17, 04-03, 04-06, 05-04, 05-25, 07-13, 08-31, 12-25, 12-28"},
    {2027, "01-01, 03-17, 03-26, 03-29, 05-03, 05-31, 07-12, 08-30, 12-27, 12-28"},
    {2028, "01-03, 03-17, 04-14, 04-17, 05-01, 05-29, 07-12, 08-28, 12-25, 12-26"},
    {2029, "01-01, 03-19, 03-30, 04-02, 05-07, 05-28, 07-12, 08-27, 12-25, 12-26"},
    {2030, "01-01, 03-18, 04-19, 04-22, 05-06, 05-27, 07-12, 08-26, 12-25, 12-26"},
};

}  // namespace

TEST_CASE("the shipped calendars load without a single diagnostic") {
  CHECK(shipped().size() == 3);
  for (const char* name : {"england-and-wales", "scotland", "northern-ireland"}) {
    INFO(name);
    const time::WorkingCalendar& c = cal(name);
    // England and Wales reaches back to 2000, for the old records of a child's case.
    CHECK(time::format_date(c.first()) ==
          (std::string(name) == "england-and-wales" ? "2000-01-01" : "2018-01-01"));
    CHECK(time::format_date(c.last()) == "2030-12-31");
    CHECK(c.weekend() == time::kSaturdaySunday);
  }
  CHECK(cal("england-and-wales").title() == "England and Wales");
}

TEST_CASE("every year's bank holidays match the tables, nation by nation") {
  for (const auto& [year, dates] : kEnglandAndWales) {
    INFO("England and Wales " << year);
    CHECK(closures_in(cal("england-and-wales"), year) == dates);
  }
  for (const auto& [year, dates] : kScotland) {
    INFO("Scotland " << year);
    CHECK(closures_in(cal("scotland"), year) == dates);
  }
  for (const auto& [year, dates] : kNorthernIreland) {
    INFO("Northern Ireland " << year);
    CHECK(closures_in(cal("northern-ireland"), year) == dates);
  }
}

TEST_CASE("holidays carry their names, the one-off days included") {
  CHECK(name_on("england-and-wales", "2024-03-29") == "Good Friday");
  CHECK(name_on("england-and-wales", "2024-04-01") == "Easter Monday");
  CHECK(name_on("england-and-wales", "2020-05-08") == "Early May bank holiday (VE Day)");
  CHECK(name_on("england-and-wales", "2022-06-02") == "Spring bank holiday");
  CHECK(name_on("england-and-wales", "2022-06-03") == "Platinum Jubilee bank holiday");
  CHECK(name_on("england-and-wales", "2022-09-19") ==
        "Bank holiday for the State Funeral of Queen Elizabeth II");
  CHECK(name_on("england-and-wales", "2023-05-08") ==
        "Bank holiday for the coronation of King Charles III");
  CHECK(name_on("england-and-wales", "2022-12-26") == "Boxing Day");
  CHECK(name_on("england-and-wales", "2022-12-27") == "Christmas Day (substitute day)");
  // Christmas on a Sunday: Boxing Day keeps its day and Christmas Day moves past it, as
  // GOV.UK names 2016 and 2022.
  for (const char* year : {"2005", "2011", "2016"}) {
    INFO(year);
    CHECK(name_on("england-and-wales", (std::string(year) + "-12-26").c_str()) == "Boxing Day");
    CHECK(name_on("england-and-wales", (std::string(year) + "-12-27").c_str()) ==
          "Christmas Day (substitute day)");
  }
  CHECK(name_on("england-and-wales", "2021-12-28") == "Boxing Day (substitute day)");
  CHECK(name_on("england-and-wales", "2028-01-03") == "New Year's Day (substitute day)");
  CHECK(name_on("england-and-wales", "2026-08-31") == "Summer bank holiday");
  CHECK(name_on("england-and-wales", "2002-06-03") == "Golden Jubilee bank holiday");
  CHECK(name_on("england-and-wales", "2002-05-27") == "(none)");  // moved to 4 June
  CHECK(name_on("england-and-wales", "2011-04-29") == "Royal wedding bank holiday");
  CHECK(name_on("england-and-wales", "2012-06-05") == "Diamond Jubilee bank holiday");
  CHECK(name_on("england-and-wales", "2015-12-28") == "Boxing Day (substitute day)");
  CHECK(name_on("england-and-wales", "2000-01-03") == "New Year's Day (substitute day)");
  CHECK(name_on("scotland", "2024-01-02") == "2nd January");
  CHECK(name_on("scotland", "2021-01-04") == "2nd January (substitute day)");
  CHECK(name_on("scotland", "2024-12-02") == "St Andrew's Day (substitute day)");
  CHECK(name_on("scotland", "2026-11-30") == "St Andrew's Day");
  CHECK(name_on("scotland", "2024-08-05") == "Summer bank holiday");
  CHECK(name_on("scotland", "2024-04-01") == "(none)");  // no Easter Monday in Scotland
  CHECK(name_on("northern-ireland", "2024-03-18") == "St Patrick's Day (substitute day)");
  CHECK(name_on("northern-ireland", "2027-03-17") == "St Patrick's Day");
  CHECK(name_on("northern-ireland", "2025-07-14") ==
        "Battle of the Boyne (Orangemen's Day) (substitute day)");
  CHECK(name_on("northern-ireland", "2024-07-12") == "Battle of the Boyne (Orangemen's Day)");
}

TEST_CASE("working days across Easter in several years") {
  CHECK(add("england-and-wales", "2024-03-28", 1) == "2024-04-02");
  CHECK(add("scotland", "2024-03-28", 1) == "2024-04-01");  // Easter Monday is worked
  CHECK(add("northern-ireland", "2024-03-28", 1) == "2024-04-02");
  CHECK(add("england-and-wales", "2024-03-01", 45) == "2024-05-08");
  CHECK(add("scotland", "2024-03-01", 45) == "2024-05-07");
  CHECK(add("northern-ireland", "2024-03-01", 45) == "2024-05-09");  // St Patrick's too
  CHECK(add("england-and-wales", "2023-03-20", 45) == "2023-05-26");
  CHECK(add("scotland", "2023-03-20", 45) == "2023-05-25");
  CHECK(add("england-and-wales", "2025-04-01", 15) == "2025-04-24");
  CHECK(add("scotland", "2025-04-01", 15) == "2025-04-23");
  CHECK(between("england-and-wales", "2024-03-28", "2024-04-02") == 1);
  CHECK(between("scotland", "2024-03-28", "2024-04-02") == 2);
  CHECK(between("england-and-wales", "2024-03-01", "2024-05-03") == 43);
  CHECK(between("scotland", "2024-03-01", "2024-05-03") == 44);
  CHECK(between("northern-ireland", "2024-03-01", "2024-05-03") == 42);
  CHECK(between("england-and-wales", "2020-04-09", "2020-05-11") == 19);  // VE Day Friday
  CHECK(add("england-and-wales", "2017-04-13", 1) == "2017-04-18");
  CHECK(add("england-and-wales", "2010-12-24", 1) == "2010-12-29");
  CHECK(add("england-and-wales", "2000-01-01", 1) == "2000-01-04");
  CHECK(add("england-and-wales", "2000-01-04", -1) == "error");  // needs 1999-12-31
  CHECK(add("scotland", "2017-04-13", 1) == "error");            // Scotland starts in 2018
  CHECK(between("scotland", "2020-04-09", "2020-05-11") == 20);
}

TEST_CASE("working days across Christmas and New Year in several years") {
  CHECK(add("england-and-wales", "2024-12-24", 1) == "2024-12-27");
  CHECK(add("england-and-wales", "2025-12-24", 3) == "2025-12-31");
  CHECK(add("england-and-wales", "2024-12-20", 15) == "2025-01-15");
  CHECK(add("scotland", "2024-12-20", 15) == "2025-01-16");  // and 2 January
  CHECK(add("england-and-wales", "2024-12-01", 15) == "2024-12-20");
  CHECK(add("scotland", "2024-12-01", 15) == "2024-12-23");  // St Andrew's substitute
  CHECK(add("england-and-wales", "2019-12-20", 10) == "2020-01-08");
  CHECK(add("scotland", "2019-12-20", 10) == "2020-01-09");
  CHECK(add("england-and-wales", "2021-12-23", 3) == "2021-12-30");
  CHECK(add("england-and-wales", "2022-12-23", 2) == "2022-12-29");
  CHECK(add("england-and-wales", "2030-12-24", 1) == "2030-12-27");
  CHECK(add("england-and-wales", "2025-01-02", -5) == "2024-12-23");
  CHECK(between("england-and-wales", "2022-12-23", "2023-01-03") == 4);
  CHECK(between("scotland", "2022-12-23", "2023-01-03") == 3);
  CHECK(between("england-and-wales", "2024-12-20", "2025-01-10") == 12);
  CHECK(between("scotland", "2024-12-20", "2025-01-10") == 11);
  CHECK(between("england-and-wales", "2025-01-10", "2024-12-20") == -12);
}

TEST_CASE("the shipped coverage ends are errors, not guesses") {
  CHECK(add("england-and-wales", "2030-12-27", 1) == "2030-12-30");
  CHECK(add("england-and-wales", "2030-12-27", 3) == "error");
  CHECK(add("england-and-wales", "2030-12-31", 1) == "error");
  CHECK(add("england-and-wales", "2000-01-04", -1) == "error");
  CHECK(add("england-and-wales", "2000-01-01", -1) == "error");
  CHECK(add("england-and-wales", "1999-12-31", 1) == "2000-01-04");
  CHECK(between("england-and-wales", "1999-12-31", "2030-12-31") == 7833);
  CHECK(add("england-and-wales", "2018-01-02", -1) == "2017-12-29");  // 2018 is no edge now
  CHECK(add("scotland", "2018-01-03", -1) == "error");
  CHECK(between("england-and-wales", "2017-12-31", "2030-12-31") == 3285);
  CHECK(between("scotland", "2017-12-31", "2030-12-31") == 3272);
  CHECK(between("northern-ireland", "2017-12-31", "2030-12-31") == 3259);
  CHECK_FALSE(between("england-and-wales", "1999-12-30", "2000-01-05").has_value());
  CHECK_FALSE(between("scotland", "2017-12-30", "2018-01-05").has_value());
}

TEST_CASE("the example council calendar extends England and Wales") {
  ruleset::CalendarFileResult r = ruleset::load_calendar_file(
      SAFEGUARD_SOURCE_DIR "/examples/calendars/council-office-closures.yaml", shipped());
  INFO(format(r.diagnostics));
  CHECK(r.diagnostics.empty());
  REQUIRE(r.calendar);
  const time::WorkingCalendar& council = *r.calendar;
  CHECK(council.name() == "example-council");
  CHECK(time::format_date(council.first()) == "2024-01-01");
  CHECK(time::format_date(council.last()) == "2025-12-31");
  const std::optional<std::int64_t> due = council.add_working_days(d("2024-12-24"), 1);
  REQUIRE(due);
  CHECK(time::format_date(*due) == "2025-01-02");
  CHECK(council.closure_on(d("2024-12-30"))->name ==
        "Office closure between Christmas and New Year");
  CHECK(council.closure_on(d("2024-12-25"))->name == "Christmas Day");
  CHECK_FALSE(council.add_working_days(d("2025-12-31"), 1).has_value());
}
