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

// Appends the UTF-8 encoding of `cp` (must be a scalar value).
void append_utf8(std::string& out, char32_t cp);

// Byte offset of the code point with index `index`, or npos if the text is shorter.
std::size_t offset_of_code_point(std::string_view text, std::size_t index) noexcept;

}  // namespace safeguard::base
