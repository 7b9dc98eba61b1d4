#include "cel/eval/nodes.hpp"

#include <cstring>
#include <memory>

#include <re2/re2.h>

#include "cel/lib/optionals.hpp"
#include "cel/lib/regex.hpp"

namespace safeguard::cel {

namespace {

Value not_bool(Frame& f, const Value& v) {
  return error_about(f, ErrorCode::kNoMatchingOverload, "expected a bool", v);
}

}  // namespace

// The hit, which is most calls, saves no registers: the miss is a function of its own.
Value CachedNode::eval(Frame& f) const {
  if (f.marks()[slot_] == f.ready_mark()) return f.slots()[slot_];
  return compute(f);
}

Value CachedNode::compute(Frame& f) const {
  Value v = child_->eval(f);
  f.slots()[slot_] = v;
  f.marks()[slot_] = f.ready_mark();
  return v;
}

Value LoopCachedNode::compute(Frame& f) const {
  // The loop's mark is read first: nothing the child does starts another run of this loop
  // (a function cannot call itself), but the value belongs to the run that asked for it.
  const std::uint64_t run = f.marks()[scope_];
  const Value v = child_->eval(f);
  f.slots()[slot_] = v;
  f.marks()[slot_] = run;
  return v;
}

// CEL's && and || are commutative with respect to errors: a decisive operand wins
// whichever side it is on, so "data missing on one side" does not hide a certain answer.
Value AndNode::eval(Frame& f) const {
  const Value a = a_->eval(f);
  if (a.kind == ValueKind::kBool && !a.b) return a;
  const Value b = b_->eval(f);
  if (b.kind == ValueKind::kBool && !b.b) return b;
  if (a.kind == ValueKind::kBool && b.kind == ValueKind::kBool) return b;  // both true
  if (a.kind != ValueKind::kBool) return a.is_error() ? a : not_bool(f, a);
  return b.is_error() ? b : not_bool(f, b);
}

Value OrNode::eval(Frame& f) const {
  const Value a = a_->eval(f);
  if (a.kind == ValueKind::kBool && a.b) return a;
  const Value b = b_->eval(f);
  if (b.kind == ValueKind::kBool && b.b) return b;
  if (a.kind == ValueKind::kBool && b.kind == ValueKind::kBool) return b;  // both false
  if (a.kind != ValueKind::kBool) return a.is_error() ? a : not_bool(f, a);
  return b.is_error() ? b : not_bool(f, b);
}

Value not_bool_error(Frame& f, const Value& v) {
  return not_bool(f, v);
}

Value NotNode::eval(Frame& f) const {
  const Value a = a_->eval(f);
  if (a.kind == ValueKind::kBool) return Value::boolean(!a.b);
  return a.is_error() ? a : not_bool(f, a);
}

Value ConditionalNode::eval(Frame& f) const {
  const Value c = c_->eval(f);
  if (c.kind == ValueKind::kBool) return c.b ? a_->eval(f) : b_->eval(f);
  return c.is_error() ? c : not_bool(f, c);
}

Value CallNode::eval(Frame& f) const {
  constexpr std::size_t kInline = 6;
  Value inline_args[kInline];
  std::vector<Value> heap_args;
  Value* argv = inline_args;
  const std::size_t n = args_.size();
  if (n > kInline) {
    heap_args.resize(n);
    argv = heap_args.data();
  }
  for (std::size_t i = 0; i < n; ++i) {
    argv[i] = args_[i]->eval(f);
    if (argv[i].is_error()) return argv[i];
  }
  Value r;
  bool called = false;
  for (const Overload* o : overloads_) {
    if (o->accepts(argv)) {
      r = o->impl(f, argv);
      called = true;
      break;
    }
  }
  if (!called) r = no_matching_overload(f, argv, n);
  return locate_error(f, r, expr_id());
}

namespace {

// map_lookup_string(), with a snapshot object's fields found where validation recorded
// them, else through the frame's recent lookups (Frame::find_field). The recorded place is
// read inline; the searches, which need registers of their own, are kept out of line.
[[gnu::noinline]] bool search_field(Frame& f, const Value& map, std::string_view key,
                                    Value* out) noexcept {
  if (!map.is_json()) return map_lookup_string(map, key, out);
  return f.find_field(map.doc, map.aux, key, out);
}

inline bool lookup_field(Frame& f, const Value& map, std::string_view key, FieldPosition at,
                         Value* out) noexcept {
  std::uint32_t member;
  if (map.is_json() && json_layout_find(map.doc, map.aux, at, &member)) {
    if (member == kNoTape) return false;
    *out = json_value(map.doc, member);
    return true;
  }
  return search_field(f, map, key, out);
}

}  // namespace

// The common case, a field of a snapshot object found where validation recorded it in a
// document without rejected values, saves no registers and calls nothing: the rest is in
// select().
template <typename Target>
Value BasicSelectNode<Target>::eval(Frame& f) const {
  const Value t = target_.get(f);
  std::uint32_t member;
  if (recorded_field(t, position_, &member) && member != kNoTape) {
    return json_value(t.doc, member);
  }
  return select(f, t);
}

template <typename Target>
Value BasicSelectNode<Target>::select(Frame& f, const Value& t) const {
  if (t.kind == ValueKind::kMap) {
    Value out;
    // A value the schema rejected is an error owned by the document: located here, where a
    // rule read it.
    if (lookup_field(f, t, field_.str(), position_, &out)) return locate_error(f, out, expr_id());
    if (when_absent_) return *when_absent_;
    ErrorData* e = new_error(f, ErrorCode::kNoSuchKey, "field is missing");
    if (e == nullptr) return out_of_memory(f, expr_id());
    e->field = field_;
    e->expr_id = expr_id();
    if (t.is_json()) {
      e->doc = t.doc;
      e->tape_index = t.aux;
    }
    return Value::error_value(e);
  }
  // Optional chaining: `opt.field` is an optional too (after the map case, off its path).
  if (t.kind == ValueKind::kOptional) {
    return locate_error(f, optional_select(f, t, field_), expr_id());
  }
  if (t.is_error()) return locate_error(f, t, expr_id());
  if (t.kind == ValueKind::kNull && t.is_json()) {
    // Selecting through a null object: the data below it is missing.
    return error_about(f, ErrorCode::kNullValue, "value is null", t);
  }
  return error_about(f, ErrorCode::kNoMatchingOverload, "value has no fields", t);
}

// As SelectNode::eval.
template <typename Target>
Value BasicHasNode<Target>::eval(Frame& f) const {
  const Value t = target_.get(f);
  std::uint32_t member;
  if (recorded_field(t, position_, &member)) {
    // A null is absent; a value validation rejected (present, whatever its type) is not
    // in a document without rejected values.
    return Value::boolean(member != kNoTape && json_type(t.doc, member) != 'n');
  }
  return has(f, t);
}

template <typename Target>
Value BasicHasNode<Target>::has(Frame& f, const Value& t) const {
  if (t.kind == ValueKind::kMap) {
    Value out;
    if (!lookup_field(f, t, field_.str(), position_, &out)) return Value::boolean(false);
    if (t.is_json() && out.kind == ValueKind::kNull) return Value::boolean(false);
    return Value::boolean(true);
  }
  if (t.kind == ValueKind::kOptional) return locate_error(f, optional_has(f, t, field_), expr_id());
  if (t.is_error()) return t;
  if (t.kind == ValueKind::kNull && t.is_json()) {
    return error_about(f, ErrorCode::kNullValue, "value is null", t);
  }
  return error_about(f, ErrorCode::kNoMatchingOverload, "has() needs an object or map", t);
}

template class BasicSelectNode<NodeTarget>;
template class BasicSelectNode<SlotTarget>;
template class BasicHasNode<NodeTarget>;
template class BasicHasNode<SlotTarget>;

Value ListNode::eval(Frame& f) const {
  ListData* data = allocate_list(f.arena(), static_cast<std::uint32_t>(items_.size()));
  if (data == nullptr) return out_of_memory(f, expr_id());
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const Value v = items_[i]->eval(f);
    if (v.is_error()) return v;
    data->items[i] = v;
  }
  return Value::list_of(data);
}

