// POSIX TZ strings ("GMT0BST,M3.5.0/1,M10.5.0"), as found in the footer of TZif files:
// they give the offset for instants after a zone's last listed transition.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace safeguard::time {

// When daylight saving starts or ends, in local time.
struct PosixDate {
  enum class Kind : std::uint8_t {
    kJulian1,       // "Jn": day n of 1..365, 29 February never counted
    kJulian0,       // "n": day n of 0..365, 29 February counted in leap years
    kMonthWeekDay,  // "Mm.w.d": weekday d (0 = Sunday) of week w (5 = last) of month m
  };
  Kind kind = Kind::kMonthWeekDay;
  std::int32_t day = 0;      // kJulian1, kJulian0
  std::int32_t month = 1;    // kMonthWeekDay
  std::int32_t week = 1;     // kMonthWeekDay
  std::int32_t weekday = 0;  // kMonthWeekDay
  std::int32_t time = 7200;  // seconds after local midnight; TZif v3 allows -167h..167h
};

struct PosixTimeZone {
  std::int32_t std_offset = 0;  // seconds east of UTC (POSIX writes them west, we do not)
  bool has_dst = false;
  std::int32_t dst_offset = 0;  // seconds east of UTC while daylight saving applies
  PosixDate start;              // daylight saving begins (local standard time)
  PosixDate end;                // daylight saving ends (local daylight time)
};

// Parses "std offset [dst [offset] ,start[/time],end[/time]]", with names either
// alphabetic (three or more letters) or quoted in angle brackets ("<+1030>"). A DST name
// without a rule is rejected: POSIX leaves the rule to the implementation, and zic always
// writes one.
std::optional<PosixTimeZone> parse_posix_tz(std::string_view text);

// Seconds east of UTC at `utc_seconds` under `tz`. Handles rules whose daylight saving
// spans the new year (southern hemisphere) as well as all-year daylight saving.
std::int64_t posix_offset_at(const PosixTimeZone& tz, std::int64_t utc_seconds) noexcept;

}  // namespace safeguard::time
