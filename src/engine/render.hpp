// Values as text in messages ("3 contacts between 2024-01-04 and 2024-05-30").
#pragma once

#include <string>

#include "base/text_buffer.hpp"
#include "cel/value/value.hpp"

namespace safeguard::engine {

// Strings as they are, dates as YYYY-MM-DD, numbers plainly, lists joined with ", ",
// anything that could not be computed as "(unknown)".
std::string render_text(const cel::Value& v);
// The same text appended to `out`, without a temporary string for the common kinds.
void append_text(std::string& out, const cel::Value& v);
void append_text(base::TextBuffer& out, const cel::Value& v);

}  // namespace safeguard::engine
