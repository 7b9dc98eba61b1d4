// CEL timestamps: RFC 3339 parsing and printing, arithmetic with range checks, and the
// broken-down fields behind getFullYear(), getHours() and the other accessors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "time/types.hpp"

namespace safeguard::time {

// An RFC 3339 date-time split into what was written. `year` may be 0 or above 9999
// (five or more digits); whether that is acceptable is the caller's decision.
struct DateTimeParts {
  std::int64_t year = 0;
  std::uint32_t month = 0;          // 1..12
  std::uint32_t day = 0;            // 1..31, valid for the month
  std::uint32_t hour = 0;           // 0..23
  std::uint32_t minute = 0;         // 0..59
  std::uint32_t second = 0;         // 0..60 (60: a leap second, see parse_date_time)
  std::int32_t nanos = 0;           // fraction of the second, digits beyond the ninth dropped
  std::int32_t offset_seconds = 0;  // east of UTC; "Z" is 0
};

// RFC 3339 section 5.6 as CEL's implementations read it:
//   YYYY-MM-DD "T" hh:mm:ss [ "." 1*DIGIT ] ( "Z" | ("+" / "-") hh:mm )
// "t" and "z" are accepted for "T" and "Z" (RFC 3339 allows them; cel-cpp accepts them,
// cel-go does not). A leap second (:60) parses, for date_of_datetime (date.hpp) to accept
// where RFC 3339 and JSON Schema do; parse_timestamp refuses it, as Go and protobuf do.
// Offsets must be under 24 hours. A year of more than four digits (no leading zero) parses, so that
// timestamp('10000-01-01T00:00:00Z') can be a range error rather than a syntax error.
std::optional<DateTimeParts> parse_date_time(std::string_view text);

// CEL's timestamp(string): syntax errors are TimeError::kSyntax; a well-formed date-time
// whose instant falls outside 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z is
// TimeError::kRange (CEL's "range" error). The offset is applied: the result is UTC.
TimeResult<Timestamp> parse_timestamp(std::string_view text);

// CEL's string(timestamp): UTC with a "Z", and the fraction of the second with trailing
// zeros removed (Go's time.RFC3339Nano, which cel-go uses): "2009-02-13T23:31:30Z",
// "2009-02-13T23:31:30.5Z", "9999-12-31T23:59:59.999999999Z".
// Expects a normalised timestamp (nanos in [0, 1e9)).
std::string format_timestamp(std::int64_t seconds, std::int32_t nanos);
inline std::string format_timestamp(Timestamp t) {
  return format_timestamp(t.seconds, t.nanos);
}

// The calendar fields of an instant as seen `utc_offset_seconds` east of UTC (take the
// offset from TimeZone::offset_at). CEL's accessors derive from these: getMonth() is
// month - 1, getDate() is day, getDayOfMonth() is day - 1.
struct TimeFields {
  std::int64_t year = 0;
  std::int32_t month = 1;        // 1..12
  std::int32_t day = 1;          // 1..31
  std::int32_t hour = 0;         // 0..23
  std::int32_t minute = 0;       // 0..59
  std::int32_t second = 0;       // 0..59
  std::int32_t millisecond = 0;  // 0..999
  std::int32_t day_of_year = 0;  // 0-based: 1 January is 0
  std::int32_t day_of_week = 0;  // 0 = Sunday .. 6 = Saturday
};

TimeFields time_fields(std::int64_t seconds, std::int32_t nanos,
                       std::int64_t utc_offset_seconds) noexcept;

// The day number (see civil.hpp) of the local date of an instant.
constexpr std::int64_t local_day(std::int64_t seconds, std::int64_t utc_offset_seconds) noexcept {
  const std::int64_t local = seconds + utc_offset_seconds;
  return local >= 0 ? local / kSecondsPerDay : -((-local + kSecondsPerDay - 1) / kSecondsPerDay);
}

// timestamp + duration and timestamp - duration; kRange when the result leaves CEL's
// timestamp range.
TimeResult<Timestamp> add(Timestamp t, Duration d) noexcept;
TimeResult<Timestamp> subtract(Timestamp t, Duration d) noexcept;

// a - b as a duration; kRange when it exceeds the duration range (never, for two in-range
// timestamps: 9,998 years is less than 10,000).
TimeResult<Duration> difference(Timestamp a, Timestamp b) noexcept;

// Compares two normalised timestamps: negative, zero or positive.
constexpr int compare(Timestamp a, Timestamp b) noexcept {
  if (a.seconds != b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos == b.nanos ? 0 : (a.nanos < b.nanos ? -1 : 1);
}

}  // namespace safeguard::time
