// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
// Header-only: these are on every hot path that touches a date.
#pragma once

#include <cstdint>

namespace safeguard::time {

struct CivilDate {
  std::int32_t year;
  std::uint32_t month;  // 1..12
  std::uint32_t day;    // 1..31
};

constexpr bool is_leap_year(std::int64_t y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr std::uint32_t days_in_month(std::int64_t y, std::uint32_t m) noexcept {
  constexpr std::uint8_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[(m - 1) % 12];
}

// Howard Hinnant's days_from_civil: exact for every representable year.
constexpr std::int64_t days_from_civil(std::int64_t y, std::uint32_t m, std::uint32_t d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<std::uint32_t>(y - era * 400);
  const std::uint32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr CivilDate civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<std::uint32_t>(z - era * 146097);
  const std::uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const std::uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::uint32_t mp = (5 * doy + 2) / 153;
  const std::uint32_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::uint32_t m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<std::int32_t>(y + (m <= 2)), m, d};
}

// 0 = Sunday ... 6 = Saturday (CEL's getDayOfWeek convention).
constexpr std::uint32_t weekday_from_days(std::int64_t z) noexcept {
  return static_cast<std::uint32_t>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

// Day numbers of the CEL timestamp range, 0001-01-01 and 9999-12-31.
constexpr std::int64_t kMinDay = days_from_civil(1, 1, 1);
constexpr std::int64_t kMaxDay = days_from_civil(9999, 12, 31);

}  // namespace safeguard::time
