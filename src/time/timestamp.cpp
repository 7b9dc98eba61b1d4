#include "time/timestamp.hpp"

#include "time/civil.hpp"
#include "time/duration.hpp"

namespace safeguard::time {

namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Reads exactly two digits at `pos`, advancing it; -1 when they are not there.
int two_digits(std::string_view text, std::size_t& pos) noexcept {
  if (pos + 2 > text.size() || !is_digit(text[pos]) || !is_digit(text[pos + 1])) return -1;
  const int value = (text[pos] - '0') * 10 + (text[pos + 1] - '0');
  pos += 2;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) noexcept {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

bool expect_either(std::string_view text, std::size_t& pos, char upper, char lower) noexcept {
  if (pos >= text.size() || (text[pos] != upper && text[pos] != lower)) return false;
  ++pos;
  return true;
}

// Years of ten or more digits are all "too large"; this stands for them without overflow.
constexpr std::int64_t kHugeYear = 1'000'000'000;

void append_two(std::string& out, std::int64_t v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

// Floor division by a positive divisor.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

}  // namespace

std::optional<DateTimeParts> parse_date_time(std::string_view text) {
  DateTimeParts p;
  std::size_t pos = 0;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  const std::size_t year_digits = pos;
  if (year_digits < 4 || (year_digits > 4 && text[0] == '0')) return std::nullopt;
  if (year_digits >= 10) {
    p.year = kHugeYear;
  } else {
    for (std::size_t i = 0; i < year_digits; ++i) p.year = p.year * 10 + (text[i] - '0');
  }
  if (!expect(text, pos, '-')) return std::nullopt;
  const int month = two_digits(text, pos);
  if (!expect(text, pos, '-')) return std::nullopt;
  const int day = two_digits(text, pos);
  if (!expect_either(text, pos, 'T', 't')) return std::nullopt;
  const int hour = two_digits(text, pos);
  if (!expect(text, pos, ':')) return std::nullopt;
  const int minute = two_digits(text, pos);
  if (!expect(text, pos, ':')) return std::nullopt;
  const int second = two_digits(text, pos);
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60) {
    return std::nullopt;
  }
  if (static_cast<std::uint32_t>(day) > days_in_month(p.year, static_cast<std::uint32_t>(month))) {
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    std::int32_t nanos = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      if (pos - start < 9) nanos = nanos * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == start) return std::nullopt;
    for (std::size_t n = pos - start; n < 9; ++n) nanos *= 10;
    p.nanos = nanos;
  }
  if (pos >= text.size()) return std::nullopt;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const bool negative = text[pos] == '-';
    ++pos;
    const int off_hour = two_digits(text, pos);
    if (!expect(text, pos, ':')) return std::nullopt;
    const int off_minute = two_digits(text, pos);
    if (off_hour < 0 || off_hour > 23 || off_minute < 0 || off_minute > 59) return std::nullopt;
    const std::int32_t offset = off_hour * 3600 + off_minute * 60;
    p.offset_seconds = negative ? -offset : offset;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  p.month = static_cast<std::uint32_t>(month);
  p.day = static_cast<std::uint32_t>(day);
  p.hour = static_cast<std::uint32_t>(hour);
  p.minute = static_cast<std::uint32_t>(minute);
  p.second = static_cast<std::uint32_t>(second);
  return p;
}

TimeResult<Timestamp> parse_timestamp(std::string_view text) {
  const std::optional<DateTimeParts> p = parse_date_time(text);
  if (!p || p->second == 60) return {{}, TimeError::kSyntax};
  if (p->year < 1 || p->year > 9999) return {{}, TimeError::kRange};
  const std::int64_t seconds = days_from_civil(p->year, p->month, p->day) * kSecondsPerDay +
                               p->hour * 3600 + p->minute * 60 + p->second - p->offset_seconds;
  if (!in_timestamp_range(seconds)) return {{}, TimeError::kRange};
  return {Timestamp{seconds, p->nanos}, TimeError::kNone};
}

std::string format_timestamp(std::int64_t seconds, std::int32_t nanos) {
  const std::int64_t day = floor_div(seconds, kSecondsPerDay);
  const std::int64_t sod = seconds - day * kSecondsPerDay;
  const CivilDate c = civil_from_days(day);
  std::string out;
  out.reserve(30);
  std::int64_t year = c.year;
  if (year < 0) {
    out += '-';
    year = -year;
  }
  const std::string digits = std::to_string(year);
  if (digits.size() < 4) out.append(4 - digits.size(), '0');
  out += digits;
  out += '-';
  append_two(out, c.month);
  out += '-';
  append_two(out, c.day);
  out += 'T';
  append_two(out, sod / 3600);
  out += ':';
  append_two(out, sod / 60 % 60);
  out += ':';
  append_two(out, sod % 60);
  append_fraction(out, nanos);
  out += 'Z';
  return out;
}

TimeFields time_fields(std::int64_t seconds, std::int32_t nanos,
                       std::int64_t utc_offset_seconds) noexcept {
  const std::int64_t local = seconds + utc_offset_seconds;
  const std::int64_t day = floor_div(local, kSecondsPerDay);
  const std::int64_t sod = local - day * kSecondsPerDay;
  const CivilDate c = civil_from_days(day);
  TimeFields f;
  f.year = c.year;
  f.month = static_cast<std::int32_t>(c.month);
  f.day = static_cast<std::int32_t>(c.day);
  f.hour = static_cast<std::int32_t>(sod / 3600);
  f.minute = static_cast<std::int32_t>(sod / 60 % 60);
  f.second = static_cast<std::int32_t>(sod % 60);
  f.millisecond = nanos / 1'000'000;
  f.day_of_year = static_cast<std::int32_t>(day - days_from_civil(c.year, 1, 1));
  f.day_of_week = static_cast<std::int32_t>(weekday_from_days(day));
  return f;
}

TimeResult<Timestamp> add(Timestamp t, Duration d) noexcept {
  // Both operands are range-checked values, so neither sum can overflow.
  std::int64_t seconds = t.seconds + d.seconds;
  std::int32_t nanos = t.nanos + d.nanos;  // in (-1e9, 2e9)
  if (nanos >= kNanosPerSecond) {
    nanos -= kNanosPerSecond;
    ++seconds;
  } else if (nanos < 0) {
    nanos += kNanosPerSecond;
    --seconds;
  }
  if (!in_timestamp_range(seconds)) return {{}, TimeError::kRange};
  return {Timestamp{seconds, nanos}, TimeError::kNone};
}

TimeResult<Timestamp> subtract(Timestamp t, Duration d) noexcept {
  return add(t, negate(d));
}

TimeResult<Duration> difference(Timestamp a, Timestamp b) noexcept {
  return make_duration(a.seconds - b.seconds, static_cast<std::int64_t>(a.nanos) - b.nanos);
}

}  // namespace safeguard::time
