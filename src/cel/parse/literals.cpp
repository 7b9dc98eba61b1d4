#include "cel/parse/literals.hpp"

#include <charconv>
#include <limits>

#include "base/utf8.hpp"
#include "cel/lex/lexer.hpp"

namespace safeguard::cel {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_octal(char c) noexcept {
  return c >= '0' && c <= '7';
}

bool fail(LiteralError& error, std::uint32_t offset, std::uint32_t length, std::string message,
          std::string hint = {}) {
  error.offset = offset;
  error.length = length == 0 ? 1 : length;
  error.message = std::move(message);
  error.hint = std::move(hint);
  return false;
}

// Accumulates digits in `base`; false on overflow of 64 bits.
bool accumulate(std::string_view digits, unsigned base, std::uint64_t& out) noexcept {
  std::uint64_t value = 0;
  for (char c : digits) {
    const auto d = static_cast<std::uint64_t>(hex_value(c));
    if (value > (std::numeric_limits<std::uint64_t>::max() - d) / base) return false;
    value = value * base + d;
  }
  out = value;
  return true;
}

// Splits "0x1F" into base 16 and "1F"; decimal text is returned as is.
std::string_view digits_of(std::string_view text, unsigned& base) noexcept {
  if (text.size() > 2 && text[0] == '0' && text[1] == 'x') {
    base = 16;
    return text.substr(2);
  }
  base = 10;
  return text;
}

// Whether an out-of-range double literal is too large (rather than too small): the
// decimal exponent of its first significant digit is positive.
bool is_overflow(std::string_view text) noexcept {
  std::int64_t magnitude = 0;
  bool seen_point = false;
  bool seen_significant = false;
  std::int64_t leading_fraction_zeros = 0;
  std::int64_t integer_digits = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    const char c = text[i];
    if (c == '.') {
      seen_point = true;
    } else if (!seen_point) {
      if (c != '0' || seen_significant) {
        seen_significant = true;
        ++integer_digits;
      }
    } else if (!seen_significant) {
      if (c == '0') {
        ++leading_fraction_zeros;
      } else {
        seen_significant = true;
      }
    }
  }
  magnitude = integer_digits > 0 ? integer_digits - 1 : -(leading_fraction_zeros + 1);
  if (i < text.size()) {
    ++i;
    bool minus = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) minus = text[i++] == '-';
    std::int64_t exponent = 0;
    for (; i < text.size(); ++i) {
      if (exponent < 1000000000) exponent = exponent * 10 + (text[i] - '0');
    }
    magnitude += minus ? -exponent : exponent;
  }
  return magnitude > 0;
}

}  // namespace

bool decode_int(std::string_view text, bool negative, std::int64_t& value, LiteralError& error) {
  unsigned base = 10;
  const std::string_view digits = digits_of(text, base);
  std::uint64_t magnitude = 0;
  const bool fits = accumulate(digits, base, magnitude);
  const std::uint64_t limit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  if (!fits || magnitude > limit) {
    const std::string shown = negative ? "-" + std::string(text) : std::string(text);
    std::string hint;
    if (fits && !negative) hint = "add a 'u' suffix for an unsigned integer";
    return fail(error, 0, static_cast<std::uint32_t>(shown.size()),
                "integer literal " + quote_snippet(shown) + " is out of range", hint);
  }
  // Two's complement: the negation of 2^63 as uint64 is exactly INT64_MIN.
  value =
      negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return true;
}

bool decode_uint(std::string_view text, std::uint64_t& value, LiteralError& error) {
  unsigned base = 10;
  const std::string_view digits = digits_of(text.substr(0, text.size() - 1), base);
  if (!accumulate(digits, base, value)) {
    return fail(error, 0, static_cast<std::uint32_t>(text.size()),
                "unsigned integer literal " + quote_snippet(text) + " is out of range");
  }
  return true;
}

bool decode_double(std::string_view text, bool negative, double& value, LiteralError& error) {
  double parsed = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (result.ec == std::errc::result_out_of_range) {
    if (is_overflow(text)) {
      const std::string shown = negative ? "-" + std::string(text) : std::string(text);
      return fail(error, 0, static_cast<std::uint32_t>(shown.size()),
                  "double literal " + quote_snippet(shown) + " is out of range");
    }
    parsed = 0;
  } else if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    return fail(error, 0, static_cast<std::uint32_t>(text.size()),
                "malformed double literal " + quote_snippet(text));
  }
  value = negative ? -parsed : parsed;
  return true;
}

