// Type conversions: int(), uint(), double(), string(), bytes(), bool(), dyn(), type().
// Conversions involving timestamps, durations and dates are in time.cpp and dates.cpp.
#include <cmath>
#include <cstring>

#include "base/utf8.hpp"
#include "cel/lib/number_format.hpp"
#include "cel/lib/registry.hpp"
#include "cel/lib/type_values.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

const TypeValue kTypeValues[] = {
    {"null_type"},
    {"bool"},
    {"int"},
    {"uint"},
    {"double"},
    {"string"},
    {"bytes"},
    {"list"},
    {"map"},
    {"optional_type"},
    {"google.protobuf.Timestamp"},
    {"google.protobuf.Duration"},
    {"date"},
    {"type"},
    {"error"},
};

Value range_error(Frame& f) {
  return make_error(f, ErrorCode::kRange, "value out of range");
}
Value bad_text(Frame& f, const Value& culprit) {
  return error_about(f, ErrorCode::kInvalidArgument, "text is not a valid number", culprit);
}

Value identity(Frame&, const Value* a) {
  return a[0];
}

Value int_from_uint(Frame& f, const Value* a) {
  return a[0].u > INT64_MAX ? range_error(f) : Value::integer(static_cast<std::int64_t>(a[0].u));
}
Value int_from_double(Frame& f, const Value* a) {
  const double d = a[0].d;
  // Both ends are exclusive: 2^63 is not representable, and CEL treats -2^63.0 as out of
  // range too (the conformance suite expects a range error for it).
  if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) return range_error(f);
  return Value::integer(static_cast<std::int64_t>(d));
}
Value int_from_string(Frame& f, const Value* a) {
  bool range = false;
  auto v = parse_int(a[0].str(), &range);
  if (!v) return range ? range_error(f) : bad_text(f, a[0]);
  return Value::integer(*v);
}
Value uint_from_int(Frame& f, const Value* a) {
  return a[0].i < 0 ? range_error(f) : Value::uinteger(static_cast<std::uint64_t>(a[0].i));
}
Value uint_from_double(Frame& f, const Value* a) {
  const double d = a[0].d;
  // A negative double is outside uint's range even when it would truncate to 0
  // (uint(-0.5) is an error in cel-go and cel-cpp); -0.0 is not negative.
  if (!(d >= 0.0 && d < 18446744073709551616.0)) return range_error(f);
  return Value::uinteger(static_cast<std::uint64_t>(d));
}
Value uint_from_string(Frame& f, const Value* a) {
  bool range = false;
  auto v = parse_uint(a[0].str(), &range);
  if (!v) return range ? range_error(f) : bad_text(f, a[0]);
  return Value::uinteger(*v);
}
Value double_from_int(Frame&, const Value* a) {
  return Value::real(static_cast<double>(a[0].i));
}
Value double_from_uint(Frame&, const Value* a) {
  return Value::real(static_cast<double>(a[0].u));
}
Value double_from_string(Frame& f, const Value* a) {
  bool range = false;
  auto v = parse_double(a[0].str(), &range);
  if (!v) return range ? range_error(f) : bad_text(f, a[0]);
  return Value::real(*v);
}
Value string_from_int(Frame& f, const Value* a) {
  return make_string(f, std::to_string(a[0].i));
}
Value string_from_uint(Frame& f, const Value* a) {
  return make_string(f, std::to_string(a[0].u));
}
Value string_from_double(Frame& f, const Value* a) {
  return make_string(f, format_double(a[0].d));
}
Value string_from_bool(Frame& f, const Value* a) {
  return make_string(f, a[0].b ? "true" : "false");
}
Value string_from_bytes(Frame& f, const Value* a) {
  if (!base::is_valid_utf8(a[0].str())) {
    return make_error(f, ErrorCode::kInvalidArgument, "bytes are not valid UTF-8");
  }
  Value v = a[0];
  v.kind = ValueKind::kString;
  return v;
}
Value bytes_from_string(Frame&, const Value* a) {
  Value v = a[0];
  v.kind = ValueKind::kBytes;
  v.flags = 0;
  return v;
}
Value bool_from_string(Frame& f, const Value* a) {
  const std::string_view s = a[0].str();
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") {
    return Value::boolean(true);
  }
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False") {
    return Value::boolean(false);
  }
  return error_about(f, ErrorCode::kInvalidArgument, "text is not a boolean", a[0]);
}
Value type_fn(Frame&, const Value* a) {
  return Value::type_value(type_of_value(a[0]));
}

}  // namespace

static_assert(sizeof(kTypeValues) / sizeof(kTypeValues[0]) ==
                  static_cast<std::size_t>(ValueKind::kError) + 1,
              "one type value per ValueKind, in order");

const TypeValue* type_of_value(const Value& v) noexcept {
  return &kTypeValues[static_cast<int>(v.kind)];
}

const TypeValue* type_named(std::string_view name) noexcept {
  for (const auto& t : kTypeValues) {
    if (name == t.name && name != "error") return &t;
  }
  return nullptr;
}

void register_conversions(FunctionRegistry& r) {
  r.add("int64_to_int64", "int", "int -> int", identity);
  r.add("uint64_to_int64", "int", "uint -> int", int_from_uint);
  r.add("double_to_int64", "int", "double -> int", int_from_double);
  r.add("string_to_int64", "int", "string -> int", int_from_string);
  r.add("uint64_to_uint64", "uint", "uint -> uint", identity);
  r.add("int64_to_uint64", "uint", "int -> uint", uint_from_int);
  r.add("double_to_uint64", "uint", "double -> uint", uint_from_double);
  r.add("string_to_uint64", "uint", "string -> uint", uint_from_string);
  r.add("double_to_double", "double", "double -> double", identity);
  r.add("int64_to_double", "double", "int -> double", double_from_int);
  r.add("uint64_to_double", "double", "uint -> double", double_from_uint);
  r.add("string_to_double", "double", "string -> double", double_from_string);
  r.add("string_to_string", "string", "string -> string", identity);
  r.add("int64_to_string", "string", "int -> string", string_from_int);
  r.add("uint64_to_string", "string", "uint -> string", string_from_uint);
  r.add("double_to_string", "string", "double -> string", string_from_double);
  r.add("bool_to_string", "string", "bool -> string", string_from_bool);
  r.add("bytes_to_string", "string", "bytes -> string", string_from_bytes);
  r.add("bytes_to_bytes", "bytes", "bytes -> bytes", identity);
  r.add("string_to_bytes", "bytes", "string -> bytes", bytes_from_string);
  r.add("bool_to_bool", "bool", "bool -> bool", identity);
  r.add("string_to_bool", "bool", "string -> bool", bool_from_string);
  r.add("to_dyn", "dyn", "A -> dyn", identity);
  r.add("type", "type", "A -> type(A)", type_fn);
}

}  // namespace safeguard::cel
