// CEL values as JSON, the mapping documented in docs/cel.md ("Values as JSON"):
// integers beyond +-2^53 become strings (JSON readers lose precision past that), doubles
// that are not finite become "NaN"/"Infinity"/"-Infinity", bytes become base64, map keys
// become strings, timestamps RFC 3339 text, durations "1.5s", dates "YYYY-MM-DD", types
// their name.
#pragma once

#include <cstddef>
#include <string>

#include "base/json_writer.hpp"
#include "base/text_buffer.hpp"
#include "cel/value/value.hpp"

namespace safeguard::cel {

// Unbounded: for values known to be small (tests, literals).
std::string to_json(const Value& v);
// The value as JSON in `out`; false when the text would pass `max_bytes`, with `out`
// holding a prefix of it (a little past the limit): a list that shares one inner list a
// million times is small in memory but gigabytes as text.
bool to_json(const Value& v, std::size_t max_bytes, std::string& out);
// The same appended to `out`: `max_bytes` bounds the appended text.
bool append_json(const Value& v, std::size_t max_bytes, std::string& out);
bool append_json(const Value& v, std::size_t max_bytes, base::TextBuffer& out);

std::string base64(std::string_view data);

// Appends time::format_date(days) to `out` (optionally in double quotes, as JSON) without a
// temporary string: messages, facts and due dates write a date for most raised flags.
void append_date(std::string& out, std::int64_t days, bool quoted = false);
void append_date(base::TextBuffer& out, std::int64_t days, bool quoted = false);

// Writes the date of day `days`, within years 1-9999 (time::kMinDay to time::kMaxDay), as
// "YYYY-MM-DD" at `out` (10 bytes) and returns the end: for writers into a raw buffer.
char* write_date(char* out, std::int64_t days) noexcept;

}  // namespace safeguard::cel
