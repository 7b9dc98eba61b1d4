// Turns an error value into words and a JSON pointer, for undetermined rules and for
// `safeguard expr`. Never includes case data: only field paths and fixed messages.
#pragma once

#include <string>

#include "cel/value/error.hpp"

namespace safeguard::cel {

struct ErrorDescription {
  std::string kind;     // error_code_name(): "missing", "null", "schema-mismatch", ...
  std::string path;     // JSON pointer of the snapshot value concerned, or ""
  std::string message;  // e.g. "field is missing"
  std::string rule;     // kUndetermined: the rule depended on
};

// For kUndetermined errors the description is that of the underlying cause, with `rule`
// naming the rule that was undetermined.
ErrorDescription describe(const ErrorData& error);

}  // namespace safeguard::cel
