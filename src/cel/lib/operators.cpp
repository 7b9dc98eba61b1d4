// Arithmetic, comparison, equality, indexing, membership and size.
#include <cmath>
#include <cstring>

#include "base/utf8.hpp"
#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

Value overflow(Frame& f) {
  return make_error(f, ErrorCode::kOverflow, "integer overflow");
}

// --- int ------------------------------------------------------------------------------
Value add_int(Frame& f, const Value* a) {
  std::int64_t r;
  return __builtin_add_overflow(a[0].i, a[1].i, &r) ? overflow(f) : Value::integer(r);
}
Value sub_int(Frame& f, const Value* a) {
  std::int64_t r;
  return __builtin_sub_overflow(a[0].i, a[1].i, &r) ? overflow(f) : Value::integer(r);
}
Value mul_int(Frame& f, const Value* a) {
  std::int64_t r;
  return __builtin_mul_overflow(a[0].i, a[1].i, &r) ? overflow(f) : Value::integer(r);
}
Value div_int(Frame& f, const Value* a) {
  if (a[1].i == 0) return make_error(f, ErrorCode::kDivideByZero, "division by zero");
  if (a[0].i == INT64_MIN && a[1].i == -1) return overflow(f);
  return Value::integer(a[0].i / a[1].i);
}
Value mod_int(Frame& f, const Value* a) {
  if (a[1].i == 0) return make_error(f, ErrorCode::kModulusByZero, "modulus by zero");
  if (a[0].i == INT64_MIN && a[1].i == -1) return overflow(f);
  return Value::integer(a[0].i % a[1].i);
}
Value neg_int(Frame& f, const Value* a) {
  if (a[0].i == INT64_MIN) return overflow(f);
  return Value::integer(-a[0].i);
}

// --- uint -----------------------------------------------------------------------------
Value add_uint(Frame& f, const Value* a) {
  std::uint64_t r;
  return __builtin_add_overflow(a[0].u, a[1].u, &r) ? overflow(f) : Value::uinteger(r);
}
Value sub_uint(Frame& f, const Value* a) {
  std::uint64_t r;
  return __builtin_sub_overflow(a[0].u, a[1].u, &r) ? overflow(f) : Value::uinteger(r);
}
Value mul_uint(Frame& f, const Value* a) {
  std::uint64_t r;
  return __builtin_mul_overflow(a[0].u, a[1].u, &r) ? overflow(f) : Value::uinteger(r);
}
Value div_uint(Frame& f, const Value* a) {
  if (a[1].u == 0) return make_error(f, ErrorCode::kDivideByZero, "division by zero");
  return Value::uinteger(a[0].u / a[1].u);
}
Value mod_uint(Frame& f, const Value* a) {
  if (a[1].u == 0) return make_error(f, ErrorCode::kModulusByZero, "modulus by zero");
  return Value::uinteger(a[0].u % a[1].u);
}

// --- double ---------------------------------------------------------------------------
Value add_double(Frame&, const Value* a) {
  return Value::real(a[0].d + a[1].d);
}
Value sub_double(Frame&, const Value* a) {
  return Value::real(a[0].d - a[1].d);
}
Value mul_double(Frame&, const Value* a) {
  return Value::real(a[0].d * a[1].d);
}
Value div_double(Frame&, const Value* a) {
  return Value::real(a[0].d / a[1].d);
}
Value neg_double(Frame&, const Value* a) {
  return Value::real(-a[0].d);
}

