// Text results built where they stay: in the evaluation's arena.
#pragma once

#include <cstdint>

#include "cel/value/ops.hpp"

namespace safeguard::cel {

// A string (or, with `kind`, bytes) value of exactly `size` bytes in the arena, which
// `fill(char* p)` writes. A function that can tell its result's size before writing a byte
// uses this rather than a std::string copied in afterwards: the text then counts against
// the evaluation's memory budget before it is made, and no temporary copy (which the budget
// does not see, and which an escape-heavy text makes twice the input) exists at all.
template <typename Fill>
Value build_text(Frame& f, std::uint64_t size, ValueKind kind, Fill&& fill) {
  if (size > 0xFFFFFFF0u) return make_error(f, ErrorCode::kMemoryExceeded, "string too long");
  char* p = allocate_string(f.arena(), static_cast<std::uint32_t>(size));
  if (p == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  fill(p);
  Value v = Value::string(p);
  v.kind = kind;
  return v;
}

}  // namespace safeguard::cel
