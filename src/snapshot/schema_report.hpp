// Turning what validation found into results: violations in document order, and the
// marks that make rules reading a bad value undetermined.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/parsed_json.hpp"
#include "snapshot/schema.hpp"

namespace safeguard::snapshot::schema {

// A value to mark invalid, with the message its error will carry (static or owned by the
// Schema: ErrorData keeps only the pointer).
struct Mark {
  std::uint32_t tape;
  const char* message;
};

// A violation and the tape index that orders it (the value, or the object concerned).
struct Found {
  std::uint32_t order;
  Violation violation;
};

// Marks every value in `marks` (the first message wins where one value has several),
// replacing earlier marks of `json`.
void apply_marks(ParsedJson& json, std::vector<Mark>& marks);

// Sorts into document order and drops repeats (a value checked by two subschemas).
std::vector<Violation> finish_violations(std::vector<Found>& found);

// Appends "/" and `token` escaped as RFC 6901 says ("~" as "~0", "/" as "~1").
void append_pointer_token(std::string& out, std::string_view token);

}  // namespace safeguard::snapshot::schema
