// Text bound for a terminal or a log line, made safe to show: case data and rule files can
// hold control characters, and an escape sequence (ESC [2J clears the screen), a carriage
// return or a backspace would rewrite what the reader sees. JSON output escapes them anyway.
#pragma once

#include <string>
#include <string_view>

namespace safeguard::base {

// `text` with every control character except newline and tab written as `\u001b`: C0
// (U+0000-U+001F), DEL and C1 (U+0080-U+009F, which some terminals read as ESC [), and
// the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
// which reorder what follows them on the line. Bytes that are not UTF-8 are written as
// `\xff`, so the result is valid UTF-8.
std::string printable(std::string_view text);

// The same with each of those characters as one `?`, so a column count stays right (a
// source line above a caret).
std::string printable_same_width(std::string_view text);

}  // namespace safeguard::base
