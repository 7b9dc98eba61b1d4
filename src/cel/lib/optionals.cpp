// cel-go's optional values (cel.OptionalTypes, cel-spec's optional syntax): optional.of,
// optional.ofNonZeroValue, optional.none, hasValue(), value(), or(), orValue(), the
// version-2 functions first(), last(), optional.unwrap() and unwrapOpt(), and the
// runtime forms of `a.?b` ("_?._") and `a[?b]` ("_[?_]"), which an index into an optional
// (`opt[0]`) shares. The parser writes the syntax, the checker types it and the planner
// gives or() and orValue() their own nodes, which evaluate the alternative only when needed.
#include "cel/lib/optionals.hpp"

#include <cmath>

#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

// The value an optional holds, or the value itself when it is no optional; false for none.
bool unwrap(const Value& t, Value* out) {
  if (t.kind != ValueKind::kOptional) {
    *out = t;
    return true;
  }
  if (t.inner == nullptr) return false;
  *out = *t.inner;
  return true;
}

// A present entry as an optional; an entry the schema rejected stays the error it is.
Value present(Frame& f, const Value& v) {
  if (v.is_error()) return v;
  return make_optional(f, v);
}

bool is_zero(const Value& v) {
  switch (v.kind) {
    case ValueKind::kNull:
      return true;
    case ValueKind::kBool:
      return !v.b;
    case ValueKind::kInt:
      return v.i == 0;
    case ValueKind::kUint:
      return v.u == 0;
    case ValueKind::kDouble:
      return v.d == 0;
    case ValueKind::kString:
    case ValueKind::kBytes:
      return v.str_size() == 0;
    case ValueKind::kList:
      return list_size(v) == 0;
    case ValueKind::kMap:
      return map_size(v) == 0;
    case ValueKind::kTimestamp:
    case ValueKind::kDuration:
      return v.i == 0 && v.nanos() == 0;
    default:
      return false;  // dates, types, optionals: no zero value
  }
}

Value of(Frame& f, const Value* a) {
  return make_optional(f, a[0]);
}
Value of_non_zero(Frame& f, const Value* a) {
  return is_zero(a[0]) ? Value::optional_none() : make_optional(f, a[0]);
}
Value none(Frame&, const Value*) {
  return Value::optional_none();
}
Value has_value(Frame&, const Value* a) {
  return Value::boolean(a[0].inner != nullptr);
}
Value value(Frame& f, const Value* a) {
  if (a[0].inner != nullptr) return *a[0].inner;
  // The value is absent, like a missing field: the data a rule needs is not there.
  return make_error(f, ErrorCode::kNoSuchKey, "value() of an empty optional (optional.none())");
}
// The planner evaluates these two lazily (OptionalOrNode); these are for folding and for
// calls it cannot see, such as unchecked ones.
Value or_optional(Frame&, const Value* a) {
  return a[0].inner != nullptr ? a[0] : a[1];
}
Value or_value(Frame&, const Value* a) {
  return a[0].inner != nullptr ? *a[0].inner : a[1];
}

// list.first() and list.last() (version 2 of cel-go's library): an optional of the end
// element, none for an empty list.
template <bool kLast>
Value end_element(Frame& f, const Value* a) {
  const std::uint32_t n = list_size(a[0]);
  if (n == 0) return Value::optional_none();
  if (!a[0].is_json()) return make_optional(f, a[0].list->items[kLast ? n - 1 : 0]);
  const JsonDoc* d = a[0].doc;
  std::uint32_t k = a[0].aux + 1;
  if (kLast) {
    for (std::uint32_t step = 0; step + 1 < n; ++step) k = json_after(d, k);
  }
  return present(f, json_value(d, k));
}

