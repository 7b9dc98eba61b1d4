// CEL durations: Go ParseDuration syntax in, CEL's string(duration) out, and arithmetic
// that reports leaving the duration range instead of wrapping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "time/types.hpp"

namespace safeguard::time {

// CEL's duration(string), which follows Go's time.ParseDuration:
//   [ "-" | "+" ] 1*( number unit ), or "0" with an optional sign
//   number = 1*DIGIT [ "." *DIGIT ] | "." 1*DIGIT
//   unit   = "h" | "m" | "s" | "ms" | "us" | "µs" (U+00B5) | "μs" (U+03BC) | "ns"
// e.g. "1h30m", "-1.5s", "0", "2.5h", ".5s", "100ns". No spaces, no sign inside.
// Sub-nanosecond fractions are truncated toward zero. Numbers too large for any duration
// and totals beyond +-315,576,000,000 s are TimeError::kRange; anything else that does not
// match is TimeError::kSyntax. Unlike Go, which stops at int64 nanoseconds (about 292
// years), every in-range duration can be written, e.g. "315576000000s".
TimeResult<Duration> parse_duration(std::string_view text);

// CEL's string(duration): seconds with the fraction's trailing zeros removed and an "s":
// "0s", "1s", "1.5s", "-0.000000001s", "6347s" (not "1h45m47s"). Exact, so it can differ
// from cel-go (which prints through a double) only beyond 2^53 nanoseconds, where cel-go
// loses digits. Expects a normalised duration (see make_duration).
std::string format_duration(std::int64_t seconds, std::int32_t nanos);

// Appends ".fffffffff" for 0 < nanos < 1e9, without trailing zeros (nothing for 0): the
// fraction both durations and RFC 3339 timestamps are written with.
void append_fraction(std::string& out, std::int32_t nanos);
inline std::string format_duration(Duration d) {
  return format_duration(d.seconds, d.nanos);
}

// seconds + nanos (any signs, |nanos| may exceed 1e9) as a normalised Duration, or kRange.
TimeResult<Duration> make_duration(std::int64_t seconds, std::int64_t nanos) noexcept;

TimeResult<Duration> add(Duration a, Duration b) noexcept;
TimeResult<Duration> subtract(Duration a, Duration b) noexcept;

// Always in range: the range is symmetric.
constexpr Duration negate(Duration d) noexcept {
  return Duration{-d.seconds, -d.nanos};
}

// Compares two normalised durations: negative, zero or positive.
constexpr int compare(Duration a, Duration b) noexcept {
  if (a.seconds != b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos == b.nanos ? 0 : (a.nanos < b.nanos ? -1 : 1);
}

}  // namespace safeguard::time
