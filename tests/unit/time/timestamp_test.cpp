#include <catch2/catch.hpp>

#include "time/duration.hpp"
#include "time/timestamp.hpp"

using namespace safeguard::time;

namespace {

Timestamp ts(const char* text) {
  const TimeResult<Timestamp> r = parse_timestamp(text);
  INFO(text);
  REQUIRE(r.ok());
  return r.value;
}

Duration dur(const char* text) {
  const TimeResult<Duration> r = parse_duration(text);
  INFO(text);
  REQUIRE(r.ok());
  return r.value;
}

TimeError parse_error(const char* text) {
  return parse_timestamp(text).error;
}

}  // namespace

TEST_CASE("timestamps parse as RFC 3339, offsets applied") {
  CHECK(ts("2009-02-13T23:31:30Z") == Timestamp{1234567890, 0});
  CHECK(ts("1970-01-01T00:00:00Z") == Timestamp{0, 0});
  CHECK(ts("2009-02-13T23:31:30.123456789+05:30") == Timestamp{1234567890 - 19800, 123456789});
  CHECK(ts("2009-02-13T23:31:30-08:00") == Timestamp{1234567890 + 28800, 0});
  CHECK(ts("2009-02-13T23:31:30-00:00") == Timestamp{1234567890, 0});
  CHECK(ts("2009-02-13T23:31:30.5Z") == Timestamp{1234567890, 500000000});
  CHECK(ts("1969-12-31T23:59:59.999Z") == Timestamp{-1, 999000000});
  // RFC 3339 allows lower-case separators.
  CHECK(ts("2009-02-13t23:31:30z") == Timestamp{1234567890, 0});
  // Digits beyond nanoseconds are dropped, as Go does.
  CHECK(ts("2009-02-13T23:31:30.1234567899Z") == Timestamp{1234567890, 123456789});
}

TEST_CASE("timestamp syntax errors are kSyntax") {
  for (const char* bad : {"",
                          "2009-02-13",
                          "2009-02-13 23:31:30Z",
                          "2009-02-13T23:31:30",
                          "2009-02-13T23:31Z",
                          "2009-02-13T24:00:00Z",
                          "2009-02-13T23:60:00Z",
                          "2009-02-13T23:31:60Z",
                          "2016-12-31T23:59:60Z",  // a leap second: date() only, not timestamp()
                          "2009-02-30T00:00:00Z",
                          "2009-13-01T00:00:00Z",
                          "2009-02-13T23:31:30.Z",
                          "2009-02-13T23:31:30+0530",
                          "2009-02-13T23:31:30+24:00",
                          "2009-02-13T23:31:30+05:60",
                          "2009-02-13T23:31:30Zjunk",
                          "02009-01-01T00:00:00Z",
                          "209-01-01T00:00:00Z",
                          "2009-2-13T23:31:30Z",
                          "2009-02-13T23:31:30,5Z",
                          " 2009-02-13T23:31:30Z",
                          "2009-02-13T23:31:30+05",
                          "-2009-02-13T23:31:30Z"}) {
    INFO(bad);
    CHECK(parse_error(bad) == TimeError::kSyntax);
  }
}

TEST_CASE("timestamps outside 0001-9999 are range errors, as CEL reports them") {
  CHECK(parse_error("0000-01-01T00:00:00Z") == TimeError::kRange);
  CHECK(parse_error("10000-01-01T00:00:00Z") == TimeError::kRange);
  CHECK(parse_error("123456789012-01-01T00:00:00Z") == TimeError::kRange);
  CHECK(parse_error("0001-01-01T00:00:00+00:01") == TimeError::kRange);
  CHECK(parse_error("9999-12-31T23:59:59-00:01") == TimeError::kRange);
  CHECK(ts("0001-01-01T00:00:00Z").seconds == kMinTimestampSeconds);
  CHECK(ts("9999-12-31T23:59:59.999999999Z") == Timestamp{kMaxTimestampSeconds, 999999999});
  CHECK(ts("0001-01-01T00:59:00+00:59").seconds == kMinTimestampSeconds);
}

TEST_CASE("string(timestamp) prints UTC with Z and a trimmed fraction") {
  CHECK(format_timestamp(1234567890, 0) == "2009-02-13T23:31:30Z");
  CHECK(format_timestamp(1234567890, 500000000) == "2009-02-13T23:31:30.5Z");
  CHECK(format_timestamp(1234567890, 123000000) == "2009-02-13T23:31:30.123Z");
  CHECK(format_timestamp(1234567890, 1) == "2009-02-13T23:31:30.000000001Z");
  CHECK(format_timestamp(1234567890, 120) == "2009-02-13T23:31:30.00000012Z");
  CHECK(format_timestamp(-1, 0) == "1969-12-31T23:59:59Z");
  CHECK(format_timestamp(kMinTimestampSeconds, 0) == "0001-01-01T00:00:00Z");
  CHECK(format_timestamp(kMaxTimestampSeconds, 999999999) == "9999-12-31T23:59:59.999999999Z");
  // The conformance expectation: an offset is normalised away.
  CHECK(format_timestamp(ts("2023-02-03T23:31:20+00:00")) == "2023-02-03T23:31:20Z");
}

