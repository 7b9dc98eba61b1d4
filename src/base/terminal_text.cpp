#include "base/terminal_text.hpp"

#include <cstdio>

namespace safeguard::base {

namespace {

// The length of the valid UTF-8 sequence at `i`, or 0.
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  std::size_t n = b < 0x80             ? 1
                  : (b & 0xE0) == 0xC0 ? 2
                  : (b & 0xF0) == 0xE0 ? 3
                  : (b & 0xF8) == 0xF0 ? 4
                                       : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  const char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool is_control(std::string_view s, std::size_t i, std::size_t n) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (n == 1) return (b < 0x20 && b != '\n' && b != '\t') || b == 0x7F;
  return n == 2 && b == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;  // U+0080-U+009F
}

template <typename Replace>
std::string rewrite(std::string_view text, Replace replace) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequence_length(text, i);
    if (n != 0 && !is_control(text, i, n)) {
      out.append(text, i, n);
      i += n;
      continue;
    }
    replace(out, text, i, n);
    i += n == 0 ? 1 : n;
  }
  return out;
}

}  // namespace

std::string printable(std::string_view text) {
  return rewrite(text, [](std::string& out, std::string_view s, std::size_t i, std::size_t n) {
    char buf[8];
    if (n == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
    } else {
      const unsigned cp = n == 1 ? static_cast<unsigned char>(s[i])
                                 : ((static_cast<unsigned char>(s[i]) & 0x1Fu) << 6) |
                                       (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
    }
    out += buf;
  });
}

std::string printable_same_width(std::string_view text) {
  return rewrite(text,
                 [](std::string& out, std::string_view, std::size_t, std::size_t) { out += '?'; });
}

}  // namespace safeguard::base
