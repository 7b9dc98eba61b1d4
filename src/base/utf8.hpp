// UTF-8 helpers shared by the lexer, the string functions and the loaders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace safeguard::base {

// Returns the byte offset of the first invalid sequence, or npos when `text` is valid
// UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t find_invalid_utf8(std::string_view text) noexcept;

inline bool is_valid_utf8(std::string_view text) noexcept {
  return find_invalid_utf8(text) == std::string_view::npos;
}

// Number of code points in valid UTF-8 text.
std::size_t count_code_points(std::string_view text) noexcept;

// Decodes the code point starting at `pos` (valid UTF-8 assumed) and advances `pos`.
char32_t decode_code_point(std::string_view text, std::size_t& pos) noexcept;

// The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069):
// they show the text after them in another order than it is read. Right-to-left text itself
// needs none of them (its marks, U+200E and U+200F, are not among them).
constexpr bool is_bidi_control(char32_t cp) noexcept {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// Appends the UTF-8 encoding of `cp` (must be a scalar value).
void append_utf8(std::string& out, char32_t cp);

// yaml-cpp (0.7, jbeder/yaml-cpp#803) decodes the double-quoted escapes "\N" (U+0085) and
// "\_" (U+00A0) to the single bytes 0x85 and 0xA0, not UTF-8. Read from a valid UTF-8 file,
// a scalar has no other invalid byte, so a 0x85 or 0xA0 where a character starts is one of
// those escapes: this writes it as the code point's UTF-8 (C2 85, C2 A0).
void repair_yaml_escapes(std::string& scalar);

// Byte offset of the code point with index `index`, or npos if the text is shorter.
std::size_t offset_of_code_point(std::string_view text, std::size_t index) noexcept;

}  // namespace safeguard::base
