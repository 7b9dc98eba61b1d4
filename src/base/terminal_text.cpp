#include "base/terminal_text.hpp"

#include <cstdio>

#include "base/utf8.hpp"

namespace safeguard::base {

namespace {

bool is_control(char32_t cp) {
  return (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp < 0xA0) ||
         // A terminal that lays out right-to-left text (VTE, for one) shows the rest of the
         // line reversed after one.
         is_bidi_control(cp);
}

// `text` with each control code point passed to `replace(out, cp, false)` and each byte
// that is not UTF-8 to `replace(out, byte, true)`; everything else is copied.
template <typename Replace>
std::string rewrite(std::string_view text, Replace replace) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t invalid = find_invalid_utf8(text.substr(i));
    const std::size_t valid_end = invalid == std::string_view::npos ? text.size() : i + invalid;
    while (i < valid_end) {
      const std::size_t start = i;
      const char32_t cp = decode_code_point(text, i);
      if (is_control(cp)) {
        replace(out, static_cast<unsigned>(cp), false);
      } else {
        out.append(text, start, i - start);
      }
    }
    if (i < text.size()) replace(out, static_cast<unsigned char>(text[i++]), true);
  }
  return out;
}

}  // namespace

std::string printable(std::string_view text) {
  return rewrite(text, [](std::string& out, unsigned value, bool invalid_byte) {
    char buf[8];
    std::snprintf(buf, sizeof buf, invalid_byte ? "\\x%02x" : "\\u%04x", value);
    out += buf;
  });
}

std::string printable_same_width(std::string_view text) {
  return rewrite(text, [](std::string& out, unsigned, bool) { out += '?'; });
}

}  // namespace safeguard::base
