#include <catch2/catch.hpp>

#include <limits>

#include "time/duration.hpp"

using namespace safeguard::time;

namespace {

Duration dur(const char* text) {
  const TimeResult<Duration> r = parse_duration(text);
  INFO(text);
  REQUIRE(r.ok());
  return r.value;
}

TimeError parse_error(const char* text) {
  return parse_duration(text).error;
}

}  // namespace

TEST_CASE("durations parse with Go's ParseDuration syntax") {
  CHECK(dur("0") == Duration{0, 0});
  CHECK(dur("-0") == Duration{0, 0});
  CHECK(dur("+0") == Duration{0, 0});
  CHECK(dur("0s") == Duration{0, 0});
  CHECK(dur("1s") == Duration{1, 0});
  CHECK(dur("1h30m") == Duration{5400, 0});
  CHECK(dur("1.5h") == Duration{5400, 0});
  CHECK(dur("2h45m30.5s") == Duration{9930, 500000000});
  CHECK(dur("-1.5s") == Duration{-1, -500000000});
  CHECK(dur("+1.5s") == Duration{1, 500000000});
  CHECK(dur(".5s") == Duration{0, 500000000});
  CHECK(dur("5.s") == Duration{5, 0});
  CHECK(dur("100ns") == Duration{0, 100});
  CHECK(dur("1us") == Duration{0, 1000});
  CHECK(dur("1\xC2\xB5s") == Duration{0, 1000});  // micro sign
  CHECK(dur("1\xCE\xBCs") == Duration{0, 1000});  // Greek mu
  CHECK(dur("1ms") == Duration{0, 1000000});
  CHECK(dur("1500ms") == Duration{1, 500000000});
  CHECK(dur("1h1h") == Duration{7200, 0});  // Go allows a unit twice
  CHECK(dur("1h45m47s") == Duration{6347, 0});
  CHECK(dur("0.000000001s") == Duration{0, 1});
  CHECK(dur("0.0000000019s") == Duration{0, 1});  // below a nanosecond: truncated
  CHECK(dur("0.1h") == Duration{360, 0});
  CHECK(dur("1.000000001h") == Duration{3600, 3600});
  CHECK(dur("-999999999ns") == Duration{0, -999999999});
  CHECK(dur("000000000000000000000000001s") == Duration{1, 0});
  CHECK(dur("123456789012345678ns") == Duration{123456789, 12345678});
}

TEST_CASE("malformed durations are kSyntax") {
  for (const char* bad : {"",    "-",      "+",   "1",   "s",  "1x",        "1 s",  " 1s",
                          "1s ", "1h-30m", "1.5", ".",   ".s", "1hh",       "--1s", "1e3s",
                          "00",  "1.2.3s", "1s1", "1Ms", "1S", "\xC2\xB5s", "1h30", "-s"}) {
    INFO(bad);
    CHECK(parse_error(bad) == TimeError::kSyntax);
  }
}

TEST_CASE("durations beyond 10,000 years are kRange") {
  CHECK(dur("315576000000s") == Duration{kMaxDurationSeconds, 0});
  CHECK(dur("-315576000000.999999999s") == Duration{-kMaxDurationSeconds, -999999999});
  CHECK(dur("87660000h") == Duration{kMaxDurationSeconds, 0});
  CHECK(parse_error("315576000001s") == TimeError::kRange);
  CHECK(parse_error("-320000000000s") == TimeError::kRange);
  CHECK(parse_error("320000000000s") == TimeError::kRange);
  CHECK(parse_error("5260000000m") == TimeError::kRange);
  CHECK(parse_error("99999999999999999999999999999h") == TimeError::kRange);
  CHECK(parse_error("315575999999s1s1s") == TimeError::kRange);
  // Every in-range duration can be written, even past int64 nanoseconds (Go's limit).
  CHECK(dur("300000000000000000000ns") == Duration{300000000000, 0});
  // Malformed text after an overflowing number is still a syntax error.
  CHECK(parse_error("999999999999999h 1s") == TimeError::kSyntax);
}

TEST_CASE("string(duration) prints seconds with a trimmed fraction") {
  CHECK(format_duration(0, 0) == "0s");
  CHECK(format_duration(1, 0) == "1s");
  CHECK(format_duration(1, 500000000) == "1.5s");
  CHECK(format_duration(0, -1) == "-0.000000001s");
  CHECK(format_duration(-1, -500000000) == "-1.5s");
  CHECK(format_duration(1000000, 0) == "1000000s");
  CHECK(format_duration(dur("1h45m47s")) == "6347s");
  CHECK(format_duration(dur("2h")) == "7200s");
  CHECK(format_duration(0, 100000000) == "0.1s");
  CHECK(format_duration(kMaxDurationSeconds, 999999999) == "315576000000.999999999s");
  CHECK(format_duration(-kMaxDurationSeconds, 0) == "-315576000000s");
}

TEST_CASE("durations survive a format-parse round trip") {
  for (std::int64_t s : {std::int64_t{0}, std::int64_t{1}, std::int64_t{59}, std::int64_t{86400},
                         std::int64_t{123456789}, kMaxDurationSeconds}) {
    for (std::int32_t n : {0, 1, 999999999, 500000000, 120}) {
      for (int sign : {1, -1}) {
        const Duration d{sign * s, sign * n};
        INFO(format_duration(d));
        CHECK(parse_duration(format_duration(d)).value == d);
      }
    }
  }
}

TEST_CASE("make_duration normalises signs and carries") {
  CHECK(make_duration(1, -1).value == Duration{0, 999999999});
  CHECK(make_duration(-1, 1).value == Duration{0, -999999999});
  CHECK(make_duration(0, 2500000000).value == Duration{2, 500000000});
  CHECK(make_duration(0, -2500000000).value == Duration{-2, -500000000});
  CHECK(make_duration(5, -5000000000).value == Duration{0, 0});
  CHECK(make_duration(kMaxDurationSeconds, 999999999).ok());
  CHECK(make_duration(kMaxDurationSeconds, 1000000000).error == TimeError::kRange);
  CHECK(make_duration(std::numeric_limits<std::int64_t>::max(), 0).error == TimeError::kRange);
  CHECK(make_duration(std::numeric_limits<std::int64_t>::min(), -999999999).error ==
        TimeError::kRange);
}

TEST_CASE("duration arithmetic reports leaving the range") {
  CHECK(add(dur("600s"), dur("50s")).value == dur("650s"));
  CHECK(subtract(dur("900s"), dur("42s")).value == dur("858s"));
  CHECK(add(dur("1.5s"), dur("-2.75s")).value == dur("-1.25s"));
  CHECK(negate(dur("-1.5s")) == dur("1.5s"));
  // The conformance suite's duration_range cases.
  CHECK(add(dur("200000000000s"), dur("200000000000s")).error == TimeError::kRange);
  CHECK(add(dur("-200000000000s"), dur("-200000000000s")).error == TimeError::kRange);
  CHECK(subtract(dur("-200000000000s"), dur("200000000000s")).error == TimeError::kRange);
  CHECK(subtract(dur("200000000000s"), dur("-200000000000s")).error == TimeError::kRange);
}

TEST_CASE("durations compare by seconds, then nanoseconds") {
  CHECK(compare(dur("200s"), dur("200s")) == 0);
  CHECK(compare(dur("300s"), dur("200s")) > 0);
  CHECK(compare(dur("-1.5s"), dur("-1s")) < 0);
  CHECK(compare(dur("1s"), dur("1.000000001s")) < 0);
}
