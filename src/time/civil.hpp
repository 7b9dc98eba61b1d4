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

namespace detail {

// Howard Hinnant's civil_from_days: exact for every representable day number.
constexpr CivilDate civil_from_days_any(std::int64_t z) noexcept {
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

// Day numbers from which civil_from_days takes the 32-bit path below: the day is shifted by
// 82 eras of 400 years so that it is never negative, and 4 * shifted + 3 must fit in 32 bits.
constexpr std::int64_t kFastCivilShift = 719468 + 146097 * 82;
constexpr std::int64_t kFastCivilLimit = std::int64_t{1} << 30;

}  // namespace detail

// Dates are formatted and moved by months on every hot path (facts, messages, due dates,
// add_months), so the days of years -32800 to about 2.9 million take Neri and Schneider's
// 32-bit algorithm ("Euclidean affine functions and their application to calendar
// algorithms", 2022: multiplications and shifts, one 64-bit product, no 64-bit division);
// the others take Hinnant's. A unit test compares the two over every CEL date and beyond.
constexpr CivilDate civil_from_days(std::int64_t z) noexcept {
  const std::int64_t shifted = z + detail::kFastCivilShift;
  if (shifted < 0 || shifted >= detail::kFastCivilLimit) return detail::civil_from_days_any(z);
  const auto n = static_cast<std::uint32_t>(shifted);
  const std::uint32_t n1 = 4 * n + 3;
  const std::uint32_t century = n1 / 146097;
  const std::uint32_t n2 = (n1 % 146097) | 3;  // 4 * (day of the century) + 3
  const std::uint64_t p2 = std::uint64_t{2939745} * n2;
  const auto year_of_century = static_cast<std::uint32_t>(p2 >> 32);
  const std::uint32_t day_of_year = static_cast<std::uint32_t>(p2) / 2939745 / 4;  // from March
  const std::uint32_t n3 = 2141 * day_of_year + 197913;
  const std::uint32_t month = n3 >> 16;  // 3..14: March of this year to February of the next
  const std::uint32_t day = (n3 & 0xFFFF) / 2141 + 1;
  const std::uint32_t january_on = day_of_year >= 306;
  const auto year = static_cast<std::int32_t>(100 * century + year_of_century + january_on) -
                    static_cast<std::int32_t>(400 * 82);
  return CivilDate{year, january_on ? month - 12 : month, day};
}

// 0 = Sunday ... 6 = Saturday (CEL's getDayOfWeek convention).
constexpr std::uint32_t weekday_from_days(std::int64_t z) noexcept {
  return static_cast<std::uint32_t>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

// Day numbers of the CEL timestamp range, 0001-01-01 and 9999-12-31.
constexpr std::int64_t kMinDay = days_from_civil(1, 1, 1);
constexpr std::int64_t kMaxDay = days_from_civil(9999, 12, 31);

}  // namespace safeguard::time
