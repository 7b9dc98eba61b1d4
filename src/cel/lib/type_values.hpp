// Run-time type values: what `type(x)` returns and what `int`, `list`, ... denote.
#pragma once

#include <string_view>

#include "cel/value/value.hpp"

namespace safeguard::cel {

// The type value for a value's kind.
const TypeValue* type_of_value(const Value& v) noexcept;

// The type value a type name denotes ("int", "list", "google.protobuf.Timestamp", "date",
// "type", ...), or null if the name is not a type.
const TypeValue* type_named(std::string_view name) noexcept;

}  // namespace safeguard::cel
