// What `safeguard test` prints of a test file's own text (test names, expected values and
// the diff built from them), made safe for a terminal as the library's text output is
// (SECURITY.md, item 7): control characters but newline and tab (C0, DEL, C1) and the
// bidirectional controls become `\u001b`, bytes that are not UTF-8 `\xff`. The library's helper for
// this is internal and the CLI sees only the public API, so this is a copy; tests/unit/cli checks
// that the two agree byte for byte.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace safeguard::cli::test {

namespace detail {

// The length of the well-formed UTF-8 sequence at `s[i]` (no overlong forms, surrogates or
// code points past U+10FFFF), or 0 if there is none.
inline std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (s.size() - i < n || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
  }
  return n;
}

}  // namespace detail

inline std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char escape[8];
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = detail::utf8_length(text, i);
    const auto lead = static_cast<unsigned char>(text[i]);
    if (n == 0) {
      std::snprintf(escape, sizeof escape, "\\x%02x", lead);
      out += escape;
      ++i;
      continue;
    }
    unsigned control = 0x10000;  // none
    if (n == 1 && ((lead < 0x20 && lead != '\n' && lead != '\t') || lead == 0x7F)) {
      control = lead;
    } else if (n == 2 && lead == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      control = static_cast<unsigned char>(text[i + 1]);  // C1: U+0080 to U+009F
    } else if (n == 3 && lead == 0xE2) {
      // Bidirectional embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        control = 0x2000u | (b1 & 0x0Fu) << 6 | (b2 & 0x3Fu);
      }
    }
    if (control != 0x10000) {
      std::snprintf(escape, sizeof escape, "\\u%04x", control);
      out += escape;
    } else {
      out.append(text, i, n);
    }
    i += n;
  }
  return out;
}

}  // namespace safeguard::cli::test