TEST_CASE("timestamps survive a format-parse round trip") {
  for (std::int64_t s = kMinTimestampSeconds; s < kMaxTimestampSeconds; s += 3'155'760'013) {
    for (std::int32_t n : {0, 1, 10, 999999999, 500000000, 123456789}) {
      const Timestamp t{s, n};
      INFO(format_timestamp(t));
      CHECK(parse_timestamp(format_timestamp(t)).value == t);
    }
  }
}

TEST_CASE("time fields follow CEL's accessors") {
  // The conformance suite's timestamp_selectors: 2009-02-13T23:31:30Z.
  TimeFields f = time_fields(1234567890, 0, 0);
  CHECK(f.year == 2009);
  CHECK(f.month == 2);  // getMonth() is 1
  CHECK(f.day == 13);   // getDate() 13, getDayOfMonth() 12
  CHECK(f.hour == 23);
  CHECK(f.minute == 31);
  CHECK(f.second == 30);
  CHECK(f.day_of_year == 43);
  CHECK(f.day_of_week == 5);  // Friday
  CHECK(time_fields(1234567880, 123456789, 0).millisecond == 123);

  // timestamp_selectors_tz: getHours('02:00') is 1; getDayOfMonth('-02:30') at 02:00Z is 11.
  CHECK(time_fields(1234567890, 0, 7200).hour == 1);
  CHECK(time_fields(1234567890, 0, 7200).day == 14);
  CHECK(time_fields(ts("2009-02-13T02:00:00Z").seconds, 0, -9000).day - 1 == 11);
  CHECK(time_fields(1234567890, 0, 11 * 3600).day == 14);

  f = time_fields(ts("2024-12-31T12:00:00Z").seconds, 0, 0);
  CHECK(f.day_of_year == 365);  // leap year: 366 days, 0-based
  f = time_fields(ts("2023-12-31T12:00:00Z").seconds, 0, 0);
  CHECK(f.day_of_year == 364);
  f = time_fields(-1, 999999999, 0);
  CHECK(f.year == 1969);
  CHECK(f.second == 59);
  CHECK(f.millisecond == 999);
  CHECK(f.day_of_week == 3);  // Wednesday 31 December 1969
}

TEST_CASE("local_day floors toward earlier days") {
  CHECK(local_day(0, 0) == 0);
  CHECK(local_day(-1, 0) == -1);
  CHECK(local_day(86399, 0) == 0);
  CHECK(local_day(86399, 1) == 1);
  CHECK(local_day(0, -1) == -1);
}

TEST_CASE("timestamp arithmetic carries nanoseconds and checks the range") {
  CHECK(add(ts("2009-02-13T23:00:00Z"), dur("240s")).value == ts("2009-02-13T23:04:00Z"));
  CHECK(add(ts("0001-01-01T00:00:01.000000001Z"), dur("-999999999ns")).value ==
        ts("0001-01-01T00:00:00.000000002Z"));
  CHECK(add(ts("0001-01-01T00:00:01.999999999Z"), dur("999999999ns")).value ==
        ts("0001-01-01T00:00:02.999999998Z"));
  CHECK(subtract(ts("2009-02-13T23:10:00Z"), dur("600s")).value == ts("2009-02-13T23:00:00Z"));
  CHECK(difference(ts("2009-02-13T23:31:00Z"), ts("2009-02-13T23:29:00Z")).value == dur("120s"));
  CHECK(difference(ts("2009-02-13T23:29:00Z"), ts("2009-02-13T23:31:00.5Z")).value ==
        dur("-120.5s"));

  CHECK(add(ts("0001-01-01T00:00:00Z"), dur("-1s")).error == TimeError::kRange);
  CHECK(add(ts("9999-12-31T23:59:59Z"), dur("1s")).error == TimeError::kRange);
  CHECK(add(ts("9999-12-31T23:59:59.999999999Z"), dur("1ns")).error == TimeError::kRange);
  CHECK(add(ts("0001-01-01T00:00:00Z"), dur("-1ns")).error == TimeError::kRange);
  // 9,998 years fit in the 10,000-year duration range (cel-go, limited to int64
  // nanoseconds, reports a range error here: see types.hpp).
  CHECK(difference(ts("9999-12-31T23:59:59Z"), ts("0001-01-01T00:00:00Z")).ok());
}

TEST_CASE("timestamps compare by seconds, then nanoseconds") {
  CHECK(compare(ts("2009-02-13T23:00:00Z"), ts("2009-02-13T23:00:00Z")) == 0);
  CHECK(compare(ts("2009-02-13T23:00:00Z"), ts("2009-02-13T22:59:59Z")) > 0);
  CHECK(compare(ts("2009-02-13T23:00:00Z"), ts("2009-02-13T23:00:00.000000001Z")) < 0);
}
