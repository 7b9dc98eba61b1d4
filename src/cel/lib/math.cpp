// The CEL math extension, as cel-go's ext.Math() defines it (version 1, and version 2's
// math.sqrt): math.greatest
// and math.least (macros that the parser expands to math.@max / math.@min, see
// parse/macros.cpp), rounding, sign and absolute value, the floating-point tests and the
// bit operations. The names are namespaced functions: `math.abs(x)` is resolved by the
// checker as the global function "math.abs".
#include <cmath>
#include <cstdint>
#include <limits>

#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

bool is_number(const Value& v) noexcept {
  return v.kind == ValueKind::kInt || v.kind == ValueKind::kUint || v.kind == ValueKind::kDouble;
}

Value identity(Frame&, const Value* a) {
  return a[0];
}

// The greater (kGreatest) or lesser of two numbers of any kinds, compared by value; on a
// tie the first is kept, so math.greatest(1, 1.0) is the int 1 as in cel-go.
template <bool kGreatest>
Value pick(Frame& f, const Value& first, const Value& second) {
  if (!is_number(first) || !is_number(second)) {
    const Value args[2] = {first, second};
    return no_matching_overload(f, args, 2);
  }
  int c;
  if (!compare(first, second, &c)) {
    return make_error(f, ErrorCode::kInvalidArgument,
                      kGreatest ? "math.greatest(): NaN values cannot be ordered"
                                : "math.least(): NaN values cannot be ordered");
  }
  return (kGreatest ? c < 0 : c > 0) ? second : first;
}

template <bool kGreatest>
Value pair(Frame& f, const Value* a) {
  return pick<kGreatest>(f, a[0], a[1]);
}

template <bool kGreatest>
Value of_list(Frame& f, const Value* a) {
  Value best = Value::null();
  bool any = false;
  for_each_element(a[0], [&](const Value& v) {
    if (v.is_error()) {
      best = v;
      return false;
    }
    if (!any) {
      any = true;
      best = is_number(v) ? v : no_matching_overload(f, &v, 1);
    } else {
      best = pick<kGreatest>(f, best, v);
    }
    return !best.is_error();
  });
  if (!any) {
    return make_error(
        f, ErrorCode::kInvalidArgument,
        kGreatest ? "math.greatest() of an empty list" : "math.least() of an empty list");
  }
  return best;
}

Value ceil_impl(Frame&, const Value* a) {
  return Value::real(std::ceil(a[0].d));
}
Value floor_impl(Frame&, const Value* a) {
  return Value::real(std::floor(a[0].d));
}
// Ties away from zero (1.5 -> 2, -1.5 -> -2), as Go's math.Round.
Value round_impl(Frame&, const Value* a) {
  return Value::real(std::round(a[0].d));
}
Value trunc_impl(Frame&, const Value* a) {
  return Value::real(std::trunc(a[0].d));
}

Value is_inf(Frame&, const Value* a) {
  return Value::boolean(std::isinf(a[0].d));
}
Value is_nan(Frame&, const Value* a) {
  return Value::boolean(std::isnan(a[0].d));
}
Value is_finite(Frame&, const Value* a) {
  return Value::boolean(std::isfinite(a[0].d));
}

// math.sqrt (cel-go's math extension, version 2): of any number, a double; NaN below zero.
Value sqrt_double(Frame&, const Value* a) {
  return Value::real(std::sqrt(a[0].d));
}
Value sqrt_int(Frame&, const Value* a) {
  return Value::real(std::sqrt(static_cast<double>(a[0].i)));
}
Value sqrt_uint(Frame&, const Value* a) {
  return Value::real(std::sqrt(static_cast<double>(a[0].u)));
}

Value abs_double(Frame&, const Value* a) {
  return Value::real(std::fabs(a[0].d));
}
Value abs_int(Frame& f, const Value* a) {
  if (a[0].i == std::numeric_limits<std::int64_t>::min()) {
    return make_error(f, ErrorCode::kOverflow, "integer overflow in math.abs()");
  }
  return Value::integer(a[0].i < 0 ? -a[0].i : a[0].i);
}

// NaN stays NaN; -0.0 and 0.0 both give 0.0.
Value sign_double(Frame&, const Value* a) {
  const double d = a[0].d;
  if (std::isnan(d)) return a[0];
  return Value::real(d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0));
}
Value sign_int(Frame&, const Value* a) {
  return Value::integer(a[0].i > 0 ? 1 : (a[0].i < 0 ? -1 : 0));
}
Value sign_uint(Frame&, const Value* a) {
  return Value::uinteger(a[0].u == 0 ? 0 : 1);
}

Value bit_and_int(Frame&, const Value* a) {
  return Value::integer(a[0].i & a[1].i);
}
Value bit_and_uint(Frame&, const Value* a) {
  return Value::uinteger(a[0].u & a[1].u);
}
Value bit_or_int(Frame&, const Value* a) {
  return Value::integer(a[0].i | a[1].i);
}
Value bit_or_uint(Frame&, const Value* a) {
  return Value::uinteger(a[0].u | a[1].u);
}
Value bit_xor_int(Frame&, const Value* a) {
  return Value::integer(a[0].i ^ a[1].i);
}
Value bit_xor_uint(Frame&, const Value* a) {
  return Value::uinteger(a[0].u ^ a[1].u);
}
Value bit_not_int(Frame&, const Value* a) {
  return Value::integer(~a[0].i);
}
Value bit_not_uint(Frame&, const Value* a) {
  return Value::uinteger(~a[0].u);
}