Value MapNode::eval(Frame& f) const {
  const auto count = static_cast<std::uint32_t>(keys_.size());
  auto* keys = f.arena().allocate_array<Value>(count == 0 ? 1 : count);
  auto* values = f.arena().allocate_array<Value>(count == 0 ? 1 : count);
  auto* data = static_cast<MapData*>(f.arena().allocate(sizeof(MapData), alignof(MapData)));
  if (keys == nullptr || values == nullptr || data == nullptr) return out_of_memory(f, expr_id());
  std::uint32_t n = 0;  // entries in the map: an empty optional entry adds none
  for (std::uint32_t i = 0; i < count; ++i) {
    const Value k = keys_[i]->eval(f);
    if (k.is_error()) return k;
    if (k.kind != ValueKind::kString && k.kind != ValueKind::kInt && k.kind != ValueKind::kUint &&
        k.kind != ValueKind::kBool) {
      return locate_error(f, make_error(f, ErrorCode::kInvalidArgument, "unsupported map key type"),
                          expr_id());
    }
    Value v = values_[i]->eval(f);
    if (v.is_error()) return v;
    if (!optional_.empty() && optional_[i]) {
      // The check lets a value that is no optional through only for dyn expressions.
      if (v.kind != ValueKind::kOptional) {
        return locate_error(f, no_matching_overload(f, &v, 1), expr_id());
      }
      if (v.inner == nullptr) continue;
      v = *v.inner;
    }
    for (std::uint32_t j = 0; j < n; ++j) {
      if (equal_values(keys[j], k)) {
        return locate_error(
            f, make_error(f, ErrorCode::kInvalidArgument, "repeated key in map literal"),
            expr_id());
      }
    }
    keys[n] = k;
    values[n] = v;
    ++n;
  }
  data->size = n;
  data->reserved = 0;
  data->keys = keys;
  data->values = values;
  return Value::map_of(data);
}

