// CEL runtime values.
//
// A Value is 16 trivially copyable bytes, so the evaluator passes and returns it in
// registers. Nothing is reference counted: a value points either into the compiled
// program (constants), into the case snapshot's parsed JSON (zero-copy strings, lists
// and maps), or into the evaluation frame's arena (everything computed), and all three
// outlive the evaluation that uses them.
//
// Strings and bytes are length-prefixed: the 32-bit length sits in the four bytes before
// the character data, which is exactly how the JSON parser's string buffer stores them.
// That leaves `aux` free to remember where in the snapshot a scalar came from, so that an
// error about a mistyped or missing field can name its JSON pointer.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace safeguard::cel {

enum class ValueKind : std::uint8_t {
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  // cel-go's optional values (cel.OptionalTypes): `inner` is the value, null for none. Next
  // to the containers, so that "list, map or optional" is one range test (equality charges
  // the budget for the three alike).
  kOptional,
  kTimestamp,
  kDuration,
  kDate,  // safeguard extension: a calendar date
  kType,
  kError,
};

const char* kind_name(ValueKind kind) noexcept;

struct ListData;
struct MapData;
struct ErrorData;
struct JsonDoc;
struct TypeValue;

// Value::flags bits.
inline constexpr std::uint8_t kFromJson =
    1;  // list/map: `doc` + tape index; scalar: aux = tape index
// A schema's default standing in for a field the snapshot left out. Only explain reads it,
// so that a default is never shown as if the snapshot had said it.
inline constexpr std::uint8_t kFromDefault = 2;

inline constexpr std::uint32_t kNoTape = 0xFFFFFFFFu;

struct Value {
  ValueKind kind;
  std::uint8_t flags;
  std::uint16_t reserved;
  // kTimestamp/kDuration: nanoseconds (as int32 bits); JSON-derived values: tape index.
  std::uint32_t aux;
  union {
    bool b;
    std::int64_t i;   // kInt; kTimestamp/kDuration seconds; kDate days since 1970-01-01
    std::uint64_t u;  // kUint
    double d;         // kDouble
    const char* s;    // kString/kBytes: first byte; length in the 4 bytes before it
    const ListData* list;
    const MapData* map;
    const JsonDoc* doc;  // kList/kMap with kFromJson
    const ErrorData* error;
    const TypeValue* type;
    const Value* inner;  // kOptional: the value held (arena- or program-owned), or null
  };

  // --- construction -----------------------------------------------------------------
  static Value null() noexcept { return make(ValueKind::kNull); }
  static Value boolean(bool v) noexcept {
    Value x = make(ValueKind::kBool);
    x.b = v;
    return x;
  }
  static Value integer(std::int64_t v) noexcept {
    Value x = make(ValueKind::kInt);
    x.i = v;
    return x;
  }
  static Value uinteger(std::uint64_t v) noexcept {
    Value x = make(ValueKind::kUint);
    x.u = v;
    return x;
  }
  static Value real(double v) noexcept {
    Value x = make(ValueKind::kDouble);
    x.d = v;
    return x;
  }
  // `data` must be length-prefixed (see above).
  static Value string(const char* data) noexcept {
    Value x = make(ValueKind::kString);
    x.s = data;
    return x;
  }
  static Value bytes(const char* data) noexcept {
    Value x = make(ValueKind::kBytes);
    x.s = data;
    return x;
  }
  static Value timestamp(std::int64_t seconds, std::int32_t nanos) noexcept {
    Value x = make(ValueKind::kTimestamp);
    x.i = seconds;
    x.aux = static_cast<std::uint32_t>(nanos);
    return x;
  }
  static Value duration(std::int64_t seconds, std::int32_t nanos) noexcept {
    Value x = make(ValueKind::kDuration);
    x.i = seconds;
    x.aux = static_cast<std::uint32_t>(nanos);
    return x;
  }
  static Value date(std::int64_t days) noexcept {
    Value x = make(ValueKind::kDate);
    x.i = days;
    return x;
  }
  static Value list_of(const ListData* data) noexcept {
    Value x = make(ValueKind::kList);
    x.list = data;
    return x;
  }
  static Value map_of(const MapData* data) noexcept {
    Value x = make(ValueKind::kMap);
    x.map = data;
    return x;
  }
  static Value json_container(ValueKind kind, const JsonDoc* doc,
                              std::uint32_t tape_index) noexcept {
    Value x = make(kind);
    x.flags = kFromJson;
    x.doc = doc;
    x.aux = tape_index;
    return x;
  }
  static Value type_value(const TypeValue* t) noexcept {
    Value x = make(ValueKind::kType);
    x.type = t;
    return x;
  }
  static Value optional_of(const Value* held) noexcept {
    Value x = make(ValueKind::kOptional);
    x.inner = held;
    return x;
  }
  static Value optional_none() noexcept { return optional_of(nullptr); }
  static Value error_value(const ErrorData* e) noexcept {
    Value x = make(ValueKind::kError);
    x.error = e;
    return x;
  }

  // --- inspection -------------------------------------------------------------------
  bool is_error() const noexcept { return kind == ValueKind::kError; }
  bool is_json() const noexcept { return (flags & kFromJson) != 0; }
  // Tape index of a JSON-derived value, or kNoTape.
  std::uint32_t tape_index() const noexcept { return is_json() ? aux : kNoTape; }

  std::uint32_t str_size() const noexcept {
    std::uint32_t n;
    std::memcpy(&n, s - 4, 4);
    return n;
  }
  std::string_view str() const noexcept { return std::string_view(s, str_size()); }
  std::int32_t nanos() const noexcept { return static_cast<std::int32_t>(aux); }

 private:
  static Value make(ValueKind k) noexcept {
    Value x;
    x.kind = k;
    x.flags = 0;
    x.reserved = 0;
    x.aux = 0;
    x.u = 0;
    return x;
  }
};

static_assert(sizeof(Value) == 16, "Value must stay two machine words");

// A native list: `size` values follow the header.
struct ListData {
  std::uint32_t size;
  std::uint32_t reserved;
  Value items[1];  // really `size` items (allocated with the header)
};

// A native map: parallel key and value arrays, looked up linearly (map literals and
// bindings are small; snapshot objects stay on the JSON tape).
struct MapData {
  std::uint32_t size;
  std::uint32_t reserved;
  const Value* keys;
  const Value* values;
};

// Run-time type values (`type(x)`, `int`, `list`, ...).
struct TypeValue {
  const char* name;
};

}  // namespace safeguard::cel
