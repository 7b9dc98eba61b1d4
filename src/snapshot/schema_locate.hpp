// Where a JSON pointer lands in the text of a JSON document.
//
// The simdjson tape keeps no positions, but a schema diagnostic should point at the
// keyword with file:line:col and a caret, like any other load error. Problems are rare
// and schemas small, so on each problem this walks the text again along the pointer's
// path: an exact answer for a few microseconds, instead of a position table kept for
// every schema node.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace safeguard::snapshot::schema {

// Byte offset in `text` (well-formed JSON) of the value reached by `tokens` (unescaped
// JSON pointer tokens); with `at_key`, of the last token's member name instead. Where
// the path leaves the document, the offset of the deepest value reached on it.
std::uint32_t locate_pointer(std::string_view text, const std::vector<std::string>& tokens,
                             bool at_key);

}  // namespace safeguard::snapshot::schema
