// Value types shared by the time library: CEL timestamps and durations, their limits, and
// the result type of operations that can fail because of bad syntax or range.
//
// Like simdjson, results carry an error code instead of throwing: these functions run per
// list element on the evaluation hot path, and CEL turns each failure into an error value.
#pragma once

#include <cstdint>

#include "time/civil.hpp"

namespace safeguard::time {

// Why a parse or an arithmetic operation produced no value. CEL reports kRange as a "range"
// error; kSyntax is a malformed string.
enum class TimeError : std::uint8_t { kNone, kSyntax, kRange };

template <typename T>
struct TimeResult {
  T value{};
  TimeError error = TimeError::kNone;

  bool ok() const noexcept { return error == TimeError::kNone; }
};

inline constexpr std::int32_t kNanosPerSecond = 1'000'000'000;
inline constexpr std::int64_t kSecondsPerDay = 86'400;

// A point in time: seconds since 1970-01-01T00:00:00Z plus nanoseconds in [0, 1e9).
// CEL limits timestamps to 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z.
struct Timestamp {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;

  friend bool operator==(Timestamp a, Timestamp b) noexcept {
    return a.seconds == b.seconds && a.nanos == b.nanos;
  }
  friend bool operator!=(Timestamp a, Timestamp b) noexcept { return !(a == b); }
};

inline constexpr std::int64_t kMinTimestampSeconds = kMinDay * kSecondsPerDay;
inline constexpr std::int64_t kMaxTimestampSeconds = kMaxDay * kSecondsPerDay + kSecondsPerDay - 1;

constexpr bool in_timestamp_range(std::int64_t seconds) noexcept {
  return seconds >= kMinTimestampSeconds && seconds <= kMaxTimestampSeconds;
}

// A signed span of time, google.protobuf.Duration style: nanos in (-1e9, 1e9) with the same
// sign as seconds (or zero), so -1.5s is {-1, -500000000}.
//
// Range: |seconds| <= 315,576,000,000 (10,000 Julian years), as protobuf's Duration and
// cel-cpp allow. cel-go stores durations as int64 nanoseconds (about +-292 years), and the
// conformance tests timestamps/timestamp_range/sub_time_duration_{over,under} expect that
// narrower range; they belong on the conformance skip list, as they are on cel-cpp's.
struct Duration {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;

  friend bool operator==(Duration a, Duration b) noexcept {
    return a.seconds == b.seconds && a.nanos == b.nanos;
  }
  friend bool operator!=(Duration a, Duration b) noexcept { return !(a == b); }
};

inline constexpr std::int64_t kMaxDurationSeconds = 315'576'000'000;

}  // namespace safeguard::time