// optional.unwrap(list) and list.unwrapOpt() (version 2): the values the list's optionals
// hold, nones left out. A step of the budget per element, as flatten() charges.
Value unwrap_list(Frame& f, const Value* a) {
  const std::uint32_t n = list_size(a[0]);
  if (!f.charge(n)) return make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
  ListData* out = allocate_list(f.arena(), n);
  if (out == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  std::uint32_t kept = 0;
  Value bad{};
  const bool ok = for_each_element(a[0], [&](const Value& item) {
    if (item.kind != ValueKind::kOptional) {
      bad = item;
      return false;
    }
    if (item.inner != nullptr) out->items[kept++] = *item.inner;
    return true;
  });
  if (!ok) {
    if (bad.is_error()) return bad;
    return error_about(f, ErrorCode::kNoMatchingOverload, "unwrap needs a list of optionals", bad);
  }
  out->size = kept;
  return Value::list_of(out);
}

Value opt_select(Frame& f, const Value* a) {
  return optional_select(f, a[0], a[1]);
}

// `t[?key]`, and `t[key]` with t an optional: an optional of the element or entry, none
// when the list has no such index or the map no such key (or t is none).
Value opt_index(Frame& f, const Value* a) {
  Value t;
  if (!unwrap(a[0], &t)) return Value::optional_none();
  const Value& key = a[1];
  if (t.kind == ValueKind::kList) {
    std::int64_t i;
    if (key.kind == ValueKind::kInt) {
      i = key.i;
    } else if (key.kind == ValueKind::kUint) {
      i = key.u > INT64_MAX ? -1 : static_cast<std::int64_t>(key.u);
    } else if (key.kind == ValueKind::kDouble && std::trunc(key.d) == key.d &&
               std::fabs(key.d) < 9.0e18) {
      i = static_cast<std::int64_t>(key.d);
    } else if (key.kind == ValueKind::kDouble) {
      return make_error(f, ErrorCode::kInvalidArgument, "list index is not a whole number");
    } else {
      const Value args[2] = {t, key};
      return no_matching_overload(f, args, 2);
    }
    if (i < 0 || i >= static_cast<std::int64_t>(list_size(t))) return Value::optional_none();
    if (!t.is_json()) return make_optional(f, t.list->items[i]);
    const JsonDoc* d = t.doc;
    std::uint32_t k = t.aux + 1;
    for (std::int64_t step = 0; step < i; ++step) k = json_after(d, k);
    return present(f, json_value(d, k));
  }
  if (t.kind == ValueKind::kMap) {
    if (key.kind != ValueKind::kString && key.kind != ValueKind::kInt &&
        key.kind != ValueKind::kUint && key.kind != ValueKind::kBool &&
        key.kind != ValueKind::kDouble) {
      const Value args[2] = {t, key};
      return no_matching_overload(f, args, 2);
    }
    Value out;
    if (!map_lookup(t, key, &out)) return Value::optional_none();
    if (t.is_json() && out.kind == ValueKind::kNull) return Value::optional_none();
    return present(f, out);
  }
  if (t.kind == ValueKind::kNull && t.is_json()) {
    return error_about(f, ErrorCode::kNullValue, "value is null", t);
  }
  const Value args[2] = {t, key};
  return no_matching_overload(f, args, 2);
}

}  // namespace

Value optional_select(Frame& f, const Value& target, const Value& field) {
  Value t;
  if (!unwrap(target, &t)) return Value::optional_none();
  if (t.kind == ValueKind::kMap) {
    Value out;
    if (!map_lookup_string(t, field.str(), &out)) return Value::optional_none();
    if (t.is_json() && out.kind == ValueKind::kNull) return Value::optional_none();
    return present(f, out);
  }
  if (t.is_error()) return t;
  if (t.kind == ValueKind::kNull && t.is_json()) {
    return error_about(f, ErrorCode::kNullValue, "value is null", t);
  }
  return error_about(f, ErrorCode::kNoMatchingOverload, "value has no fields", t);
}

Value optional_has(Frame& f, const Value& target, const Value& field) {
  Value t;
  if (!unwrap(target, &t)) return Value::boolean(false);
  if (t.kind == ValueKind::kMap) {
    Value out;
    if (!map_lookup_string(t, field.str(), &out)) return Value::boolean(false);
    return Value::boolean(!(t.is_json() && out.kind == ValueKind::kNull));
  }
  if (t.is_error()) return t;
  if (t.kind == ValueKind::kNull && t.is_json()) {
    return error_about(f, ErrorCode::kNullValue, "value is null", t);
  }
  return error_about(f, ErrorCode::kNoMatchingOverload, "has() needs an object or map", t);
}

void register_optionals(FunctionRegistry& r) {
  r.add("optional_of", "optional.of", "A -> optional(A)", of);
  r.add("optional_ofNonZeroValue", "optional.ofNonZeroValue", "A -> optional(A)", of_non_zero);
  r.add("optional_none", "optional.none", "-> optional(A)", none);
  r.add_member("optional_hasValue", "hasValue", "optional(A) -> bool", has_value);
  r.add_member("optional_value", "value", "optional(A) -> A", value);
  r.add_member("optional_or_optional", "or", "optional(A), optional(A) -> optional(A)",
               or_optional);
  r.add_member("optional_orValue_value", "orValue", "optional(A), A -> A", or_value);
  // Version 2.
  r.add_member("list_first", "first", "list(A) -> optional(A)", end_element<false>);
  r.add_member("list_last", "last", "list(A) -> optional(A)", end_element<true>);
  r.add("optional_unwrap_list", "optional.unwrap", "list(optional(A)) -> list(A)", unwrap_list);
  r.add_member("list_unwrapOpt", "unwrapOpt", "list(optional(A)) -> list(A)", unwrap_list);
  // The checker types these three itself (the field or element type of what is selected
  // or indexed); the declarations give the run-time forms.
  r.add("select_optional_field", "_?._", "dyn, string -> optional(dyn)", opt_select);
  r.add("list_optindex_optional_int", "_[?_]", "dyn, dyn -> optional(dyn)", opt_index);
  r.add("optional_index", "_[_]", "optional(A), dyn -> optional(dyn)", opt_index);
}

}  // namespace safeguard::cel