// Shifts work on the 64 bits as unsigned: a shift by 64 or more gives 0, and a right
// shift fills with zeros (no sign extension), as cel-go documents. A negative shift is
// an error.
template <bool kLeft>
Value shift(Frame& f, const Value* a) {
  const std::int64_t by = a[1].i;
  if (by < 0) {
    return make_error(
        f, ErrorCode::kInvalidArgument,
        kLeft ? "math.bitShiftLeft() negative offset" : "math.bitShiftRight() negative offset");
  }
  const std::uint64_t bits =
      a[0].kind == ValueKind::kInt ? static_cast<std::uint64_t>(a[0].i) : a[0].u;
  std::uint64_t out = 0;
  if (by < 64) out = kLeft ? bits << by : bits >> by;
  return a[0].kind == ValueKind::kInt ? Value::integer(static_cast<std::int64_t>(out))
                                      : Value::uinteger(out);
}

template <bool kGreatest>
void register_extreme(FunctionRegistry& r, const char* function, const char* prefix) {
  const std::string p = prefix;
  r.add(p + "_double", function, "double -> double", identity);
  r.add(p + "_int", function, "int -> int", identity);
  r.add(p + "_uint", function, "uint -> uint", identity);
  r.add(p + "_double_double", function, "double, double -> double", pair<kGreatest>);
  r.add(p + "_int_int", function, "int, int -> int", pair<kGreatest>);
  r.add(p + "_uint_uint", function, "uint, uint -> uint", pair<kGreatest>);
  r.add(p + "_int_uint", function, "int, uint -> dyn", pair<kGreatest>);
  r.add(p + "_int_double", function, "int, double -> dyn", pair<kGreatest>);
  r.add(p + "_double_int", function, "double, int -> dyn", pair<kGreatest>);
  r.add(p + "_double_uint", function, "double, uint -> dyn", pair<kGreatest>);
  r.add(p + "_uint_int", function, "uint, int -> dyn", pair<kGreatest>);
  r.add(p + "_uint_double", function, "uint, double -> dyn", pair<kGreatest>);
  r.add(p + "_list_double", function, "list(double) -> double", of_list<kGreatest>);
  r.add(p + "_list_int", function, "list(int) -> int", of_list<kGreatest>);
  r.add(p + "_list_uint", function, "list(uint) -> uint", of_list<kGreatest>);
}

}  // namespace

void register_math(FunctionRegistry& r) {
  register_extreme<true>(r, "math.@max", "math_@max");
  register_extreme<false>(r, "math.@min", "math_@min");

  r.add("math_ceil_double", "math.ceil", "double -> double", ceil_impl);
  r.add("math_floor_double", "math.floor", "double -> double", floor_impl);
  r.add("math_round_double", "math.round", "double -> double", round_impl);
  r.add("math_trunc_double", "math.trunc", "double -> double", trunc_impl);

  r.add("math_isInf_double", "math.isInf", "double -> bool", is_inf);
  r.add("math_isNaN_double", "math.isNaN", "double -> bool", is_nan);
  r.add("math_isFinite_double", "math.isFinite", "double -> bool", is_finite);

  r.add("math_sqrt_double", "math.sqrt", "double -> double", sqrt_double);
  r.add("math_sqrt_int", "math.sqrt", "int -> double", sqrt_int);
  r.add("math_sqrt_uint", "math.sqrt", "uint -> double", sqrt_uint);
  r.add("math_abs_double", "math.abs", "double -> double", abs_double);
  r.add("math_abs_int", "math.abs", "int -> int", abs_int);
  r.add("math_abs_uint", "math.abs", "uint -> uint", identity);
  r.add("math_sign_double", "math.sign", "double -> double", sign_double);
  r.add("math_sign_int", "math.sign", "int -> int", sign_int);
  r.add("math_sign_uint", "math.sign", "uint -> uint", sign_uint);

  r.add("math_bitAnd_int_int", "math.bitAnd", "int, int -> int", bit_and_int);
  r.add("math_bitAnd_uint_uint", "math.bitAnd", "uint, uint -> uint", bit_and_uint);
  r.add("math_bitOr_int_int", "math.bitOr", "int, int -> int", bit_or_int);
  r.add("math_bitOr_uint_uint", "math.bitOr", "uint, uint -> uint", bit_or_uint);
  r.add("math_bitXor_int_int", "math.bitXor", "int, int -> int", bit_xor_int);
  r.add("math_bitXor_uint_uint", "math.bitXor", "uint, uint -> uint", bit_xor_uint);
  r.add("math_bitNot_int_int", "math.bitNot", "int -> int", bit_not_int);
  r.add("math_bitNot_uint_uint", "math.bitNot", "uint -> uint", bit_not_uint);
  r.add("math_bitShiftLeft_int_int", "math.bitShiftLeft", "int, int -> int", shift<true>);
  r.add("math_bitShiftLeft_uint_int", "math.bitShiftLeft", "uint, int -> uint", shift<true>);
  r.add("math_bitShiftRight_int_int", "math.bitShiftRight", "int, int -> int", shift<false>);
  r.add("math_bitShiftRight_uint_int", "math.bitShiftRight", "uint, int -> uint", shift<false>);
}

}  // namespace safeguard::cel
