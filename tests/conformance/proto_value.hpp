// The conformance tests' protobuf JSON (cel.expr.Value and cel.expr.Type) turned into our
// values and types, a comparison stricter than CEL equality, and a readable rendering.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "cel/compile/program.hpp"
#include "cel/types/type.hpp"
#include "cel/value/value.hpp"

namespace safeguard::conformance {

// Converts a cel.expr.Value (nullValue, boolValue, int64Value, uint64Value, doubleValue,
// stringValue, bytesValue, listValue, mapValue, typeValue) into a value stored in `pool`.
// On anything else returns false and says why in `error`.
bool to_value(const boost::json::value& json, cel::ConstantPool& pool, cel::Value* out,
              std::string* error);

// Converts a cel.expr.Type (primitive, listType, mapType, dyn, null, wellKnown, messageType
// of Timestamp/Duration, type) into a checker type; null with `error` set otherwise.
const cel::Type* to_type(const boost::json::value& json, cel::TypeStore& store, std::string* error);

// Whether `actual` is `expected` with the same type all the way down: 1 and 1u differ,
// and NaN equals NaN so that a test expecting NaN can pass.
bool identical(const cel::Value& actual, const cel::Value& expected);

// A CEL-like rendering for failure reports: 1, 1u, 1.5, "text", b"\x00", [1, 2],
// {"k": v}, type(int), error(range: value out of range).
std::string render(const cel::Value& value);

}  // namespace safeguard::conformance
