#include <catch2/catch.hpp>

#include <limits>

#include "time/civil.hpp"
#include "time/date.hpp"

using namespace safeguard::time;

namespace {

std::int64_t d(const char* text) {
  const std::optional<std::int64_t> day = parse_date(text);
  REQUIRE(day.has_value());
  return *day;
}

std::string months(const char* text, std::int64_t n) {
  const std::optional<std::int64_t> r = add_months(d(text), n);
  return r ? format_date(*r) : "error";
}

std::string years(const char* text, std::int64_t n) {
  const std::optional<std::int64_t> r = add_years(d(text), n);
  return r ? format_date(*r) : "error";
}

std::int64_t age(const char* dob, const char* on) {
  const std::optional<std::int64_t> a = age_in_years(d(dob), d(on));
  REQUIRE(a.has_value());
  return *a;
}

}  // namespace

TEST_CASE("parse_date accepts strict YYYY-MM-DD dates that exist") {
  CHECK(d("1970-01-01") == 0);
  CHECK(d("2024-02-29") == d("2024-02-28") + 1);
  CHECK(d("2000-02-29") == d("2000-03-01") - 1);  // 2000 is a leap year (divisible by 400)
  CHECK(d("0001-01-01") == kMinDay);
  CHECK(d("9999-12-31") == kMaxDay);
  CHECK(format_date(d("2024-12-31")) == "2024-12-31");
}

TEST_CASE("parse_date rejects malformed and impossible dates") {
  for (const char* bad : {"2023-02-29",  "1900-02-29",  "2100-02-29", "2024-13-01",
                          "2024-00-10",  "2024-01-00",  "2024-04-31", "2024-06-31",
                          "0000-01-01",  "2024-4-01",   "2024-04-1",  " 2024-04-01",
                          "2024-04-01 ", "2024/04/01",  "20240401",   "2024-04-01T00:00:00Z",
                          "+024-04-01",  "10000-01-01", "",           "abcd-ef-gh",
                          "2024-0a-01"}) {
    INFO(bad);
    CHECK_FALSE(parse_date(bad).has_value());
  }
}

TEST_CASE("leap years follow the Gregorian rule") {
  CHECK(is_leap_year(2024));
  CHECK_FALSE(is_leap_year(2023));
  CHECK_FALSE(is_leap_year(1900));
  CHECK(is_leap_year(2000));
  CHECK(days_in_month(1900, 2) == 28);
  CHECK(days_in_month(2000, 2) == 29);
  CHECK(days_in_month(2024, 2) == 29);
}

TEST_CASE("format_date pads years and prints every in-range date back as parsed") {
  CHECK(format_date(kMinDay) == "0001-01-01");
  CHECK(format_date(kMaxDay) == "9999-12-31");
  CHECK(format_date(-1) == "1969-12-31");
  for (std::int64_t day = kMinDay; day <= kMaxDay; day += 997) {
    CHECK(parse_date(format_date(day)) == day);
  }
}

TEST_CASE("date_of_datetime takes the date as written, whatever the offset") {
  CHECK(date_of_datetime("2024-03-28T16:05:00Z") == d("2024-03-28"));
  // 23:30 at -01:00 is already 29 March in UTC; the contract counts the written date.
  CHECK(date_of_datetime("2024-03-28T23:30:00-01:00") == d("2024-03-28"));
  CHECK(date_of_datetime("2024-03-29T00:30:00+01:00") == d("2024-03-29"));
  CHECK(date_of_datetime("2024-03-28T16:05:00.123456Z") == d("2024-03-28"));
  CHECK(date_of_datetime("0001-01-01T00:30:00+01:00") == kMinDay);
  // A leap second counts by its written date too, where it can be one: 23:59:60 in UTC.
  CHECK(date_of_datetime("2016-12-31T23:59:60Z") == d("2016-12-31"));
  CHECK(date_of_datetime("2016-12-31T15:59:60.5-08:00") == d("2016-12-31"));
  CHECK(date_of_datetime("2017-01-01T00:59:60+01:00") == d("2017-01-01"));
  for (const char* bad :
       {"2016-12-31T23:58:60Z", "2016-12-31T22:59:60Z", "2016-12-31T23:59:61Z",
        "2016-12-31T23:59:60+01:00", "2024-03-28T23:59:60+01:00", "2024-03-28",
        "2024-03-28T25:00:00Z", "2024-02-30T10:00:00Z", "2024-03-28T16:05:00", "2024-03-28T16:05Z",
        "10000-01-01T00:00:00Z", "0000-12-31T00:00:00Z", "2024-03-28 16:05:00Z"}) {
    INFO(bad);
    CHECK_FALSE(date_of_datetime(bad).has_value());
  }
}

