#include "cel/value/ops.hpp"

#include <cmath>
#include <cstring>
#include <string>

namespace safeguard::cel {

namespace {

ErrorData static_error_data(ErrorCode code, const char* message) {
  ErrorData e;
  e.code = code;
  e.message = message;
  return e;
}

const ErrorData kStaticErrors[] = {
    static_error_data(ErrorCode::kNoSuchKey, "no such key"),
    static_error_data(ErrorCode::kNullValue, "null value"),
    static_error_data(ErrorCode::kSchemaMismatch, "value does not match the schema"),
    static_error_data(ErrorCode::kNoMatchingOverload, "no matching overload"),
    static_error_data(ErrorCode::kInvalidArgument, "invalid argument"),
    static_error_data(ErrorCode::kDivideByZero, "division by zero"),
    static_error_data(ErrorCode::kModulusByZero, "modulus by zero"),
    static_error_data(ErrorCode::kOverflow, "integer overflow"),
    static_error_data(ErrorCode::kRange, "value out of range"),
    static_error_data(ErrorCode::kIndexOutOfRange, "index out of range"),
    static_error_data(ErrorCode::kBudgetExceeded, "evaluation budget exceeded"),
    static_error_data(ErrorCode::kMemoryExceeded, "evaluation memory budget exceeded"),
    static_error_data(ErrorCode::kCalendar, "date outside the calendar's coverage"),
    static_error_data(ErrorCode::kUndetermined, "depends on an undetermined rule"),
    static_error_data(ErrorCode::kInternal, "internal error"),
};

}  // namespace

const char* error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kNoSuchKey:
      return "missing";
    case ErrorCode::kNullValue:
      return "null";
    case ErrorCode::kSchemaMismatch:
      return "schema-mismatch";
    case ErrorCode::kNoMatchingOverload:
      return "no-matching-overload";
    case ErrorCode::kInvalidArgument:
      return "invalid-argument";
    case ErrorCode::kDivideByZero:
      return "divide-by-zero";
    case ErrorCode::kModulusByZero:
      return "modulus-by-zero";
    case ErrorCode::kOverflow:
      return "overflow";
    case ErrorCode::kRange:
      return "range";
    case ErrorCode::kIndexOutOfRange:
      return "index-out-of-range";
    case ErrorCode::kBudgetExceeded:
      return "budget-exceeded";
    case ErrorCode::kMemoryExceeded:
      return "memory-exceeded";
    case ErrorCode::kCalendar:
      return "calendar";
    case ErrorCode::kUndetermined:
      return "undetermined";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

bool is_data_error(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kNoSuchKey:
    case ErrorCode::kNullValue:
    case ErrorCode::kSchemaMismatch:
    case ErrorCode::kNoMatchingOverload:
    case ErrorCode::kInvalidArgument:
      return true;
    default:
      return false;
  }
}

const ErrorData* static_error(ErrorCode code) noexcept {
  return &kStaticErrors[static_cast<int>(code)];
}

ErrorData* new_error(Frame& frame, ErrorCode code, const char* message) {
  auto* e = static_cast<ErrorData*>(frame.arena().allocate(sizeof(ErrorData), alignof(ErrorData)));
  if (e == nullptr) return nullptr;
  new (e) ErrorData();
  e->code = code;
  e->message = message;
  return e;
}

Value located_copy(Frame& frame, Value error, std::uint32_t expr_id) noexcept {
  auto* e = static_cast<ErrorData*>(frame.arena().allocate(sizeof(ErrorData), alignof(ErrorData)));
  if (e == nullptr && error.error->code == ErrorCode::kMemoryExceeded) e = frame.spare_error();
  if (e == nullptr) return error;
  new (e) ErrorData(*error.error);
  e->expr_id = expr_id;
  return Value::error_value(e);
}

Value make_error(Frame& frame, ErrorCode code, const char* message, std::uint32_t tape_index) {
  ErrorData* e = new_error(frame, code, message);
  if (e == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  e->tape_index = tape_index;
  e->doc = tape_index == kNoTape ? nullptr : frame.doc;
  return Value::error_value(e);
}

Value error_about(Frame& frame, ErrorCode code, const char* message, const Value& culprit) {
  if (culprit.is_error()) return culprit;
  if (!culprit.is_json()) return make_error(frame, code, message);
  // A null from the snapshot is absent data, whatever the function wanted.
  const bool absent = culprit.kind == ValueKind::kNull;
  ErrorData* e =
      new_error(frame, absent ? ErrorCode::kNullValue : code, absent ? "value is null" : message);
  if (e == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  e->tape_index = culprit.aux;
  const bool container = culprit.kind == ValueKind::kList || culprit.kind == ValueKind::kMap;
  e->doc = container ? culprit.doc : frame.doc;
  return Value::error_value(e);
}

namespace {

// `prefix` followed by the arguments' types, "(int, double)", in the arena: the types tell
// a rule author what to convert (a case's values stay out of it). `prefix` alone when the
// arena is spent.
const char* with_argument_types(Frame& frame, const char* prefix, const Value* args,
                                std::size_t count) {
  std::string text = prefix;
  text += " (";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) text += ", ";
    text += runtime_type_name(args[i]);
  }
  text += ")";
  const char* out = frame.arena().copy_string(text.data(), text.size());
  return out != nullptr ? out : prefix;
}

}  // namespace

