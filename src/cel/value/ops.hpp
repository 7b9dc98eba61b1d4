// Operations on values shared by the standard library, the evaluator and the API:
// allocation of computed values, CEL equality and ordering, container access.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cel/eval/frame.hpp"
#include "cel/value/error.hpp"
#include "cel/value/json.hpp"
#include "cel/value/value.hpp"

namespace safeguard::cel {

// --- errors -------------------------------------------------------------------------
// Allocates an error in the frame's arena. `message` must outlive the evaluation (a
// literal or program-owned text) and must not contain case data. When the arena is
// exhausted a static "memory budget exceeded" error is returned instead.
Value make_error(Frame& frame, ErrorCode code, const char* message,
                 std::uint32_t tape_index = kNoTape);
// The same, for callers that fill in more fields; null when the arena is exhausted.
ErrorData* new_error(Frame& frame, ErrorCode code, const char* message);

// An error about `culprit` (a value taken from the snapshot, if it was).
Value error_about(Frame& frame, ErrorCode code, const char* message, const Value& culprit);

// An error like `error`, located at `expr_id`, in the frame's arena; `error` when the
// arena is exhausted.
Value located_copy(Frame& frame, Value error, std::uint32_t expr_id) noexcept;

// `v`, recording, if it is an error nothing has located yet, that it arose at expression
// node `expr_id` (so `safeguard expr` can point at it and a rule's `at` name it). An error
// this evaluation made is located in place; one it cannot change (a schema violation owned
// by the document, a static error) is copied.
inline Value locate_error(Frame& frame, Value v, std::uint32_t expr_id) noexcept {
  if (!v.is_error() || v.error->expr_id != 0 || expr_id == 0) return v;
  if (frame.arena().owns(v.error)) {
    const_cast<ErrorData*>(v.error)->expr_id = expr_id;  // made non-const in the arena
    return v;
  }
  return located_copy(frame, v, expr_id);
}

// A static error without location (used where no frame is at hand).
const ErrorData* static_error(ErrorCode code) noexcept;

// The evaluation ran out of memory at expression `expr_id` (located even then: see
// Frame::spare_error).
inline Value out_of_memory(Frame& frame, std::uint32_t expr_id) noexcept {
  return locate_error(frame, Value::error_value(static_error(ErrorCode::kMemoryExceeded)), expr_id);
}

Value no_matching_overload(Frame& frame, const Value* args, std::size_t count);

// --- allocation ---------------------------------------------------------------------
// A length-prefixed copy of `text` in the arena (error value when over budget).
Value make_string(Frame& frame, std::string_view text);
Value make_bytes(Frame& frame, std::string_view data);
// Uninitialised string of `size` bytes to fill in; null when over budget.
char* allocate_string(base::Arena& arena, std::uint32_t size);

// An optional value holding a copy of `held` (an error value when over budget).
Value make_optional(Frame& frame, const Value& held);

// A native list of `size` values; the caller fills items. Null when over budget.
ListData* allocate_list(base::Arena& arena, std::uint32_t size);
Value make_list(Frame& frame, const Value* items, std::uint32_t size);

// --- containers ---------------------------------------------------------------------
inline std::uint32_t list_size(const Value& list) noexcept {
  return list.is_json() ? json_container_size(list.doc, list.aux) : list.list->size;
}
inline std::uint32_t map_size(const Value& map) noexcept {
  return map.is_json() ? json_container_size(map.doc, map.aux) : map.map->size;
}

// Calls `fn(const Value& item)` for each element of a list; stops early when it returns false.
template <typename Fn>
bool for_each_element(const Value& list, Fn&& fn);

// Looks up a key (CEL map lookup, with numeric keys compared by value). Returns false
// when absent; `out` may become an error for a JSON value that violates the schema.
bool map_lookup(const Value& map, const Value& key, Value* out) noexcept;
bool map_lookup_string(const Value& map, std::string_view key, Value* out) noexcept;

// --- membership ------------------------------------------------------------------------
// `needle in list` for a text needle, what the `in_list` overload gives (budget charge and
// errors included): in a snapshot's list (operators.cpp), and in a list the rules built.
Value in_json_list_string(Frame& frame, const Value& needle, const Value& list);
// What a membership walk over `visited` elements gives, whichever walk it was: the budget
// charge for them, then true when found, else the first element in error (a snapshot value
// the schema rejected might have been the one sought), else false.
inline Value membership_outcome(Frame& f, std::uint32_t visited, bool found, const Value& error) {
  if (!f.charge(visited / 8))
    return make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
  if (found) return Value::boolean(true);
  return error.is_error() ? error : Value::boolean(false);
}
// `x.outcome in params.codes`, a list the rules built (parameters, literals): the same test
// as in_list's general walk (a text equals only an equal text; an element in error counts
// only when nothing matched) without a call of equal_values() per element.
inline Value in_built_list_string(Frame& f, const Value& needle, const Value& list) {
  const std::string_view want = needle.str();
  const ListData* data = list.list;
  std::uint32_t visited = 0;
  bool found = false;
  Value error = Value::null();
  for (std::uint32_t k = 0; k < data->size; ++k) {
    const Value& item = data->items[k];
    ++visited;
    if (item.kind == ValueKind::kString) {
      if (item.str() == want) {
        found = true;
        break;
      }
    } else if (item.is_error() && !error.is_error()) {
      error = item;
    }
  }
  return membership_outcome(f, visited, found, error);
}

// --- equality and order ---------------------------------------------------------------
// CEL heterogeneous equality: bool, or an error when an operand is one.
Value equals(Frame& frame, const Value& a, const Value& b);
bool equal_values(const Value& a, const Value& b) noexcept;  // no errors inside, no budget
// The same, charging the frame's step budget one step per container element compared:
// 1 equal, 0 not equal, -1 when the budget ran out (the frame is then spent).
int equal_values(Frame& frame, const Value& a, const Value& b) noexcept;

// Three-way comparison for `<` and friends. Returns false (no result) when the pair is
// not ordered (different kinds, NaN); `*out` is -1, 0 or 1.
bool compare(const Value& a, const Value& b, int* out) noexcept;

// --- names --------------------------------------------------------------------------
// The CEL type name of a value's kind: "int", "list", "google.protobuf.Timestamp", "date".
const char* runtime_type_name(const Value& v) noexcept;

// A debug rendering that never includes string contents (for logs and errors):
// `string(12 bytes)`, `list(3)`, `int`.
std::string shape_of(const Value& v);

// ------------------------------------------------------------------------------------
template <typename Fn>
bool for_each_element(const Value& list, Fn&& fn) {
  if (list.is_json()) {
    const JsonDoc* d = list.doc;
    const std::uint32_t end = static_cast<std::uint32_t>(d->tape[list.aux]) - 1;
    for (std::uint32_t k = list.aux + 1; k < end; k = json_after(d, k)) {
      if (!fn(json_value(d, k))) return false;
    }
    return true;
  }
  const ListData* data = list.list;
  for (std::uint32_t k = 0; k < data->size; ++k) {
    if (!fn(data->items[k])) return false;
  }
  return true;
}

}  // namespace safeguard::cel
