#include "time/duration.hpp"

namespace safeguard::time {

namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// A unit is mult * 10^exp nanoseconds: h = 36e11, m = 6e10, s = 1e9, ms = 1e6, ...
struct Unit {
  std::string_view name;
  std::uint32_t mult;
  int exp;
};

constexpr Unit kUnits[] = {
    {"h", 36, 11}, {"m", 6, 10},        {"s", 1, 9},         {"ms", 1, 6},
    {"us", 1, 3},  {"\xC2\xB5s", 1, 3}, {"\xCE\xBCs", 1, 3}, {"ns", 1, 0},
};

const Unit* find_unit(std::string_view name) noexcept {
  for (const Unit& u : kUnits) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

// Fraction digits kept, in units of 1e-17 s: times the largest multiplier (36) it still fits
// in 64 bits, and it is eight digits finer than the nanoseconds the result keeps.
constexpr int kFracDigits = 17;
constexpr std::uint64_t kFracScale = 100'000'000'000'000'000ULL;  // 1e17

// A decimal number int_digits.frac_digits times 10^shift, split into whole seconds and
// a fraction of a second in 1e-17 units. `overflow` when the whole part is absurdly large.
struct Shifted {
  std::uint64_t seconds = 0;
  std::uint64_t fraction = 0;
  bool overflow = false;
};

Shifted shift_decimal(std::string_view int_digits, std::string_view frac_digits, int shift) {
  Shifted r;
  // Digit i of the combined string has weight 10^(point - 1 - i) seconds.
  const std::int64_t point = static_cast<std::int64_t>(int_digits.size()) + shift;
  const std::int64_t total = static_cast<std::int64_t>(int_digits.size() + frac_digits.size());
  auto digit_at = [&](std::int64_t i) -> int {
    if (i < 0 || i >= total) return 0;
    const auto u = static_cast<std::size_t>(i);
    return u < int_digits.size() ? int_digits[u] - '0' : frac_digits[u - int_digits.size()] - '0';
  };
  for (std::int64_t i = 0; i < point; ++i) {
    const int d = digit_at(i);
    if (r.seconds == 0 && d == 0) continue;
    // More than 15 significant digits of seconds is beyond any duration, whatever follows.
    if (r.seconds >= 100'000'000'000'000ULL) {
      r.overflow = true;
      return r;
    }
    r.seconds = r.seconds * 10 + static_cast<std::uint64_t>(d);
  }
  for (std::int64_t i = point; i < point + kFracDigits; ++i) {
    r.fraction = r.fraction * 10 + static_cast<std::uint64_t>(digit_at(i));
  }
  return r;
}

}  // namespace

TimeResult<Duration> parse_duration(std::string_view text) {
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    ++pos;
  }
  if (text.substr(pos) == "0") return {Duration{}, TimeError::kNone};
  if (pos == text.size()) return {{}, TimeError::kSyntax};

  std::uint64_t seconds = 0;
  std::uint64_t nanos = 0;
  bool out_of_range = false;
  while (pos < text.size()) {
    const std::size_t int_start = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    const std::string_view int_digits = text.substr(int_start, pos - int_start);
    std::string_view frac_digits;
    if (pos < text.size() && text[pos] == '.') {
      const std::size_t frac_start = ++pos;
      while (pos < text.size() && is_digit(text[pos])) ++pos;
      frac_digits = text.substr(frac_start, pos - frac_start);
    }
    if (int_digits.empty() && frac_digits.empty()) return {{}, TimeError::kSyntax};
    const std::size_t unit_start = pos;
    while (pos < text.size() && text[pos] != '.' && !is_digit(text[pos])) ++pos;
    const Unit* unit = find_unit(text.substr(unit_start, pos - unit_start));
    if (unit == nullptr) return {{}, TimeError::kSyntax};
    if (out_of_range) continue;  // keep checking the syntax of the rest

    const Shifted part = shift_decimal(int_digits, frac_digits, unit->exp - 9);
    if (part.overflow || part.seconds > static_cast<std::uint64_t>(kMaxDurationSeconds)) {
      out_of_range = true;
      continue;
    }
    const std::uint64_t scaled = part.fraction * unit->mult;  // < 36e17, fits
    seconds += part.seconds * unit->mult + scaled / kFracScale;
    nanos += scaled % kFracScale / (kFracScale / kNanosPerSecond);
    seconds += nanos / kNanosPerSecond;
    nanos %= kNanosPerSecond;
    if (seconds > static_cast<std::uint64_t>(kMaxDurationSeconds)) out_of_range = true;
  }
  if (out_of_range) return {{}, TimeError::kRange};
  const auto s = static_cast<std::int64_t>(seconds);
  const auto n = static_cast<std::int32_t>(nanos);
  return {negative ? Duration{-s, -n} : Duration{s, n}, TimeError::kNone};
}

std::string format_duration(std::int64_t seconds, std::int32_t nanos) {
  std::string out;
  const bool negative = seconds < 0 || nanos < 0;
  if (negative) out += '-';
  // |seconds| <= 315,576,000,000 for a normalised duration, so negation is safe; the
  // unsigned detour keeps even INT64_MIN from being undefined behaviour.
  const std::uint64_t abs_seconds =
      seconds < 0 ? 0 - static_cast<std::uint64_t>(seconds) : static_cast<std::uint64_t>(seconds);
  out += std::to_string(abs_seconds);
  const std::int32_t abs_nanos = nanos < 0 ? -nanos : nanos;
  append_fraction(out, abs_nanos);
  out += 's';
  return out;
}

void append_fraction(std::string& out, std::int32_t nanos) {
  if (nanos <= 0) return;
  char frac[9];
  std::int32_t n = nanos;
  for (int i = 8; i >= 0; --i) {
    frac[i] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
  int len = 9;
  while (frac[len - 1] == '0') --len;
  out += '.';
  out.append(frac, static_cast<std::size_t>(len));
}

TimeResult<Duration> make_duration(std::int64_t seconds, std::int64_t nanos) noexcept {
  // Far outside the range either way: reject before any arithmetic could overflow.
  constexpr std::int64_t kFar = 4 * kMaxDurationSeconds;
  if (seconds > kFar || seconds < -kFar) return {{}, TimeError::kRange};
  seconds += nanos / kNanosPerSecond;  // |nanos / 1e9| < 1e10
  nanos %= kNanosPerSecond;
  if (seconds > 0 && nanos < 0) {
    --seconds;
    nanos += kNanosPerSecond;
  } else if (seconds < 0 && nanos > 0) {
    ++seconds;
    nanos -= kNanosPerSecond;
  }
  if (seconds > kMaxDurationSeconds || seconds < -kMaxDurationSeconds) {
    return {{}, TimeError::kRange};
  }
  return {Duration{seconds, static_cast<std::int32_t>(nanos)}, TimeError::kNone};
}

TimeResult<Duration> add(Duration a, Duration b) noexcept {
  return make_duration(a.seconds + b.seconds, static_cast<std::int64_t>(a.nanos) + b.nanos);
}

TimeResult<Duration> subtract(Duration a, Duration b) noexcept {
  return add(a, negate(b));
}

}  // namespace safeguard::time
