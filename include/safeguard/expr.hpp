// Evaluating a single CEL expression: what `safeguard expr` does, and a quick way for a
// host to try the language (including safeguard's date and working-day functions).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "safeguard/calendar.hpp"
#include "safeguard/diagnostic.hpp"
#include "safeguard/export.hpp"
#include "safeguard/options.hpp"

namespace safeguard {

struct ExprOptions {
  // "YYYY-MM-DD". When set, the expression may use the variable `as_of` (a date).
  std::string as_of;
  // Calendar for add_working_days() and friends without a calendar argument.
  std::shared_ptr<const Calendar> calendar;
  // Calendars the three-argument forms may name, e.g. add_working_days(d, 5, "scotland").
  std::vector<std::shared_ptr<const Calendar>> calendars;
  Limits limits;
};

struct ExprResult {
  enum class Status {
    kOk,          // evaluated to a value
    kInputError,  // the variables are not a JSON object, or as_of is not a date
    kParseError,  // syntax error
    kCheckError,  // undeclared name, unknown function, type mismatch, ...
    kEvalError,   // evaluated to an error (division by zero, missing key, ...)
  };
  Status status = Status::kOk;
  std::string value_json;  // the value as JSON (docs/cel.md, "Values as JSON"); kOk only
  std::string type;        // the value's CEL type: "int", "string", "list", "date", ...
  std::vector<Diagnostic> diagnostics;  // why, when not kOk; file "<expr>" or "<vars>"

  bool ok() const noexcept { return status == Status::kOk; }
};

// Parses, checks and evaluates `expression`. `vars_json` is a JSON object whose members
// become variables (use "{}" or "" for none). Never throws (except std::bad_alloc).
SAFEGUARD_API ExprResult evaluate_expression(std::string_view expression,
                                             std::string_view vars_json,
                                             const ExprOptions& options = {});

}  // namespace safeguard
