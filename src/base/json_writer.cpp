#include "base/json_writer.hpp"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "base/json_plain.hpp"
#include "base/utf8.hpp"

namespace safeguard::base {

namespace {

#if defined(__SSE2__)
using plain::escape_mask;

unsigned escape_mask16(const char* p) noexcept {
  return escape_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

// The length of the leading run of `text` that needs no escape.
std::size_t plain_prefix(std::string_view text) noexcept {
  const std::size_t n = text.size();
  if (n < 16) {
    // Short strings (keys, codes, dates) are most of a result's strings: one test of a
    // padded copy instead of a loop over the bytes. The bit at n stops the count there.
    char padded[16] = {};
    if (n > 0) std::memcpy(padded, text.data(), n);
    return static_cast<std::size_t>(__builtin_ctz(escape_mask16(padded) | (1u << n)));
  }
  std::size_t plain = 0;
  for (; plain + 16 <= n; plain += 16) {
    const unsigned mask = escape_mask16(text.data() + plain);
    if (mask != 0) return plain + static_cast<std::size_t>(__builtin_ctz(mask));
  }
  if (plain == n) return n;
  // The last 16 bytes, overlapping those already found plain (never reading outside text).
  const std::size_t last = n - 16;
  const unsigned mask = escape_mask16(text.data() + last) >> (plain - last);
  return mask != 0 ? plain + static_cast<std::size_t>(__builtin_ctz(mask)) : n;
}
#else
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHigh = 0x8080808080808080ULL;

// Bit Twiddling Hacks' "has a byte less than n": nonzero exactly when one of the eight
// bytes of x is below n (0 < n <= 128); n = 1 finds a zero byte.
constexpr std::uint64_t has_byte_below(std::uint64_t x, std::uint64_t n) noexcept {
  return (x - kOnes * n) & ~x & kHigh;
}

// Whether one of the 8 bytes at p must be escaped or checked as UTF-8: a control
// character, '"', '\\', DEL or a byte above it.
bool needs_escape(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  return (has_byte_below(x, 0x20) | (x & kHigh) | has_byte_below(x ^ (kOnes * 0x7F), 1) |
          has_byte_below(x ^ (kOnes * '"'), 1) | has_byte_below(x ^ (kOnes * '\\'), 1)) != 0;
}

// Printable ASCII other than '"' and '\\': the bytes written as they are.
struct PlainBytes {
  bool plain[256] = {};
  constexpr PlainBytes() {
    for (int c = 0x20; c < 0x7F; ++c) plain[c] = c != '"' && c != '\\';
  }
};
constexpr PlainBytes kPlainBytes;

// The length of the leading run of `text` that needs no escape.
std::size_t plain_prefix(std::string_view text) noexcept {
  std::size_t plain = 0;
  while (plain + 8 <= text.size() && !needs_escape(text.data() + plain)) plain += 8;
  while (plain < text.size() && kPlainBytes.plain[static_cast<unsigned char>(text[plain])]) ++plain;
  return plain;
}
#endif

}  // namespace

#if defined(__SSE2__)
bool copy_plain_json_text(char* out, std::string_view text) noexcept {
  return plain::copy_plain_json_text(out, text);
}
#else
bool copy_plain_json_text(char* out, std::string_view text) noexcept {
  if (plain_prefix(text) != text.size()) return false;
  if (!text.empty()) std::memcpy(out, text.data(), text.size());
  return true;
}
#endif

void append_json_string(std::string& out, std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    // A run of characters written as they are (most text is all one run) goes in with
    // one append rather than a push_back per character.
    const std::size_t plain = i + plain_prefix(text.substr(i));
    if (plain > i) {
      out.append(text.data() + i, plain - i);
      i = plain;
      if (i == text.size()) break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t bad = find_invalid_utf8(text.substr(i, 4));
      std::size_t len = (c & 0xE0) == 0xC0   ? 2
                        : (c & 0xF0) == 0xE0 ? 3
                        : (c & 0xF8) == 0xF0 ? 4
                                             : 1;
      if (len == 1 || i + len > text.size() || (bad != std::string_view::npos && bad < len) ||
          !is_valid_utf8(text.substr(i, len))) {
        out += "\xEF\xBF\xBD";
        ++i;
        continue;
      }
      out.append(text.data() + i, len);
      i += len;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

void JsonWriter::newline() {
  if (!pretty_) return;
  out_.push_back('\n');
  out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
}

void JsonWriter::value_prefix() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    if (!first_) out_.push_back(',');
    newline();
  }
  first_ = false;
}

void JsonWriter::open(char c) {
  value_prefix();
  out_.push_back(c);
  ++depth_;
  first_ = true;
}

void JsonWriter::close(char c) {
  --depth_;
  if (!first_) newline();
  out_.push_back(c);
  first_ = false;
}

void JsonWriter::key(std::string_view k) {
  value_prefix();
  append_json_string(out_, k);
  out_.push_back(':');
  if (pretty_) out_.push_back(' ');
  after_key_ = true;
}

void JsonWriter::plain_key(std::string_view k) {
  assert(plain_prefix(k) == k.size());
  value_prefix();
  out_.push_back('"');
  out_.append(k);
  out_.append(pretty_ ? "\": " : "\":");
  after_key_ = true;
}

void JsonWriter::string(std::string_view s) {
  value_prefix();
  append_json_string(out_, s);
}

void JsonWriter::integer(std::int64_t v) {
  value_prefix();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
}

void JsonWriter::uinteger(std::uint64_t v) {
  value_prefix();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
}

void JsonWriter::number(double v) {
  value_prefix();
  if (!std::isfinite(v)) {
    out_ += "null";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
}

void JsonWriter::boolean(bool v) {
  value_prefix();
  out_ += v ? "true" : "false";
}

void JsonWriter::null() {
  value_prefix();
  out_ += "null";
}

void JsonWriter::raw(std::string_view json) {
  value_prefix();
  out_ += json;
}

}  // namespace safeguard::base
