#include "time/date.hpp"

#include "time/civil.hpp"
#include "time/timestamp.hpp"

namespace safeguard::time {

namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// The value of `count` decimal digits at `text[at]`, or -1 if any is not a digit.
int digits(std::string_view text, std::size_t at, std::size_t count) noexcept {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

void append_padded(std::string& out, std::int64_t value, int width) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += buf[--n];
}

}  // namespace

std::optional<std::int64_t> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int year = digits(text, 0, 4);
  const int month = digits(text, 5, 2);
  const int day = digits(text, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return std::nullopt;
  if (static_cast<std::uint32_t>(day) > days_in_month(year, static_cast<std::uint32_t>(month))) {
    return std::nullopt;
  }
  return days_from_civil(year, static_cast<std::uint32_t>(month), static_cast<std::uint32_t>(day));
}

std::optional<std::int64_t> date_of_datetime(std::string_view text) {
  const std::optional<DateTimeParts> parts = parse_date_time(text);
  if (!parts || parts->year < 1 || parts->year > 9999) return std::nullopt;
  // A leap second is inserted at the end of a UTC day, so only 23:59:60 in UTC (15:59:60-08:00)
  // can be one: the JSON Schema date-time format's reading of RFC 3339.
  if (parts->second == 60) {
    constexpr std::int64_t kMinutesPerDay = 24 * 60;
    const std::int64_t utc_minute =
        (static_cast<std::int64_t>(parts->hour) * 60 + parts->minute - parts->offset_seconds / 60) %
        kMinutesPerDay;
    if ((utc_minute + kMinutesPerDay) % kMinutesPerDay != kMinutesPerDay - 1) return std::nullopt;
  }
  return days_from_civil(parts->year, parts->month, parts->day);
}

std::string format_date(std::int64_t days) {
  const CivilDate c = civil_from_days(days);
  std::string out;
  out.reserve(10);
  if (c.year < 0) out += '-';
  append_padded(out, c.year < 0 ? -static_cast<std::int64_t>(c.year) : c.year, 4);
  out += '-';
  append_padded(out, c.month, 2);
  out += '-';
  append_padded(out, c.day, 2);
  return out;
}

std::optional<std::int64_t> add_months(std::int64_t days, std::int64_t months) {
  if (!in_date_range(days)) return std::nullopt;
  const CivilDate c = civil_from_days(days);
  // Months since 0001-01: at most 120,000 for an in-range date, so only `months` itself
  // can overflow the arithmetic.
  const std::int64_t start = (static_cast<std::int64_t>(c.year) - 1) * 12 + (c.month - 1);
  constexpr std::int64_t kLastMonth = 9999 * 12 - 1;
  if (months > kLastMonth - start || months < -start) return std::nullopt;
  const std::int64_t index = start + months;
  const std::int64_t year = index / 12 + 1;
  const auto month = static_cast<std::uint32_t>(index % 12 + 1);
  const std::uint32_t last = days_in_month(year, month);
  return days_from_civil(year, month, c.day < last ? c.day : last);
}

std::optional<std::int64_t> add_years(std::int64_t days, std::int64_t years) {
  // Any year count beyond the 9,998 between the range's ends fails anyway; this bound
  // keeps the multiplication below from overflowing.
  constexpr std::int64_t kMaxYears = 10'000;
  if (years > kMaxYears || years < -kMaxYears) return std::nullopt;
  return add_months(days, years * 12);
}

std::optional<std::int64_t> age_in_years(std::int64_t dob, std::int64_t on) {
  if (!in_date_range(dob) || !in_date_range(on) || on < dob) return std::nullopt;
  const CivilDate birth = civil_from_days(dob);
  const CivilDate now = civil_from_days(on);
  std::int64_t age = static_cast<std::int64_t>(now.year) - birth.year;
  // Comparing (month, day) pairs puts a 29 February birthday after 28 February and before
  // 1 March, which is exactly the 1 March convention for common years.
  if (now.month < birth.month || (now.month == birth.month && now.day < birth.day)) --age;
  return age;
}

}  // namespace safeguard::time
