// Finds where and why JSON text is malformed.
//
// simdjson says that a document is bad but not where; this slower scanner runs only on
// failure, to give the located error a user needs ("line 12, column 5: expected ',' or
// '}'"). It never quotes the text (snapshots hold personal data).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace safeguard::snapshot {

struct JsonProblem {
  bool found = false;
  std::uint64_t offset = 0;  // byte offset of the offending character
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, counted in code points
  std::string message;
};

JsonProblem locate_json_problem(std::string_view text, std::uint32_t max_depth);

}  // namespace safeguard::snapshot