// --- strings, bytes, lists --------------------------------------------------------------
Value concat_string(Frame& f, const Value* a) {
  const std::uint64_t n = std::uint64_t{a[0].str_size()} + a[1].str_size();
  if (n > 0xFFFFFFF0u) return make_error(f, ErrorCode::kMemoryExceeded, "string too long");
  char* p = allocate_string(f.arena(), static_cast<std::uint32_t>(n));
  if (p == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  std::memcpy(p, a[0].s, a[0].str_size());
  std::memcpy(p + a[0].str_size(), a[1].s, a[1].str_size());
  Value v = Value::string(p);
  v.kind = a[0].kind;
  return v;
}

Value concat_list(Frame& f, const Value* a) {
  const std::uint32_t n0 = list_size(a[0]);
  const std::uint32_t n1 = list_size(a[1]);
  if (n0 == 0) return a[1];
  if (n1 == 0) return a[0];
  if (!f.charge(n0 + n1))
    return make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
  ListData* out = allocate_list(f.arena(), n0 + n1);
  if (out == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  std::uint32_t k = 0;
  auto put = [&](const Value& v) {
    out->items[k++] = v;
    return true;
  };
  for_each_element(a[0], put);
  for_each_element(a[1], put);
  return Value::list_of(out);
}

// --- comparison -------------------------------------------------------------------------
template <int kOp>  // 0 <, 1 <=, 2 >, 3 >=
Value compare_op(Frame& f, const Value* a) {
  int c;
  if (!compare(a[0], a[1], &c)) {
    // Unordered numbers (NaN) compare false; anything else is a type error.
    if (a[0].kind == ValueKind::kDouble || a[1].kind == ValueKind::kDouble)
      return Value::boolean(false);
    return no_matching_overload(f, a, 2);
  }
  switch (kOp) {
    case 0:
      return Value::boolean(c < 0);
    case 1:
      return Value::boolean(c <= 0);
    case 2:
      return Value::boolean(c > 0);
    default:
      return Value::boolean(c >= 0);
  }
}

Value eq(Frame& f, const Value* a) {
  return equals(f, a[0], a[1]);
}
Value ne(Frame& f, const Value* a) {
  Value v = equals(f, a[0], a[1]);
  if (!v.is_error()) v.b = !v.b;
  return v;
}

Value logical_not(Frame&, const Value* a) {
  return Value::boolean(!a[0].b);
}

// --- index, membership, size -----------------------------------------------------------
Value index_list(Frame& f, const Value* a) {
  const Value& idx = a[1];
  std::int64_t i;
  if (idx.kind == ValueKind::kInt) {
    i = idx.i;
  } else if (idx.kind == ValueKind::kUint) {
    i = idx.u > INT64_MAX ? -1 : static_cast<std::int64_t>(idx.u);
  } else if (idx.kind == ValueKind::kDouble && std::trunc(idx.d) == idx.d &&
             std::fabs(idx.d) < 9.0e18) {
    i = static_cast<std::int64_t>(idx.d);
  } else if (idx.kind == ValueKind::kDouble) {
    return make_error(f, ErrorCode::kInvalidArgument, "list index is not a whole number");
  } else {
    return no_matching_overload(f, a, 2);
  }
  const std::uint32_t n = list_size(a[0]);
  if (i < 0 || i >= static_cast<std::int64_t>(n)) {
    return make_error(f, ErrorCode::kIndexOutOfRange, "list index out of range");
  }
  if (!a[0].is_json()) return a[0].list->items[i];
  const JsonDoc* d = a[0].doc;
  std::uint32_t k = a[0].aux + 1;
  for (std::int64_t step = 0; step < i; ++step) k = json_after(d, k);
  return json_value(d, k);
}

Value index_map(Frame& f, const Value* a) {
  const Value& key = a[1];
  if (key.kind != ValueKind::kString && key.kind != ValueKind::kInt &&
      key.kind != ValueKind::kUint && key.kind != ValueKind::kBool &&
      key.kind != ValueKind::kDouble) {
    return no_matching_overload(f, a, 2);
  }
  Value out;
  if (map_lookup(a[0], key, &out)) return out;
  ErrorData* e = new_error(f, ErrorCode::kNoSuchKey, "no such key");
  if (e == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  if (a[0].is_json()) {
    e->doc = a[0].doc;
    e->tape_index = a[0].aux;
  }
  return Value::error_value(e);
}

}  // namespace

// `"code" in c.concerns` over a snapshot list: compare the tape's strings in place, the
// commonest membership test in rule conditions. Same results as the general walk below:
// a string equals only a string, and a value marked invalid is an error that counts only
// when nothing matched.
Value in_json_list_string(Frame& f, const Value& needle, const Value& list) {
  const JsonDoc* d = list.doc;
  const std::string_view want = needle.str();
  const std::uint32_t end = static_cast<std::uint32_t>(d->tape[list.aux]) - 1;
  std::uint32_t visited = 0;
  bool found = false;
  Value error = Value::null();
  for (std::uint32_t k = list.aux + 1; k < end; k = json_after(d, k)) {
    ++visited;
    if (d->invalid_count != 0) {
      const Value item = json_value(d, k);
      if (item.is_error()) {
        if (!error.is_error()) error = item;
        continue;
      }
    }
    if (json_type(d, k) != '"') continue;
    const char* p = json_string_ptr(d, k);
    std::uint32_t n;
    std::memcpy(&n, p - 4, 4);
    if (n == want.size() && (n == 0 || (p[0] == want[0] && std::memcmp(p, want.data(), n) == 0))) {
      found = true;
      break;
    }
  }
  return membership_outcome(f, visited, found, error);
}

namespace {

Value in_list(Frame& f, const Value* a) {
  if (a[0].kind == ValueKind::kString) {
    return a[1].is_json() ? in_json_list_string(f, a[0], a[1])
                          : in_built_list_string(f, a[0], a[1]);
  }
  bool found = false;
  bool spent = false;
  std::uint32_t visited = 0;
  Value error = Value::null();
  for_each_element(a[1], [&](const Value& item) {
    ++visited;
    // A snapshot element that violates the schema might have been the one sought.
    if (item.is_error()) {
      if (!error.is_error()) error = item;
      return true;
    }
    const int same = equal_values(f, a[0], item);
    if (same < 0) {
      spent = true;
      return false;
    }
    found = same == 1;
    return !found;
  });
  if (spent) return make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
  return membership_outcome(f, visited, found, error);
}

Value in_map(Frame&, const Value* a) {
  Value ignored;
  return Value::boolean(map_lookup(a[1], a[0], &ignored));
}

Value size_string(Frame&, const Value* a) {
  return Value::integer(static_cast<std::int64_t>(base::count_code_points(a[0].str())));
}
Value size_bytes(Frame&, const Value* a) {
  return Value::integer(a[0].str_size());
}
Value size_list(Frame&, const Value* a) {
  return Value::integer(list_size(a[0]));
}
Value size_map(Frame&, const Value* a) {
  return Value::integer(map_size(a[0]));
}

}  // namespace

void register_operators(FunctionRegistry& r) {
  r.add("add_int64", "_+_", "int, int -> int", add_int);
  r.add("add_uint64", "_+_", "uint, uint -> uint", add_uint);
  r.add("add_double", "_+_", "double, double -> double", add_double);
  r.add("add_string", "_+_", "string, string -> string", concat_string);
  r.add("add_bytes", "_+_", "bytes, bytes -> bytes", concat_string);
  r.add("add_list", "_+_", "list(A), list(A) -> list(A)", concat_list);
  r.add("subtract_int64", "_-_", "int, int -> int", sub_int);
  r.add("subtract_uint64", "_-_", "uint, uint -> uint", sub_uint);
  r.add("subtract_double", "_-_", "double, double -> double", sub_double);
  r.add("multiply_int64", "_*_", "int, int -> int", mul_int);
  r.add("multiply_uint64", "_*_", "uint, uint -> uint", mul_uint);
  r.add("multiply_double", "_*_", "double, double -> double", mul_double);
  r.add("divide_int64", "_/_", "int, int -> int", div_int);
  r.add("divide_uint64", "_/_", "uint, uint -> uint", div_uint);
  r.add("divide_double", "_/_", "double, double -> double", div_double);
  r.add("modulo_int64", "_%_", "int, int -> int", mod_int);
  r.add("modulo_uint64", "_%_", "uint, uint -> uint", mod_uint);
  r.add("negate_int64", "-_", "int -> int", neg_int);
  r.add("negate_double", "-_", "double -> double", neg_double);
  r.add("logical_not", "!_", "bool -> bool", logical_not);

  r.add("equals", "_==_", "A, A -> bool", eq);
  r.add("not_equals", "_!=_", "A, A -> bool", ne);

  // Ordering: same-kind pairs, and every mix of the three numeric kinds.
  struct Pair {
    const char* id;
    const char* sig;
  };
  static const Pair kPairs[] = {
      {"bool", "bool, bool"},
      {"int64", "int, int"},
      {"uint64", "uint, uint"},
      {"double", "double, double"},
      {"string", "string, string"},
      {"bytes", "bytes, bytes"},
      {"timestamp", "timestamp, timestamp"},
      {"duration", "duration, duration"},
      {"date", "date, date"},
      {"int64_uint64", "int, uint"},
      {"int64_double", "int, double"},
      {"uint64_int64", "uint, int"},
      {"uint64_double", "uint, double"},
      {"double_int64", "double, int"},
      {"double_uint64", "double, uint"},
  };
  for (const auto& p : kPairs) {
    const std::string sig = std::string(p.sig) + " -> bool";
    r.add(std::string("less_") + p.id, "_<_", sig, compare_op<0>);
    r.add(std::string("less_equals_") + p.id, "_<=_", sig, compare_op<1>);
    r.add(std::string("greater_") + p.id, "_>_", sig, compare_op<2>);
    r.add(std::string("greater_equals_") + p.id, "_>=_", sig, compare_op<3>);
  }

  // The index is checked at run time so that dyn(0u) and dyn(0.0) work, as CEL requires.
  Overload& idx = r.add("index_list", "_[_]", "list(A), int -> A", index_list);
  idx.kinds[1] = kAnyKind;
  Overload& idxm = r.add("index_map", "_[_]", "map(K, V), K -> V", index_map);
  idxm.kinds[1] = kAnyKind;
  r.add("in_list", "@in", "A, list(A) -> bool", in_list);
  r.add("in_map", "@in", "K, map(K, V) -> bool", in_map);

  r.add("size_string", "size", "string -> int", size_string);
  r.add("size_bytes", "size", "bytes -> int", size_bytes);
  r.add("size_list", "size", "list(A) -> int", size_list);
  r.add("size_map", "size", "map(K, V) -> int", size_map);
  r.add_member("string_size", "size", "string -> int", size_string);
  r.add_member("bytes_size", "size", "bytes -> int", size_bytes);
  r.add_member("list_size", "size", "list(A) -> int", size_list);
  r.add_member("map_size", "size", "map(K, V) -> int", size_map);
}

}  // namespace safeguard::cel
