// Read access to a parsed JSON document in simdjson's tape format.
//
// The snapshot is parsed once by simdjson (src/snapshot/) and evaluated in place: a list
// or map value from the snapshot is just (document, tape index), and strings point into
// the parser's string buffer. The tape layout is simdjson's documented format (see
// simdjson doc/tape.md); this file is the only place that knows it.
//   word = type char in the top 8 bits, payload in the low 56 bits
//   '{' '[' : low 32 bits = index just past the matching '}' ']', bits 32-55 = count (saturating)
//   '"'     : offset into the string buffer, where a uint32 length precedes the bytes
//   'l' 'u' 'd' : the next word holds the int64 / uint64 / double bits
//   't' 'f' 'n' : true, false, null
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "cel/value/error.hpp"
#include "cel/value/value.hpp"

namespace safeguard::cel {

struct JsonDoc {
  const std::uint64_t* tape = nullptr;
  const std::uint8_t* strings = nullptr;
  std::uint32_t root = 1;  // tape index of the root value (tape[0] is the root marker)
  // Values that violate the declared schema, sorted by tape index, each with the error an
  // access returns instead of the value.
  const std::uint32_t* invalid = nullptr;
  const ErrorData* invalid_errors = nullptr;
  std::uint32_t invalid_count = 0;
  // The same as a bit per tape index below invalid_end (one past the last one; 0 when none),
  // tested before the search (json_invalid_error): an incomplete record has a few dozen,
  // and every field and element read of it searched them.
  std::uint32_t invalid_end = 0;
  const std::uint64_t* invalid_bits = nullptr;
  // Where schema validation found the declared properties of each object it walked, so a
  // rule reads a field by its position instead of searching the object's keys (see
  // json_layout_find). Indexed by tape index: an offset into layout_words, or kNoTape.
  // At that offset: the schema node the object was validated against, then one tape
  // index per property in the node's order (kNoTape when the object lacks it).
  // At the tape index of a string validation found to be a date or date-time (format
  // "date" or "date-time"), the entry is kCheckedDate instead (an object's entry and a
  // string's never share an index).
  const std::uint32_t* layout_at = nullptr;
  const std::uint32_t* layout_words = nullptr;
};

inline char json_type(const JsonDoc* d, std::uint32_t i) noexcept {
  return static_cast<char>(d->tape[i] >> 56);
}

inline std::uint64_t json_payload(const JsonDoc* d, std::uint32_t i) noexcept {
  return d->tape[i] & 0x00FFFFFFFFFFFFFFULL;
}

// Index just past the value at `i`.
inline std::uint32_t json_after(const JsonDoc* d, std::uint32_t i) noexcept {
  switch (json_type(d, i)) {
    case '{':
    case '[':
      return static_cast<std::uint32_t>(d->tape[i]);
    case 'l':
    case 'u':
    case 'd':
      return i + 2;
    default:
      return i + 1;
  }
}

// The string at tape index `i` (type '"'), as a length-prefixed pointer.
inline const char* json_string_ptr(const JsonDoc* d, std::uint32_t i) noexcept {
  return reinterpret_cast<const char*>(d->strings + json_payload(d, i) + 4);
}

inline std::string_view json_string(const JsonDoc* d, std::uint32_t i) noexcept {
  const char* p = json_string_ptr(d, i);
  std::uint32_t n;
  std::memcpy(&n, p - 4, 4);
  return std::string_view(p, n);
}

// Where schema validation records a field of an object type: the schema node (kNoTape when
// the type is not from a schema) and the field's position among the node's properties.
struct FieldPosition {
  std::uint32_t layout = kNoTape;
  std::uint32_t position = 0;
};

// The tape index of the field at `at` in the object at `obj` (kNoTape when the object lacks
// it), if validation recorded that object's layout for that schema node; false when it did
// not (no schema, a free-form container, another node through an applicator), and the
// caller searches the keys.
inline bool json_layout_find(const JsonDoc* d, std::uint32_t obj, FieldPosition at,
                             std::uint32_t* member) noexcept {
  if (d->layout_at == nullptr || at.layout == kNoTape) return false;
  const std::uint32_t offset = d->layout_at[obj];
  if (offset == kNoTape || d->layout_words[offset] != at.layout) return false;
  *member = d->layout_words[offset + 1 + at.position];
  return true;
}

// JsonDoc::layout_at's entry at a string schema validation found to be a date (format
// "date") or a date-time ("date-time"): its first ten bytes are a valid YYYY-MM-DD, whose
// day number json_checked_date_days() reads without checking it again. No layout offset
// gets this far.
inline constexpr std::uint32_t kCheckedDate = 0xFFFFFFFEu;

// The day number (days since 1970-01-01) of the date in the first ten bytes at `p`, which
// must be a valid date of the years 0001-9999 (the date or date-time that validation marked
// kCheckedDate, or what time::parse_date accepts): its digits are read a word at a time and
// nothing is checked.
inline std::int64_t json_checked_date_days(const char* p) noexcept {
  std::uint64_t word;  // "YY-MM-DD": the year's last two digits on
  std::memcpy(&word, p + 2, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  word = __builtin_bswap64(word);
#endif
  // Byte i (bits 8i..8i+7) is the i-th character, whose low nibble is the digit. Each byte
  // of `pairs` is ten times its digit plus the next one (at most 143: no carry between
  // bytes), so bytes 0, 3 and 6 are the year's last two digits, the month and the day.
  const std::uint64_t digits = word & 0x0F0F0F0F0F0F0F0FULL;
  const std::uint64_t pairs = digits * 10 + (digits >> 8);
  const auto month = static_cast<std::uint32_t>(pairs >> 24 & 0xFF);
  const auto day = static_cast<std::uint32_t>(pairs >> 48 & 0xFF);
  const std::uint32_t century =
      static_cast<std::uint32_t>(p[0] - '0') * 10 + static_cast<std::uint32_t>(p[1] - '0');
  // Howard Hinnant's days_from_civil (time/civil.hpp) for years 1-9999, in 32 bits: years
  // start on 1 March, so 29 February is the last day of a year and needs no test. The
  // table holds the days from 1 March to the first of each month, less the 1 of the day and
  // the 719,468 days from 0000-03-01 to 1970-01-01.
  static constexpr std::int32_t kMonthStart[13] = {
      0,           306 - 719469, 337 - 719469, 0 - 719469,   31 - 719469,  61 - 719469,
      92 - 719469, 122 - 719469, 153 - 719469, 184 - 719469, 214 - 719469, 245 - 719469,
      275 - 719469};
  const std::uint32_t y = century * 100 + static_cast<std::uint32_t>(pairs & 0xFF) - (month <= 2);
  return static_cast<std::int64_t>(y * 365 + y / 4 - y / 100 + y / 400 + day) + kMonthStart[month];
}

// Number of elements (lists) or members (maps) of the container at `i`: the tape's count,
// or, when that is saturated (16,777,215 or more), the walk of json.cpp.
std::uint32_t json_container_size_by_walking(const JsonDoc* d, std::uint32_t i) noexcept;
inline std::uint32_t json_container_size(const JsonDoc* d, std::uint32_t i) noexcept {
  const auto count = static_cast<std::uint32_t>((d->tape[i] >> 32) & 0xFFFFFF);
  return count < 0xFFFFFF ? count : json_container_size_by_walking(d, i);
}

// The error of the value at `i` if schema validation marked it invalid, else null.
const ErrorData* json_invalid_error(const JsonDoc* d, std::uint32_t i) noexcept;

// The Value for the tape element at `i`: scalars are decoded (remembering `i`), containers
// become references. A value marked invalid by schema validation yields its error.
// Inline: every field access and list element goes through here.
inline Value json_value(const JsonDoc* d, std::uint32_t i) noexcept {
  if (d->invalid_count != 0) {
    if (const ErrorData* e = json_invalid_error(d, i)) return Value::error_value(e);
  }
  Value v;
  switch (json_type(d, i)) {
    case '"':
      v = Value::string(json_string_ptr(d, i));
      break;
    case 'l':
      v = Value::integer(static_cast<std::int64_t>(d->tape[i + 1]));
      break;
    case 'u':
      v = Value::uinteger(d->tape[i + 1]);
      break;
    case 'd': {
      double x;
      std::memcpy(&x, &d->tape[i + 1], sizeof x);
      v = Value::real(x);
      break;
    }
    case 't':
      v = Value::boolean(true);
      break;
    case 'f':
      v = Value::boolean(false);
      break;
    case '[':
      return Value::json_container(ValueKind::kList, d, i);
    case '{':
      return Value::json_container(ValueKind::kMap, d, i);
    default:
      v = Value::null();
      break;
  }
  v.flags = kFromJson;
  v.aux = i;
  return v;
}

// Whether the n bytes at a and b are equal, by loads that may overlap and never leave
// either string: for key-sized strings a call to memcmp costs more than the compare.
inline bool same_key_bytes(const char* a, const char* b, std::uint32_t n) noexcept {
  auto load8 = [](const char* p) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    return x;
  };
  auto load4 = [](const char* p) {
    std::uint32_t x;
    std::memcpy(&x, p, 4);
    return x;
  };
  if (n >= 8) {
    for (std::uint32_t i = 0; i + 8 < n; i += 8) {
      if (load8(a + i) != load8(b + i)) return false;
    }
    return load8(a + n - 8) == load8(b + n - 8);
  }
  if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Looks up `key` in the object at `obj`; on success stores the value's tape index.
bool json_find(const JsonDoc* d, std::uint32_t obj, std::string_view key,
               std::uint32_t* value_index) noexcept;

// RFC 6901 JSON pointer of the value at tape index `target` ("" for the root), found by
// walking down from the root; used only when an error is reported.
std::string json_pointer(const JsonDoc* d, std::uint32_t target);

}  // namespace safeguard::cel
