#include "time/posix_tz.hpp"

#include "time/civil.hpp"
#include "time/types.hpp"

namespace safeguard::time {

namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool done() const noexcept { return pos_ == text_.size(); }
  bool peek(char c) const noexcept { return pos_ < text_.size() && text_[pos_] == c; }
  bool accept(char c) noexcept {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }

  // A zone abbreviation: "<...>" of letters, digits, '+' and '-', or three or more letters.
  bool name() noexcept {
    if (accept('<')) {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != '>') {
        const char c = text_[pos_];
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-') return false;
        ++pos_;
      }
      const std::size_t length = pos_ - start;
      return accept('>') && length >= 3;
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_alpha(text_[pos_])) ++pos_;
    return pos_ - start >= 3;
  }

  bool number(std::int32_t max, std::int32_t& out) noexcept {
    const std::size_t start = pos_;
    std::int32_t value = 0;
    while (pos_ < text_.size() && is_digit(text_[pos_]) && pos_ - start < 4) {
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (pos_ == start || value > max) return false;
    out = value;
    return true;
  }

  // [+-]hh[:mm[:ss]] in seconds, hours up to `max_hours`.
  bool hms(std::int32_t max_hours, std::int32_t& out) noexcept {
    bool negative = false;
    if (peek('+') || peek('-')) negative = text_[pos_++] == '-';
    std::int32_t h = 0;
    std::int32_t m = 0;
    std::int32_t s = 0;
    if (!number(max_hours, h)) return false;
    if (accept(':')) {
      if (!number(59, m)) return false;
      if (accept(':') && !number(59, s)) return false;
    }
    const std::int32_t value = h * 3600 + m * 60 + s;
    out = negative ? -value : value;
    return true;
  }

  bool date(PosixDate& out) noexcept {
    if (accept('M')) {
      out.kind = PosixDate::Kind::kMonthWeekDay;
      if (!number(12, out.month) || out.month < 1 || !accept('.')) return false;
      if (!number(5, out.week) || out.week < 1 || !accept('.')) return false;
      if (!number(6, out.weekday)) return false;
    } else if (accept('J')) {
      out.kind = PosixDate::Kind::kJulian1;
      if (!number(365, out.day) || out.day < 1) return false;
    } else {
      out.kind = PosixDate::Kind::kJulian0;
      if (!number(365, out.day)) return false;
    }
    out.time = 7200;
    if (accept('/')) return hms(167, out.time);
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// The day number of `date` in `year`.
std::int64_t rule_day(const PosixDate& date, std::int64_t year) noexcept {
  const std::int64_t jan1 = days_from_civil(year, 1, 1);
  switch (date.kind) {
    case PosixDate::Kind::kJulian1:
      return jan1 + date.day - 1 + (is_leap_year(year) && date.day >= 60 ? 1 : 0);
    case PosixDate::Kind::kJulian0:
      return jan1 + date.day;
    case PosixDate::Kind::kMonthWeekDay:
      break;
  }
  const auto month = static_cast<std::uint32_t>(date.month);
  const std::int64_t first = days_from_civil(year, month, 1);
  const auto first_weekday = static_cast<std::int32_t>(weekday_from_days(first));
  std::int64_t day = first + (date.weekday - first_weekday + 7) % 7 + 7 * (date.week - 1);
  const std::int64_t last = first + days_in_month(year, month) - 1;
  while (day > last) day -= 7;  // week 5 means "the last one"
  return day;
}

}  // namespace

std::optional<PosixTimeZone> parse_posix_tz(std::string_view text) {
  Reader r(text);
  PosixTimeZone tz;
  std::int32_t west = 0;
  if (!r.name() || !r.hms(24, west)) return std::nullopt;
  tz.std_offset = -west;
  if (r.done()) return tz;
  if (!r.name()) return std::nullopt;
  tz.has_dst = true;
  tz.dst_offset = tz.std_offset + 3600;
  if (!r.peek(',')) {
    if (!r.hms(24, west)) return std::nullopt;
    tz.dst_offset = -west;
  }
  if (!r.accept(',') || !r.date(tz.start) || !r.accept(',') || !r.date(tz.end) || !r.done()) {
    return std::nullopt;
  }
  return tz;
}

std::int64_t posix_offset_at(const PosixTimeZone& tz, std::int64_t utc_seconds) noexcept {
  if (!tz.has_dst) return tz.std_offset;
  // Keep far-out instants from overflowing the calendar arithmetic; a zone's rule has no
  // meaning there anyway.
  constexpr std::int64_t kLimit = kMaxTimestampSeconds + 2 * kSecondsPerDay;
  if (utc_seconds > kLimit) utc_seconds = kLimit;
  if (utc_seconds < -kLimit) utc_seconds = -kLimit;
  const std::int64_t local = utc_seconds + tz.std_offset;
  const std::int64_t local_day =
      local >= 0 ? local / kSecondsPerDay : -((-local + kSecondsPerDay - 1) / kSecondsPerDay);
  const std::int64_t year = civil_from_days(local_day).year;
  // Start is written in standard time, end in daylight time.
  const std::int64_t start =
      rule_day(tz.start, year) * kSecondsPerDay + tz.start.time - tz.std_offset;
  const std::int64_t end = rule_day(tz.end, year) * kSecondsPerDay + tz.end.time - tz.dst_offset;
  const bool dst = start < end ? (utc_seconds >= start && utc_seconds < end)
                               : !(utc_seconds >= end && utc_seconds < start);
  return dst ? tz.dst_offset : tz.std_offset;
}

}  // namespace safeguard::time