TEST_CASE("add_months clamps to the end of a shorter month") {
  CHECK(months("2024-01-31", 1) == "2024-02-29");
  CHECK(months("2024-02-29", 1) == "2024-03-29");
  CHECK(months("2023-05-31", 9) == "2024-02-29");
  CHECK(months("2023-11-30", 3) == "2024-02-29");
  CHECK(months("2023-01-31", 1) == "2023-02-28");
  CHECK(months("2024-08-31", 1) == "2024-09-30");
  CHECK(months("2024-01-15", 0) == "2024-01-15");
  CHECK(months("2024-12-15", 1) == "2025-01-15");
  CHECK(months("2024-01-31", 12) == "2025-01-31");
}

TEST_CASE("add_months counts backwards for negative n") {
  CHECK(months("2024-03-31", -1) == "2024-02-29");
  CHECK(months("2024-03-31", -13) == "2023-02-28");
  CHECK(months("2024-01-15", -1) == "2023-12-15");
  CHECK(months("2025-02-28", -12) == "2024-02-28");
  // "Within the last 12 months" of 2024-02-29 starts on 2023-02-28.
  CHECK(months("2024-02-29", -12) == "2023-02-28");
}

TEST_CASE("add_months reports results outside 0001-9999") {
  CHECK(months("9999-12-31", 1) == "error");
  CHECK(months("9999-11-30", 1) == "9999-12-30");
  CHECK(months("0001-01-31", -1) == "error");
  CHECK(months("0001-02-28", -1) == "0001-01-28");
  CHECK(months("2024-01-01", std::numeric_limits<std::int64_t>::max()) == "error");
  CHECK(months("2024-01-01", std::numeric_limits<std::int64_t>::min()) == "error");
  CHECK_FALSE(add_months(kMaxDay + 1, 0).has_value());
}

TEST_CASE("add_years turns 29 February into 28 February in common years") {
  CHECK(years("2024-02-29", 1) == "2025-02-28");
  CHECK(years("2024-02-29", 4) == "2028-02-29");
  CHECK(years("2024-02-29", -100) == "1924-02-29");
  CHECK(years("2000-02-29", 100) == "2100-02-28");  // 2100 is not a leap year
  CHECK(years("2024-06-01", -18) == "2006-06-01");
  CHECK(years("9999-01-01", 1) == "error");
  CHECK(years("2024-01-01", std::numeric_limits<std::int64_t>::max()) == "error");
  CHECK(years("2024-01-01", std::numeric_limits<std::int64_t>::min()) == "error");
}

TEST_CASE("age_in_years counts whole years, a birthday counting from its start") {
  CHECK(age("2006-05-15", "2024-05-14") == 17);
  CHECK(age("2006-05-15", "2024-05-15") == 18);
  CHECK(age("2006-05-15", "2024-05-16") == 18);
  CHECK(age("2024-05-15", "2024-05-15") == 0);
  CHECK(age("2023-12-31", "2024-12-30") == 0);
  CHECK(age("2023-12-31", "2024-12-31") == 1);
}

TEST_CASE("age_in_years: born 29 February, a year older on 1 March in common years") {
  CHECK(age("2008-02-29", "2026-02-28") == 17);
  CHECK(age("2008-02-29", "2026-03-01") == 18);
  CHECK(age("2008-02-29", "2028-02-28") == 19);
  CHECK(age("2008-02-29", "2028-02-29") == 20);  // a leap year has the anniversary itself
}

TEST_CASE("age_in_years has no answer before birth") {
  CHECK_FALSE(age_in_years(d("2024-06-01"), d("2024-05-31")).has_value());
  CHECK_FALSE(age_in_years(kMinDay - 1, d("2024-05-31")).has_value());
}