bool decode_string(std::string_view text, Constant& value, LiteralError& error) {
  std::size_t pos = 0;
  const bool bytes = text[pos] == 'b' || text[pos] == 'B';
  if (bytes) ++pos;
  const bool raw = text[pos] == 'r' || text[pos] == 'R';
  if (raw) ++pos;
  const char q = text[pos];
  const bool triple = text.size() - pos >= 6 && text[pos + 1] == q && text[pos + 2] == q;
  const std::size_t quote_len = triple ? 3 : 1;
  const std::size_t body_begin = pos + quote_len;
  const std::string_view body = text.substr(body_begin, text.size() - body_begin - quote_len);

  value.kind = bytes ? ConstantKind::kBytes : ConstantKind::kString;
  std::string& out = value.string_value;
  out.clear();
  if (raw) {
    out.assign(body);
    return true;
  }
  out.reserve(body.size());
  std::size_t i = 0;
  while (i < body.size()) {
    const std::size_t run_end = body.find('\\', i);
    if (run_end != i) {
      out.append(body.substr(i, run_end == std::string_view::npos ? body.size() - i : run_end - i));
      if (run_end == std::string_view::npos) break;
      i = run_end;
    }
    const auto at = static_cast<std::uint32_t>(body_begin + i);
    // The lexer guarantees a character after every backslash inside the quotes.
    const char e = i + 1 < body.size() ? body[i + 1] : '\0';
    auto shown = [&](std::size_t len) {
      return quote_snippet(body.substr(i, std::min(len, body.size() - i)));
    };
    char simple = 0;
    switch (e) {
      case 'a':
        simple = '\a';
        break;
      case 'b':
        simple = '\b';
        break;
      case 'f':
        simple = '\f';
        break;
      case 'n':
        simple = '\n';
        break;
      case 'r':
        simple = '\r';
        break;
      case 't':
        simple = '\t';
        break;
      case 'v':
        simple = '\v';
        break;
      case '\\':
      case '?':
      case '"':
      case '\'':
      case '`':
        simple = e;
        break;
      default:
        break;
    }
    if (simple != 0) {
      out.push_back(simple);
      i += 2;
      continue;
    }
    if (e == 'x' || e == 'X' || e == 'u' || e == 'U') {
      const std::size_t digits = e == 'u' ? 4 : e == 'U' ? 8 : 2;
      if ((e == 'u' || e == 'U') && bytes) {
        return fail(error, at, 2,
                    "escape sequence " + shown(2) + " is not allowed in a bytes literal",
                    "use \\x or octal escapes for single bytes");
      }
      std::uint32_t code = 0;
      for (std::size_t k = 0; k < digits; ++k) {
        const int h = i + 2 + k < body.size() ? hex_value(body[i + 2 + k]) : -1;
        if (h < 0) {
          return fail(error, at, static_cast<std::uint32_t>(std::min(digits + 2, body.size() - i)),
                      "invalid escape sequence " + shown(digits + 2) + ": expected " +
                          std::to_string(digits) + " hexadecimal digits after '\\" + e + "'");
        }
        code = code * 16 + static_cast<std::uint32_t>(h);
      }
      const auto len = static_cast<std::uint32_t>(digits + 2);
      if (bytes) {
        out.push_back(static_cast<char>(code));
      } else if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return fail(error, at, len,
                    "escape sequence " + shown(len) + " is not a valid Unicode code point",
                    code <= 0x10FFFF ? "surrogate halves cannot appear in CEL strings" : "");
      } else {
        base::append_utf8(out, code);
      }
      i += len;
      continue;
    }
    if (e >= '0' && e <= '3') {
      if (i + 3 >= body.size() || !is_octal(body[i + 2]) || !is_octal(body[i + 3])) {
        return fail(error, at,
                    static_cast<std::uint32_t>(std::min<std::size_t>(4, body.size() - i)),
                    "invalid escape sequence " + shown(4) + ": expected 3 octal digits");
      }
      const auto code = static_cast<std::uint32_t>((e - '0') * 64 + (body[i + 2] - '0') * 8 +
                                                   (body[i + 3] - '0'));
      if (bytes) {
        out.push_back(static_cast<char>(code));
      } else {
        base::append_utf8(out, code);
      }
      i += 4;
      continue;
    }
    // Show the whole escaped character, even when it is not ASCII.
    std::size_t len = 2;
    while (i + len < body.size() && (static_cast<unsigned char>(body[i + len]) & 0xC0) == 0x80) {
      ++len;
    }
    return fail(error, at, static_cast<std::uint32_t>(len), "invalid escape sequence " + shown(len),
                "valid escapes are \\a \\b \\f \\n \\r \\t \\v \\\\ \\? \\\" \\' \\` \\xHH "
                "\\uHHHH \\UHHHHHHHH and octal \\ooo");
  }
  return true;
}

}  // namespace safeguard::cel
