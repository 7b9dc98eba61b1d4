#include "cel/lib/number_format.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace safeguard::cel {

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // e.g. "-1.23456e+05"
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const std::size_t e = sci.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e; ++i) {
    if (sci[i] != '.') digits.push_back(sci[i]);
  }
  const int exponent = std::atoi(sci.c_str() + e + 1);
  std::string out = negative ? "-" : "";
  // Go's 'g' with the shortest precision switches to exponent form below 1e-4 and at
  // or above 1e21.
  if (exponent < -4 || exponent >= 21) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += exponent < 0 ? '-' : '+';
    const int a = exponent < 0 ? -exponent : exponent;
    if (a < 10) out += '0';
    out += std::to_string(a);
    return out;
  }
  if (exponent < 0) {
    out += "0.";
    out += std::string(static_cast<std::size_t>(-exponent - 1), '0');
    out += digits;
    return out;
  }
  const auto int_digits = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= int_digits) {
    out += digits;
    out += std::string(int_digits - digits.size(), '0');
  } else {
    out += digits.substr(0, int_digits);
    out += '.';
    out += digits.substr(int_digits);
  }
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view text, bool* range_error) {
  *range_error = false;
  std::string_view body = text;
  if (!body.empty() && body[0] == '+') body.remove_prefix(1);
  if (body.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), v, 10);
  if (res.ec == std::errc::result_out_of_range) {
    *range_error = true;
    return std::nullopt;
  }
  if (res.ec != std::errc() || res.ptr != body.data() + body.size()) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> parse_uint(std::string_view text, bool* range_error) {
  *range_error = false;
  std::string_view body = text;
  if (!body.empty() && body[0] == '+') body.remove_prefix(1);
  if (body.empty() || body[0] == '-') return std::nullopt;
  std::uint64_t v = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), v, 10);
  if (res.ec == std::errc::result_out_of_range) {
    *range_error = true;
    return std::nullopt;
  }
  if (res.ec != std::errc() || res.ptr != body.data() + body.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view text, bool* range_error) {
  *range_error = false;
  if (text.empty() || text.size() > 512) return std::nullopt;
  // Accept the spellings Go's ParseFloat accepts for the special values.
  std::string s(text);
  std::string lower;
  for (char c : s) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  if (lower == "nan") return std::nan("");
  if (lower == "inf" || lower == "+inf" || lower == "infinity" || lower == "+infinity") {
    return HUGE_VAL;
  }
  if (lower == "-inf" || lower == "-infinity") return -HUGE_VAL;
  std::string_view body = text;
  const bool plus = body[0] == '+';
  if (plus) body.remove_prefix(1);
  // After one sign, a digit or a point: from_chars takes a '-' of its own (so "+-1.5" read
  // as -1.5) and NaN spellings Go's ParseFloat refuses ("nan(1)", "-nan").
  const std::size_t digits = !plus && body[0] == '-' ? 1 : 0;
  if (body.size() <= digits ||
      !(std::isdigit(static_cast<unsigned char>(body[digits])) || body[digits] == '.')) {
    return std::nullopt;
  }
  double v = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), v);
  if (res.ec == std::errc::result_out_of_range && res.ptr == body.data() + body.size()) {
    // Underflow reads as zero or a subnormal, as in Go. Overflow is an error, as in cel-go
    // (Go's ParseFloat returns infinity with a range error, which cel-go does not take as
    // the value): "1e999" is not a way of writing infinity, and a rule comparing with it
    // would otherwise hold for every number.
    const double nearest = std::strtod(s.c_str(), nullptr);
    if (std::isinf(nearest)) {
      *range_error = true;
      return std::nullopt;
    }
    return nearest;
  }
  if (res.ec != std::errc() || res.ptr != body.data() + body.size()) return std::nullopt;
  return v;
}

}  // namespace safeguard::cel