Value no_matching_overload(Frame& frame, const Value* args, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (args[i].is_error()) return args[i];
  }
  // Blame the first argument that came from the snapshot: that is the field a policy
  // lead needs to look at.
  for (std::size_t i = 0; i < count; ++i) {
    if (args[i].is_json()) {
      return error_about(
          frame, ErrorCode::kNoMatchingOverload,
          with_argument_types(frame, "value has the wrong type for this operation", args, count),
          args[i]);
    }
  }
  return make_error(frame, ErrorCode::kNoMatchingOverload,
                    with_argument_types(frame, "no matching overload for", args, count));
}

char* allocate_string(base::Arena& arena, std::uint32_t size) {
  auto* p = static_cast<char*>(arena.allocate(std::size_t{size} + 5, 4));
  if (p == nullptr) return nullptr;
  std::memcpy(p, &size, 4);
  p[4 + size] = '\0';
  return p + 4;
}

Value make_string(Frame& frame, std::string_view text) {
  if (text.size() > 0xFFFFFFF0u)
    return make_error(frame, ErrorCode::kMemoryExceeded, "string too long");
  char* p = allocate_string(frame.arena(), static_cast<std::uint32_t>(text.size()));
  if (p == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  if (!text.empty()) std::memcpy(p, text.data(), text.size());
  return Value::string(p);
}

Value make_bytes(Frame& frame, std::string_view data) {
  Value v = make_string(frame, data);
  if (!v.is_error()) v.kind = ValueKind::kBytes;
  return v;
}

ListData* allocate_list(base::Arena& arena, std::uint32_t size) {
  const std::size_t bytes = sizeof(ListData) + sizeof(Value) * (size > 0 ? size - 1 : 0);
  auto* data = static_cast<ListData*>(arena.allocate(bytes, alignof(ListData)));
  if (data == nullptr) return nullptr;
  data->size = size;
  data->reserved = 0;
  return data;
}

Value make_optional(Frame& frame, const Value& held) {
  auto* copy = frame.arena().allocate_array<Value>(1);
  if (copy == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  *copy = held;
  return Value::optional_of(copy);
}

Value make_list(Frame& frame, const Value* items, std::uint32_t size) {
  ListData* data = allocate_list(frame.arena(), size);
  if (data == nullptr) return Value::error_value(static_error(ErrorCode::kMemoryExceeded));
  if (size > 0) std::memcpy(static_cast<void*>(data->items), items, sizeof(Value) * size);
  return Value::list_of(data);
}

namespace {

// Whether a double is exactly the integer `other` (an int or uint): no rounding, unlike
// `==`, which compares an integer with a double through a conversion to double.
bool double_is_integer(double d, const Value& other) noexcept {
  if (d != std::trunc(d)) return false;
  if (other.kind == ValueKind::kInt) {
    return d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
           static_cast<std::int64_t>(d) == other.i;
  }
  return d >= 0 && d < 18446744073709551616.0 && static_cast<std::uint64_t>(d) == other.u;
}

// Map keys compare numerically across int, uint and double (CEL's heterogeneous
// equality), but exactly: {1: x}[1.0] finds x, while a double that only rounds to a large
// integer key does not (as in cel-go and cel-cpp). Other kinds must match exactly.
bool key_matches(const Value& stored, const Value& key) noexcept {
  if (stored.kind == key.kind) return equal_values(stored, key);
  const bool stored_num = stored.kind == ValueKind::kInt || stored.kind == ValueKind::kUint ||
                          stored.kind == ValueKind::kDouble;
  const bool key_num =
      key.kind == ValueKind::kInt || key.kind == ValueKind::kUint || key.kind == ValueKind::kDouble;
  if (!stored_num || !key_num) return false;
  if (stored.kind == ValueKind::kDouble) return double_is_integer(stored.d, key);
  if (key.kind == ValueKind::kDouble) return double_is_integer(key.d, stored);
  return equal_values(stored, key);  // int and uint compare exactly
}

}  // namespace

bool map_lookup_string(const Value& map, std::string_view key, Value* out) noexcept {
  if (map.is_json()) {
    std::uint32_t at;
    if (!json_find(map.doc, map.aux, key, &at)) return false;
    *out = json_value(map.doc, at);
    return true;
  }
  const MapData* m = map.map;
  for (std::uint32_t i = 0; i < m->size; ++i) {
    const Value& k = m->keys[i];
    if (k.kind == ValueKind::kString && k.str() == key) {
      *out = m->values[i];
      return true;
    }
  }
  return false;
}

bool map_lookup(const Value& map, const Value& key, Value* out) noexcept {
  if (key.kind == ValueKind::kString) return map_lookup_string(map, key.str(), out);
  if (map.is_json()) return false;  // JSON object keys are strings
  const MapData* m = map.map;
  for (std::uint32_t i = 0; i < m->size; ++i) {
    if (key_matches(m->keys[i], key)) {
      *out = m->values[i];
      return true;
    }
  }
  return false;
}

namespace {

bool is_number(ValueKind k) noexcept {
  return k == ValueKind::kInt || k == ValueKind::kUint || k == ValueKind::kDouble;
}

// Compares two numbers of any numeric kinds on one number line. int and uint compare
// exactly; against a double, an integer is converted to double once the double is known to
// be in the integer's range, as cel-go and cel-cpp do (the conformance suite expects
// `dyn(9223372036854775807) < 9223372036854775808.0` to be false). Returns false when
// unordered (NaN).
bool compare_numbers(const Value& a, const Value& b, int* out) noexcept {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (a.kind == b.kind) {
    switch (a.kind) {
      case ValueKind::kInt:
        *out = cmp(a.i, b.i);
        return true;
      case ValueKind::kUint:
        *out = cmp(a.u, b.u);
        return true;
      default:
        if (std::isnan(a.d) || std::isnan(b.d)) return false;
        *out = cmp(a.d, b.d);
        return true;
    }
  }
  if (a.kind == ValueKind::kInt && b.kind == ValueKind::kUint) {
    *out = a.i < 0 ? -1 : cmp(static_cast<std::uint64_t>(a.i), b.u);
    return true;
  }
  if (a.kind == ValueKind::kUint && b.kind == ValueKind::kInt) {
    *out = b.i < 0 ? 1 : cmp(a.u, static_cast<std::uint64_t>(b.i));
    return true;
  }
  // One side is a double.
  const bool a_double = a.kind == ValueKind::kDouble;
  const double d = a_double ? a.d : b.d;
  const Value& other = a_double ? b : a;
  if (std::isnan(d)) return false;
  int r;  // compare(d, other)
  if (other.kind == ValueKind::kInt) {
    if (d < -9223372036854775808.0) {
      r = -1;
    } else if (d > 9223372036854775808.0) {
      r = 1;
    } else {
      r = cmp(d, static_cast<double>(other.i));
    }
  } else {
    if (d < 0) {
      r = -1;
    } else if (d > 18446744073709551616.0) {
      r = 1;
    } else {
      r = cmp(d, static_cast<double>(other.u));
    }
  }
  *out = a_double ? r : -r;
  return true;
}

}  // namespace

bool compare(const Value& a, const Value& b, int* out) noexcept {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (is_number(a.kind) && is_number(b.kind)) return compare_numbers(a, b, out);
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::kBool:
      *out = cmp(a.b, b.b);
      return true;
    case ValueKind::kString:
    case ValueKind::kBytes: {
      const int c = a.str().compare(b.str());
      *out = c < 0 ? -1 : (c > 0 ? 1 : 0);
      return true;
    }
    case ValueKind::kTimestamp:
    case ValueKind::kDuration:
      *out = a.i != b.i ? cmp(a.i, b.i) : cmp(a.nanos(), b.nanos());
      return true;
    case ValueKind::kDate:
      *out = cmp(a.i, b.i);
      return true;
    default:
      return false;
  }
}

namespace {

// CEL equality that spends one unit of `work` per element or entry of a container it
// compares, and gives up (returning false with `work` negative) once `work` runs out:
// two lists built by sharing one inner list can hold a billion elements between them.
bool equal_within(const Value& a, const Value& b, std::int64_t& work) noexcept {
  if (is_number(a.kind) && is_number(b.kind)) {
    int c;
    return compare_numbers(a, b, &c) && c == 0;
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::kNull:
      return true;
    case ValueKind::kBool:
      return a.b == b.b;
    case ValueKind::kString:
    case ValueKind::kBytes:
      return a.str() == b.str();
    case ValueKind::kTimestamp:
    case ValueKind::kDuration:
      return a.i == b.i && a.aux == b.aux;
    case ValueKind::kDate:
      return a.i == b.i;
    case ValueKind::kType:
      return std::strcmp(a.type->name, b.type->name) == 0;
    case ValueKind::kList: {
      const std::uint32_t n = list_size(a);
      if (n != list_size(b)) return false;
      if (!a.is_json() && !b.is_json()) {
        for (std::uint32_t i = 0; i < n; ++i) {
          if (--work < 0 || !equal_within(a.list->items[i], b.list->items[i], work)) return false;
        }
        return true;
      }
      // Walk both in step.
      std::uint32_t i = 0;
      Value bi;
      bool same = true;
      const JsonDoc* bd = b.is_json() ? b.doc : nullptr;
      std::uint32_t bk = b.is_json() ? b.aux + 1 : 0;
      for_each_element(a, [&](const Value& x) {
        if (bd != nullptr) {
          bi = json_value(bd, bk);
          bk = json_after(bd, bk);
        } else {
          bi = b.list->items[i];
        }
        ++i;
        same = --work >= 0 && equal_within(x, bi, work);
        return same;
      });
      return same;
    }
    case ValueKind::kMap: {
      const std::uint32_t n = map_size(a);
      if (n != map_size(b)) return false;
      if (a.is_json()) {
        const JsonDoc* d = a.doc;
        const std::uint32_t end = static_cast<std::uint32_t>(d->tape[a.aux]) - 1;
        for (std::uint32_t k = a.aux + 1; k < end; k = json_after(d, k + 1)) {
          Value other;
          if (!map_lookup_string(b, json_string(d, k), &other)) return false;
          if (--work < 0 || !equal_within(json_value(d, k + 1), other, work)) return false;
        }
        return true;
      }
      for (std::uint32_t i = 0; i < n; ++i) {
        Value other;
        if (!map_lookup(b, a.map->keys[i], &other)) return false;
        if (--work < 0 || !equal_within(a.map->values[i], other, work)) return false;
      }
      return true;
    }
    case ValueKind::kOptional:
      // Two nones are equal; a none equals no value; two values compare as their contents.
      if (a.inner == nullptr || b.inner == nullptr) return a.inner == b.inner;
      return --work >= 0 && equal_within(*a.inner, *b.inner, work);
    case ValueKind::kError:
      return false;
    default:
      return false;
  }
}

}  // namespace

bool equal_values(const Value& a, const Value& b) noexcept {
  std::int64_t unlimited = INT64_MAX;
  return equal_within(a, b, unlimited);
}

int equal_values(Frame& frame, const Value& a, const Value& b) noexcept {
  const bool containers =
      a.kind == ValueKind::kList || a.kind == ValueKind::kMap || a.kind == ValueKind::kOptional;
  if (!containers) return equal_values(a, b) ? 1 : 0;
  const std::int64_t budget = frame.steps_left();
  std::int64_t work = budget;
  const bool same = equal_within(a, b, work);
  // Over budget (work < 0) charges more than is left, which spends the frame's budget.
  if (!frame.charge(budget - work)) return -1;
  return same ? 1 : 0;
}

Value equals(Frame& frame, const Value& a, const Value& b) {
  if (a.is_error()) return a;
  if (b.is_error()) return b;
  const int same = equal_values(frame, a, b);
  if (same < 0) return make_error(frame, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
  return Value::boolean(same == 1);
}

const char* runtime_type_name(const Value& v) noexcept {
  switch (v.kind) {
    case ValueKind::kNull:
      return "null_type";
    case ValueKind::kBool:
      return "bool";
    case ValueKind::kInt:
      return "int";
    case ValueKind::kUint:
      return "uint";
    case ValueKind::kDouble:
      return "double";
    case ValueKind::kString:
      return "string";
    case ValueKind::kBytes:
      return "bytes";
    case ValueKind::kList:
      return "list";
    case ValueKind::kMap:
      return "map";
    case ValueKind::kTimestamp:
      return "google.protobuf.Timestamp";
    case ValueKind::kDuration:
      return "google.protobuf.Duration";
    case ValueKind::kDate:
      return "date";
    case ValueKind::kType:
      return "type";
    case ValueKind::kError:
      return "error";
    case ValueKind::kOptional:
      return "optional_type";
  }
  return "dyn";
}

const char* kind_name(ValueKind kind) noexcept {
  Value v{};
  v.kind = kind;
  return runtime_type_name(v);
}

std::string shape_of(const Value& v) {
  switch (v.kind) {
    case ValueKind::kString:
      return "string(" + std::to_string(v.str_size()) + " bytes)";
    case ValueKind::kBytes:
      return "bytes(" + std::to_string(v.str_size()) + ")";
    case ValueKind::kList:
      return "list(" + std::to_string(list_size(v)) + ")";
    case ValueKind::kMap:
      return "map(" + std::to_string(map_size(v)) + ")";
    default:
      return runtime_type_name(v);
  }
}

}  // namespace safeguard::cel
