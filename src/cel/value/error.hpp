// CEL errors as values.
//
// Errors are ordinary values so that `&&`, `||` and the `exists`/`all` macros can absorb
// them (CEL's commutative error semantics). They carry a code, a fixed message that never
// quotes case data, and, when the error concerns a snapshot value, where that value is,
// so an undetermined rule can name the JSON pointer of the missing or mistyped field.
#pragma once

#include <cstdint>

#include "cel/value/value.hpp"

namespace safeguard::cel {

enum class ErrorCode : std::uint8_t {
  kNoSuchKey,           // a field or key that is absent
  kNullValue,           // null where a value is needed (absent data, by the snapshot contract)
  kSchemaMismatch,      // a snapshot value that violates the declared schema
  kNoMatchingOverload,  // a function applied to values of the wrong types
  kInvalidArgument,     // e.g. date("2024-13-01"), a bad regular expression
  kDivideByZero,
  kModulusByZero,
  kOverflow,
  kRange,
  kIndexOutOfRange,
  kBudgetExceeded,  // the evaluation cost budget ran out
  kMemoryExceeded,  // the evaluation memory budget ran out
  kCalendar,        // a date outside the calendar's coverage, or an unknown calendar
  kUndetermined,    // depends on another rule that is undetermined
  kInternal,
};

const char* error_code_name(ErrorCode code) noexcept;

// Whether the error means "the data needed is absent or mistyped" (the rule is
// undetermined for lack of data) as opposed to a limit or a fault in the rule itself.
bool is_data_error(ErrorCode code) noexcept;

struct ErrorData {
  ErrorCode code = ErrorCode::kInternal;
  std::uint32_t tape_index = kNoTape;  // the snapshot value concerned (the object, for kNoSuchKey)
  const JsonDoc* doc = nullptr;
  const char* message = "";          // NUL-terminated; static, program-owned or arena-owned
  Value field{};                     // kNoSuchKey on a literal field name: that name (a string)
  std::uint32_t expr_id = 0;         // expression node where the error arose, if known
  const ErrorData* cause = nullptr;  // kUndetermined: the error of the rule depended on
};

}  // namespace safeguard::cel