namespace {

[[gnu::noinline]] Value call_budget_error(Frame& f, std::uint32_t expr_id) {
  return locate_error(f, make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded"),
                      expr_id);
}

// Calls `body` with the evaluated arguments `argv`: the remembered result if the same call
// was made before in this evaluation (see Frame::memo_find; not while explaining, as the
// trace records each call's parts), else the body's, with the arguments bound to `slots`.
// N > 0 fixes the count at compile time; N == 0 reads it from `n`.
template <std::size_t N>
inline Value call_body(Frame& f, const Node* body, const Value* argv, const std::uint32_t* slots,
                       std::size_t n) {
  const std::size_t argc = N != 0 ? N : n;
  Value* frame_slots = f.slots();
  if (f.trace != nullptr) {
    for (std::size_t i = 0; i < argc; ++i) frame_slots[slots[i]] = argv[i];
    return body->eval(f);
  }
  std::uint64_t hash = reinterpret_cast<std::uintptr_t>(body) * 0x9E3779B97F4A7C15ULL;
  for (std::size_t i = 0; i < argc; ++i) {
    std::uint64_t w[2];
    std::memcpy(w, &argv[i], sizeof w);
    hash = (hash ^ w[0]) * 0xBF58476D1CE4E5B9ULL;
    hash = (hash ^ w[1]) * 0x94D049BB133111EBULL;
  }
  hash ^= hash >> 29;
  Frame::MemoProbe probe;
  if (const Value* known = f.memo_find(body, argv, argc, hash, &probe)) return *known;
  for (std::size_t i = 0; i < argc; ++i) frame_slots[slots[i]] = argv[i];
  const Value result = body->eval(f);
  f.memo_store(body, argv, argc, hash, probe, result);
  return result;
}

// A call of a function of one parameter, `object` its number: remembered in the frame's
// table of calls on snapshot objects when the argument is one (Frame::object_memo_slot),
// else as call_body (with a copy of `arg`, which the hash table stores after the body has
// run).
inline Value call_body1(Frame& f, const Node* body, const Value& arg, std::uint32_t param,
                        std::uint32_t object) {
  if (Frame::ObjectMemoSlot* slot = f.object_memo_slot(arg, object)) {
    if (f.object_memo_known(*slot)) return slot->result;
    f.slots()[param] = arg;
    const Value result = body->eval(f);
    f.object_memo_store(*slot, result);
    return result;
  }
  const Value argv[1] = {arg};
  return call_body<1>(f, body, argv, &param, 1);
}

}  // namespace

Value FunctionCallNode::eval(Frame& f) const {
  // A call costs a step: functions calling functions twice over (f(x) = g(x) + g(x), ...)
  // would otherwise take exponential time with no comprehension to charge.
  if (!f.charge()) return call_budget_error(f, expr_id());
  // Evaluate every argument before binding any: an argument may call the same function.
  // (The count is read once: the calls in between could, for all the compiler knows,
  // change the vector.)
  constexpr std::size_t kInline = 6;
  const std::size_t argc = args_.size();
  const Node* const* args = args_.data();
  Value inline_args[kInline];
  std::unique_ptr<Value[]> heap_args;
  Value* argv = inline_args;
  if (argc > kInline) {
    heap_args = std::make_unique<Value[]>(argc);
    argv = heap_args.get();
  }
  for (std::size_t i = 0; i < argc; ++i) argv[i] = args[i]->eval(f);
  return call_body<0>(f, body_, argv, slots_.data(), argc);
}

template <std::size_t N>
Value FixedFunctionCallNode<N>::eval(Frame& f) const {
  if (!f.charge()) return call_budget_error(f, expr_id());  // as FunctionCallNode
  Value argv[N];
  for (std::size_t i = 0; i < N; ++i) argv[i] = args_[i]->eval(f);
  if constexpr (N == 1) return call_body1(f, body_, argv[0], slots_[0], object_);
  return call_body<N>(f, body_, argv, slots_, N);
}

Value SlotFunctionCallNode::eval(Frame& f) const {
  if (!f.charge()) return call_budget_error(f, expr_id());  // as FunctionCallNode
  return call_body1(f, body_, f.slots()[arg_], param_, object_);
}

template class FixedFunctionCallNode<1>;
template class FixedFunctionCallNode<2>;
template class FixedFunctionCallNode<3>;

Value RuleRefNode::eval(Frame& f) const {
  const Value v = rule_->eval(f);
  if (!v.is_error()) return v;
  ErrorData* e = new_error(f, ErrorCode::kUndetermined, rule_id_);
  if (e == nullptr) return v;
  e->cause = v.error;
  return Value::error_value(e);
}

Value MatchesNode::eval(Frame& f) const {
  const Value t = text_->eval(f);
  if (t.kind == ValueKind::kString) return Value::boolean(regex_search(*re_, t.str()));
  if (t.is_error()) return t;
  return no_matching_overload(f, &t, 1);
}

}  // namespace safeguard::cel
