// Node kinds. Control flow (&&, ||, ?:, comprehensions) lives here; the work of each
// function lives in src/cel/lib/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cel/ast/ast.hpp"
#include "cel/eval/node.hpp"
#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"

namespace re2 {
class RE2;
}

namespace safeguard::cel {

class ConstNode final : public Node {
 public:
  ConstNode(std::uint32_t id, Value v) : Node(id), value_(v) {}
  Value eval(Frame&) const override { return value_; }
  const Value& value() const noexcept { return value_; }

 private:
  Value value_;
};

// Reads a slot: a global variable, a comprehension or bind variable, a parameter.
class SlotNode final : public Node {
 public:
  SlotNode(std::uint32_t id, std::uint32_t slot) : Node(id), slot_(slot) {}
  Value eval(Frame& f) const override { return f.slots()[slot_]; }
  std::uint32_t slot() const noexcept { return slot_; }

 private:
  std::uint32_t slot_;
};

// Evaluates its child once per evaluation and remembers the value: used for
// definitions, rule outcomes and sub-expressions that do not change inside a loop. No node
// is reached again while its child runs: the planner proves it (Planner::finish breaks a
// cycle of definitions, rules and functions with an error), so no busy mark is kept.
class CachedNode final : public Node {
 public:
  CachedNode(std::uint32_t id, std::uint32_t slot, const Node* child)
      : Node(id), slot_(slot), child_(child) {}
  Value eval(Frame& f) const override;
  void set_child(const Node* child) noexcept { child_ = child; }
  std::uint32_t slot() const noexcept { return slot_; }

 private:
  [[gnu::noinline]] Value compute(Frame& f) const;

  std::uint32_t slot_;
  const Node* child_;
};

// Inside a loop, a sub-expression that reads no variable the loop binds (it reads a
// function's parameter, or an enclosing loop's variable) is evaluated once per run of that
// loop and remembered for the run: `add_months(d, -12)` in a filter over contacts, in a
// function of the date d. Each run of the loop puts a new mark in the slot `scope`; the
// value is current when the mark beside it is the same.
class LoopCachedNode final : public Node {
 public:
  LoopCachedNode(std::uint32_t id, std::uint32_t slot, std::uint32_t scope, const Node* child)
      : Node(id), slot_(slot), scope_(scope), child_(child) {}
  Value eval(Frame& f) const override {
    const std::uint64_t* marks = f.marks();
    if (marks[slot_] == marks[scope_]) return f.slots()[slot_];
    return compute(f);
  }

 private:
  [[gnu::noinline]] Value compute(Frame& f) const;

  std::uint32_t slot_;
  std::uint32_t scope_;
  const Node* child_;
};

class AndNode final : public Node {
 public:
  AndNode(std::uint32_t id, const Node* a, const Node* b) : Node(id), a_(a), b_(b) {}
  Value eval(Frame& f) const override;
  const Node* left() const noexcept { return a_; }
  const Node* right() const noexcept { return b_; }

 private:
  const Node* a_;
  const Node* b_;
};

class OrNode final : public Node {
 public:
  OrNode(std::uint32_t id, const Node* a, const Node* b) : Node(id), a_(a), b_(b) {}
  Value eval(Frame& f) const override;
  const Node* left() const noexcept { return a_; }
  const Node* right() const noexcept { return b_; }

 private:
  const Node* a_;
  const Node* b_;
};

// The error for an operand of && or || (or a loop's predicate) that is neither a bool nor
// an error.
Value not_bool_error(Frame& f, const Value& v);

// The value of `op[0] && op[1] && ...` (kAnd; else the same with ||) for the operands up to
// `end` (at least two), exactly as the chain of binary nodes, each link's left the link
// before, gives it: the first decisive operand stops it; else each link's left is true or
// an error, except the first operand, which the first link makes an error when it is
// neither a bool nor an error, after evaluating the second.
template <bool kAnd>
[[gnu::always_inline]] inline Value junction_value(Frame& f, const Node* const* op,
                                                   const Node* const* end) {
  Value acc = (*op)->eval(f);
  if (acc.kind == ValueKind::kBool && acc.b != kAnd) return acc;
  while (++op != end) {
    const Value b = (*op)->eval(f);
    if (b.kind == ValueKind::kBool) {
      if (b.b != kAnd) return b;
      if (acc.kind == ValueKind::kBool) acc = b;
    } else if (acc.kind == ValueKind::kBool) {
      acc = b.is_error() ? b : not_bool_error(f, b);
      continue;
    }
    if (acc.kind != ValueKind::kBool && !acc.is_error()) acc = not_bool_error(f, acc);
  }
  return acc;
}

// `a && b && c ...` (and the same with ||), chained to the left, in one node: the
// planner makes one where an AndNode (OrNode) would have an uncached AndNode (OrNode, or
// this) on its left. The value is junction_value's, without a call per link.
template <bool kAnd>
class JunctionNode final : public Node {
 public:
  JunctionNode(std::uint32_t id, std::vector<const Node*> operands)
      : Node(id), operands_(std::move(operands)) {}
  Value eval(Frame& f) const override {
    return junction_value<kAnd>(f, operands_.data(), operands_.data() + operands_.size());
  }
  const std::vector<const Node*>& operands() const noexcept { return operands_; }

 private:
  std::vector<const Node*> operands_;  // at least three
};

class NotNode final : public Node {
 public:
  NotNode(std::uint32_t id, const Node* a) : Node(id), a_(a) {}
  Value eval(Frame& f) const override;
  const Node* operand() const noexcept { return a_; }

 private:
  const Node* a_;
};

class ConditionalNode final : public Node {
 public:
  ConditionalNode(std::uint32_t id, const Node* c, const Node* a, const Node* b)
      : Node(id), c_(c), a_(a), b_(b) {}
  Value eval(Frame& f) const override;

 private:
  const Node* c_;
  const Node* a_;
  const Node* b_;
};

// A library call: arguments are evaluated left to right, errors propagate, and the
// first overload whose parameter kinds fit the values is called.
class CallNode final : public Node {
 public:
  CallNode(std::uint32_t id, std::vector<const Node*> args, std::vector<const Overload*> overloads,
           std::string function)
      : Node(id),
        args_(std::move(args)),
        overloads_(std::move(overloads)),
        function_(std::move(function)) {}
  Value eval(Frame& f) const override;

 private:
  std::vector<const Node*> args_;
  std::vector<const Overload*> overloads_;
  std::string function_;
};

// A library call with N = 1..3 arguments, which is nearly every call: the arguments stay
// in a fixed array and each overload's parameter kinds are copied into the node, so
// dispatch reads no vectors. Same semantics as CallNode.
template <std::size_t N>
class FixedCallNode final : public Node {
 public:
  FixedCallNode(std::uint32_t id, const std::vector<const Node*>& args,
                const std::vector<const Overload*>& overloads)
      : Node(id) {
    for (std::size_t i = 0; i < N; ++i) args_[i] = args[i];
    for (const Overload* o : overloads) {
      Target t{o->impl, {}};
      for (std::size_t i = 0; i < N; ++i) t.kinds[i] = i < o->kinds.size() ? o->kinds[i] : kAnyKind;
      targets_.push_back(t);
    }
  }
  Value eval(Frame& f) const override {
    Value argv[N];
    for (std::size_t i = 0; i < N; ++i) {
      argv[i] = args_[i]->eval(f);
      if (argv[i].is_error()) return argv[i];
    }
    return dispatch(f, argv);
  }
  // The call with its arguments evaluated (none an error).
  Value dispatch(Frame& f, const Value* argv) const {
    for (const Target& t : targets_) {
      bool fits = true;
      for (std::size_t i = 0; i < N; ++i) {
        fits = fits &&
               (t.kinds[i] == kAnyKind || t.kinds[i] == static_cast<std::uint8_t>(argv[i].kind));
      }
      if (fits) {
        const Value r = t.impl(f, argv);
        return r.is_error() ? locate_error(f, r, expr_id()) : r;
      }
    }
    return locate_error(f, no_matching_overload(f, argv, N), expr_id());
  }

 private:
  struct Target {
    FunctionImpl impl;
    std::uint8_t kinds[N];
  };
  const Node* args_[N];
  std::vector<Target> targets_;
};

// A binary operator call the planner fused (RelationNode, InListNode, EqualityNode): the
// node handles the common pairs of kinds itself and hands any other pair to `call`'s
// dispatch, so the value (or error) is always the one `call` gives.
class FusedBinaryNode : public Node {
 public:
  // The call it stands for (tests evaluate both and compare).
  const FixedCallNode<2>* call() const noexcept { return call_; }

 protected:
  FusedBinaryNode(std::uint32_t id, const Node* a, const Node* b, const FixedCallNode<2>* call)
      : Node(id), a_(a), b_(b), call_(call) {}
  // Evaluates a into argv[0] and, unless it is an error, b into argv[1]; gives the first
  // error, as the call does, or nullptr.
  const Value* operands(Frame& f, Value* argv) const {
    argv[0] = a_->eval(f);
    if (argv[0].is_error()) return &argv[0];
    argv[1] = b_->eval(f);
    return argv[1].is_error() ? &argv[1] : nullptr;
  }

  const Node* a_;
  const Node* b_;
  const FixedCallNode<2>* call_;
};

// `a < b`, `a <= b`, `a > b` or `a >= b` (kOp 0 to 3) where the operator orders two dates,
// or two ints, by the plain ordering overload: such pairs, most comparisons in rules, are
// ordered here; any other pair goes to `call`'s dispatch with the arguments already
// evaluated, so the value (or error) is the one `call` would give.
template <int kOp>
class RelationNode final : public FusedBinaryNode {
 public:
  RelationNode(std::uint32_t id, const Node* a, const Node* b, const FixedCallNode<2>* call,
               bool dates, bool ints)
      : FusedBinaryNode(id, a, b, call), dates_(dates), ints_(ints) {}
  Value eval(Frame& f) const override {
    Value argv[2];
    if (const Value* error = operands(f, argv)) return *error;
    const ValueKind kind = argv[0].kind;
    if (kind == argv[1].kind &&
        ((kind == ValueKind::kDate && dates_) || (kind == ValueKind::kInt && ints_))) {
      const std::int64_t x = argv[0].i;
      const std::int64_t y = argv[1].i;
      return Value::boolean(kOp == 0 ? x < y : kOp == 1 ? x <= y : kOp == 2 ? x > y : x >= y);
    }
    return call_->dispatch(f, argv);
  }

 private:
  bool dates_;  // two dates go to the plain ordering
  bool ints_;   // two ints too
};

// `x in list` where the operator takes a text and a list by the plain membership overload
// (in_list in operators.cpp): such pairs, most `in` tests in rules, are tested here, without
// the dispatch (and without evaluating a constant list: `params.codes`, literals); any other
// pair goes to `call`'s dispatch with the arguments already evaluated, so the value (or
// error, located at the call) is the one `call` gives.
class InListNode final : public FusedBinaryNode {
 public:
  InListNode(std::uint32_t id, const Node* a, const Node* b, const FixedCallNode<2>* call)
      : FusedBinaryNode(id, a, b, call) {
    if (const auto* c = dynamic_cast<const ConstNode*>(b)) {
      constant_ = c->value();
      constant_list_ = true;
    }
  }
  Value eval(Frame& f) const override {
    Value argv[2];
    argv[0] = a_->eval(f);
    if (argv[0].is_error()) return argv[0];
    if (constant_list_) {
      argv[1] = constant_;
    } else {
      argv[1] = b_->eval(f);
      if (argv[1].is_error()) return argv[1];
    }
    if (argv[0].kind == ValueKind::kString && argv[1].kind == ValueKind::kList) {
      const Value r = argv[1].is_json() ? in_json_list_string(f, argv[0], argv[1])
                                        : in_built_list_string(f, argv[0], argv[1]);
      return r.is_error() ? locate_error(f, r, call_->expr_id()) : r;
    }
    return call_->dispatch(f, argv);
  }

 private:
  Value constant_;  // b's value when b is a constant
  bool constant_list_ = false;
};

// `size(x)` or `x.size()` where the call takes a list by the plain list size overload
// (size_list, list_size in operators.cpp): a list's size is read here, without the
// dispatch; any other value goes to `call`'s dispatch, so the value (or error) is the one
// `call` gives.
class ListSizeNode final : public Node {
 public:
  ListSizeNode(std::uint32_t id, const Node* x, const FixedCallNode<1>* call)
      : Node(id), x_(x), call_(call) {}
  Value eval(Frame& f) const override {
    const Value v = x_->eval(f);
    if (v.is_error()) return v;
    if (v.kind == ValueKind::kList) return Value::integer(list_size(v));
    return call_->dispatch(f, &v);
  }
  // The call it stands for (tests evaluate both and compare).
  const FixedCallNode<1>* call() const noexcept { return call_; }

 private:
  const Node* x_;
  const FixedCallNode<1>* call_;
};

// `a == b` or `a != b` (kNot) where the operator is plain equality (equals() in ops.cpp):
// two texts, two ints, two dates or two bools, most equality tests in rules, are compared
// here; any other pair goes to `call`'s dispatch with the arguments already evaluated, so
// the value (or error) is the one `call` gives.
template <bool kNot>
class EqualityNode final : public FusedBinaryNode {
 public:
  EqualityNode(std::uint32_t id, const Node* a, const Node* b, const FixedCallNode<2>* call)
      : FusedBinaryNode(id, a, b, call) {}
  Value eval(Frame& f) const override {
    Value argv[2];
    if (const Value* error = operands(f, argv)) return *error;
    if (argv[0].kind == argv[1].kind) {
      switch (argv[0].kind) {
        case ValueKind::kString:
          return Value::boolean((argv[0].str() == argv[1].str()) != kNot);
        case ValueKind::kInt:
        case ValueKind::kDate:
          return Value::boolean((argv[0].i == argv[1].i) != kNot);
        case ValueKind::kBool:
          return Value::boolean((argv[0].b == argv[1].b) != kNot);
        default:
          break;
      }
    }
    return call_->dispatch(f, argv);
  }
};

// `x == null` or `x != null` (kNot) with x the one argument not a constant null, where the
// operator is plain equality: x equals null exactly when x is null (equals() in ops.cpp:
// values of different kinds are unequal, and no container is compared element by element
// with null), so the value is worked out here; an error of x is the result, as in any call.
template <bool kNot>
class NullTestNode final : public Node {
 public:
  NullTestNode(std::uint32_t id, const Node* x) : Node(id), x_(x) {}
  Value eval(Frame& f) const override {
    const Value v = x_->eval(f);
    if (v.is_error()) return v;
    return Value::boolean((v.kind == ValueKind::kNull) != kNot);
  }
  const Node* operand() const noexcept { return x_; }

 private:
  const Node* x_;
};

// Where a field read or has() finds its object: by evaluating a node, or in a slot, for
// `c.x` with c a variable (most reads of the shipped pack: a loop over records).
struct NodeTarget {
  const Node* node;
  Value get(Frame& f) const { return node->eval(f); }
};
struct SlotTarget {
  std::uint32_t slot;
  Value get(Frame& f) const { return f.slots()[slot]; }
};

// Where validation recorded the field at `at` of `t`, a snapshot object in a document
// without rejected values: true, with the member's tape index (kNoTape when the object
// lacks the field). False for anything else (not a snapshot object, rejected values in the
// document, no recorded layout): the caller then reads the field the ordinary way.
inline bool recorded_field(const Value& t, FieldPosition at, std::uint32_t* member) noexcept {
  return t.kind == ValueKind::kMap && t.is_json() && t.doc->invalid_count == 0 &&
         json_layout_find(t.doc, t.aux, at, member);
}

// `target.field` with a literal field name.
template <typename Target>
class BasicSelectNode final : public Node {
 public:
  // `field` is a program-owned length-prefixed string value; `position` says where schema
  // validation records it, if it does; `when_absent` (the schema's default for the field,
  // program-owned) is read when an object lacks the field.
  BasicSelectNode(std::uint32_t id, Target target, Value field, FieldPosition position = {},
                  std::optional<Value> when_absent = std::nullopt)
      : Node(id), target_(target), field_(field), position_(position), when_absent_(when_absent) {}
  Value eval(Frame& f) const override;
  const Target& target() const noexcept { return target_; }
  FieldPosition position() const noexcept { return position_; }
  const Value& field() const noexcept { return field_; }

 private:
  [[gnu::noinline]] Value select(Frame& f, const Value& t) const;

  Target target_;
  Value field_;
  FieldPosition position_;
  std::optional<Value> when_absent_;
};
using SelectNode = BasicSelectNode<NodeTarget>;
using SlotSelectNode = BasicSelectNode<SlotTarget>;

// `c.x.y` (kHas false) or `has(c.x.y)` (kHas true), c a variable and both fields recorded by
// validation (`c.decision.outcome`): where c's object is recorded in a document without
// rejected values and its field x is an object whose layout for y is recorded too, the
// value (or has()'s answer) is read from the two layouts, without the inner select's node
// and the value it returns; anything else (x absent, null or not an object, y absent for a
// select, no layout) is left to `whole`, the select or has() node the planner made for it.
template <bool kHas>
class FieldPathNode final : public Node {
 public:
  FieldPathNode(std::uint32_t id, std::uint32_t slot, FieldPosition first, FieldPosition second,
                const Node* whole)
      : Node(id), slot_(slot), first_(first), second_(second), whole_(whole) {}
  Value eval(Frame& f) const override {
    const Value t = f.slots()[slot_];
    std::uint32_t object;
    std::uint32_t member;
    // As the inner select: x's value is the object at `object`, of the same clean document.
    if (recorded_field(t, first_, &object) && object != kNoTape &&
        json_type(t.doc, object) == '{' && json_layout_find(t.doc, object, second_, &member)) {
      if constexpr (kHas) {
        return Value::boolean(member != kNoTape && json_type(t.doc, member) != 'n');
      } else {
        if (member != kNoTape) return json_value(t.doc, member);
      }
    }
    return whole_->eval(f);
  }

 private:
  std::uint32_t slot_;
  FieldPosition first_;
  FieldPosition second_;
  const Node* whole_;
};

// `date(c.x)` with c a variable, where date() of a text converts it with date(string): the
// pack's commonest call (a record's date, read once per rule and per date a level is asked
// about). A text this evaluation has already converted (Frame::date_find, by its address)
// is remembered, and a text schema validation found to be a date (kCheckedDate) is read
// without checking it again and remembered the same way (the day is what date(string)
// gives and remembers, so a later date() of the text, by either way, finds it: about 40
// reads per case of the shipped pack, most of them of texts read before): either is
// answered from the field's recorded place, without the field read and the call; anything
// else (an absent, null or rejected field, a value of another kind, no recorded layout, a
// document with rejected values) goes through `call`, the ordinary node for the same
// expression, so the value is the same either way.
class DateFieldNode final : public Node {
 public:
  DateFieldNode(std::uint32_t id, std::uint32_t slot, FieldPosition position, const Node* call)
      : Node(id), slot_(slot), position_(position), call_(call) {}
  std::uint32_t slot() const noexcept { return slot_; }
  FieldPosition position() const noexcept { return position_; }
  Value eval(Frame& f) const override {
    const Value t = f.slots()[slot_];
    std::uint32_t member;
    std::int64_t day;
    if (recorded_field(t, position_, &member) && member != kNoTape) {
      // layout_at is there: json_layout_find read it.
      if (t.doc->layout_at[member] == kCheckedDate) {
        const char* text = json_string_ptr(t.doc, member);
        if (f.date_find(text, &day)) return Value::date(day);
        day = json_checked_date_days(text);
        f.date_store(text, day);
        return Value::date(day);
      }
      if (json_type(t.doc, member) == '"' && f.date_find(json_string_ptr(t.doc, member), &day)) {
        return Value::date(day);
      }
    }
    return call_->eval(f);
  }

 private:
  std::uint32_t slot_;
  FieldPosition position_;
  const Node* call_;
};

// `date(c.x) == date(c.x)`, the same field on both sides (DateFieldNodes of one slot and
// position): the rule packs' "the date can be read". Both sides read the same value (nothing
// between them changes the variable or the field), so a date equals itself and the result
// is true; an error of the first side is the result, as in the equality; any other value
// (none that date() gives) is left to `whole`, the EqualityNode.
class DateReadsNode final : public Node {
 public:
  DateReadsNode(std::uint32_t id, const Node* date, const Node* whole)
      : Node(id), date_(date), whole_(whole) {}
  Value eval(Frame& f) const override {
    const Value v = date_->eval(f);
    if (v.kind == ValueKind::kDate) return Value::boolean(true);
    if (v.is_error()) return v;
    return whole_->eval(f);
  }

 private:
  const Node* date_;
  const Node* whole_;
};

// has(target.field). On snapshot objects a field that is null counts as absent (the
// snapshot contract: "may be absent or null"); on other maps, presence of the key.
template <typename Target>
class BasicHasNode final : public Node {
 public:
  BasicHasNode(std::uint32_t id, Target target, Value field, FieldPosition position = {})
      : Node(id), target_(target), field_(field), position_(position) {}
  Value eval(Frame& f) const override;
  const Target& target() const noexcept { return target_; }
  const Value& field() const noexcept { return field_; }
  FieldPosition position() const noexcept { return position_; }

 private:
  [[gnu::noinline]] Value has(Frame& f, const Value& t) const;

  Target target_;
  Value field_;
  FieldPosition position_;
};
using HasNode = BasicHasNode<NodeTarget>;
using SlotHasNode = BasicHasNode<SlotTarget>;

// `has(c.x) && c.x != null` (or, kAbsent, `!has(c.x) || c.x == null`), c a variable: the
// rule packs' test that a field holds a value. Where validation recorded c's object, the
// field is present and not null exactly when has() is true, and then its value is not null
// either, so the value is has()'s (or its negation) and the field is read once; anything
// else is left to `whole`, the && (||) node the planner made.
template <bool kAbsent>
class PresenceNode final : public Node {
 public:
  PresenceNode(std::uint32_t id, std::uint32_t slot, FieldPosition position, const Node* whole)
      : Node(id), slot_(slot), position_(position), whole_(whole) {}
  std::uint32_t slot() const noexcept { return slot_; }
  FieldPosition position() const noexcept { return position_; }
  Value eval(Frame& f) const override {
    const Value t = f.slots()[slot_];
    std::uint32_t member;
    if (recorded_field(t, position_, &member)) {
      const bool present = member != kNoTape && json_type(t.doc, member) != 'n';
      return Value::boolean(present != kAbsent);
    }
    return whole_->eval(f);
  }

 private:
  std::uint32_t slot_;
  FieldPosition position_;
  const Node* whole_;
};

// `has(c.x) ? c.x : other` or `has(c.x) && c.x != null ? c.x : other`, c a variable and
// the same recorded field throughout: the rule packs' "the list, or none". Where validation
// recorded c's object in a document without rejected values, the field's value when it is
// present and not null (what the select would read), else `other`'s; anything else is left
// to `whole`, the ?: node the planner made.
class FieldOrNode final : public Node {
 public:
  FieldOrNode(std::uint32_t id, std::uint32_t slot, FieldPosition position, const Node* other,
              const Node* whole)
      : Node(id), slot_(slot), position_(position), other_(other), whole_(whole) {}
  Value eval(Frame& f) const override {
    const Value t = f.slots()[slot_];
    std::uint32_t member;
    if (recorded_field(t, position_, &member)) {
      if (member != kNoTape && json_type(t.doc, member) != 'n') return json_value(t.doc, member);
      return other_->eval(f);
    }
    return whole_->eval(f);
  }

 private:
  std::uint32_t slot_;
  FieldPosition position_;
  const Node* other_;
  const Node* whole_;
};

class ListNode final : public Node {
 public:
  ListNode(std::uint32_t id, std::vector<const Node*> items) : Node(id), items_(std::move(items)) {}
  Value eval(Frame& f) const override;

 private:
  std::vector<const Node*> items_;
};

// `{k: v, ...}`. With cel-go's optional syntax `{?k: o}`, `optional` marks the entries whose
// value is an optional, in the map only when that has a value (empty: no such entry).
class MapNode final : public Node {
 public:
  MapNode(std::uint32_t id, std::vector<const Node*> keys, std::vector<const Node*> values,
          std::vector<bool> optional = {})
      : Node(id),
        keys_(std::move(keys)),
        values_(std::move(values)),
        optional_(std::move(optional)) {}
  Value eval(Frame& f) const override;

 private:
  std::vector<const Node*> keys_;
  std::vector<const Node*> values_;
  std::vector<bool> optional_;
};

// The macros. `slot` holds the iteration variable. The planner makes a MacroNode for
// the macro (below), so that each macro's loop is compiled for it alone.
class ComprehensionNode : public Node {
 public:
  // `scope`: the slot that marks each run for the LoopCachedNodes of this loop, or
  // kNoScope when it has none.
  static constexpr std::uint32_t kNoScope = 0xFFFFFFFFu;
  ComprehensionNode(std::uint32_t id, MacroKind kind, const Node* range, std::uint32_t slot,
                    const Node* predicate, const Node* transform, std::uint32_t scope = kNoScope)
      : Node(id),
        kind_(kind),
        range_(range),
        slot_(slot),
        scope_(scope),
        predicate_(predicate),
        transform_(transform) {}
  MacroKind kind() const noexcept { return kind_; }
  const Node* range() const noexcept { return range_; }
  std::uint32_t slot() const noexcept { return slot_; }
  std::uint32_t scope() const noexcept { return scope_; }
  const Node* predicate() const noexcept { return predicate_; }

 protected:
  // Inlined into each MacroNode's eval: a call per run costs more than the loop it runs.
  template <typename Visit>
  [[gnu::always_inline]] inline Value iterate(Frame& f, const Value& range, Visit&& visit) const;

  MacroKind kind_;
  const Node* range_;
  std::uint32_t slot_;
  std::uint32_t scope_;
  const Node* predicate_;  // all/exists/exists_one/filter, and 3-argument map
  const Node* transform_;  // map
};

// A one-variable macro: all, exists, exists_one, filter or map (kKind, which is the node's
// kind(); the two-variable kinds give an internal error). Each is its own class: the per-macro
// tests of one general loop cost each run and each element a few instructions, and most runs visit
// only one or two elements.
//
// With kTruth (a filter only), the predicate is p of `range.filter(x, is_true(p))`, the rule
// packs' "the items known to match": is_true()'s test is made in the loop, without its node.
// With kConjunction (all, exists, filter), the predicate is `a && b && ...`, evaluated in
// the loop from its operands (`conjuncts`, at least two) without its node: the value is the
// AndNode's or JunctionNode's (junction_value).
template <MacroKind kKind, bool kTruth = false, bool kConjunction = false>
class MacroNode final : public ComprehensionNode {
 public:
  MacroNode(std::uint32_t id, const Node* range, std::uint32_t slot, const Node* predicate,
            const Node* transform, std::uint32_t scope = kNoScope,
            std::vector<const Node*> conjuncts = {})
      : ComprehensionNode(id, kKind, range, slot, predicate, transform, scope),
        conjuncts_(std::move(conjuncts)) {}
  Value eval(Frame& f) const override;

 private:
  [[gnu::always_inline]] Value predicate(Frame& f) const {
    if constexpr (kConjunction) {
      return junction_value<true>(f, conjuncts_.data(), conjuncts_.data() + conjuncts_.size());
    } else {
      return predicate_->eval(f);
    }
  }

  std::vector<const Node*> conjuncts_;  // with kConjunction: the predicate's operands
};
using TruthFilterNode = MacroNode<MacroKind::kFilter, true>;

// The two-variable macros (cel-go's comprehensions extension): all, exists and
// exists_one as above, and transformList, transformMap and transformMapEntry. `slot` holds
// the index (a list's) or key (a map's), `slot + 1` the element or value. Kept apart from
// ComprehensionNode so that the one-variable macros, the shipped pack's hot path, stay as
// they are.
class TwoVarComprehensionNode final : public Node {
 public:
  TwoVarComprehensionNode(std::uint32_t id, MacroKind kind, const Node* range, std::uint32_t slot,
                          const Node* predicate, const Node* transform, std::uint32_t scope)
      : Node(id),
        kind_(kind),
        range_(range),
        slot_(slot),
        scope_(scope),
        predicate_(predicate),
        transform_(transform) {}
  Value eval(Frame& f) const override;

 private:
  template <typename Visit>
  Value iterate(Frame& f, const Value& range, Visit&& visit) const;
  enum class Step : std::uint8_t { kSkip, kKeep, kStop };
  Step transformed(Frame& f, Value& value) const;
  Value transform_into_map(Frame& f, const Value& range) const;

  MacroKind kind_;
  const Node* range_;
  std::uint32_t slot_;
  std::uint32_t scope_;
  const Node* predicate_;  // all/exists/exists_one, and the filter of a transform
  const Node* transform_;  // the transforms
};

// `range.filter(x, p).size()` without building the filtered list.
class CountNode final : public Node {
 public:
  CountNode(std::uint32_t id, const Node* range, std::uint32_t slot, const Node* predicate,
            std::uint32_t scope = ComprehensionNode::kNoScope)
      : Node(id), range_(range), slot_(slot), scope_(scope), predicate_(predicate) {}
  Value eval(Frame& f) const override;

 private:
  const Node* range_;
  std::uint32_t slot_;
  std::uint32_t scope_;
  const Node* predicate_;
};

class BindNode final : public Node {
 public:
  BindNode(std::uint32_t id, std::uint32_t slot, const Node* init, const Node* body)
      : Node(id), slot_(slot), init_(init), body_(body) {}
  Value eval(Frame& f) const override {
    f.slots()[slot_] = init_->eval(f);
    return body_->eval(f);
  }

 private:
  std::uint32_t slot_;
  const Node* init_;
  const Node* body_;
};

// A call to a function written in CEL: arguments go into the instance's parameter slots.
// Calls with 1 to 3 arguments, nearly all, are FixedFunctionCallNodes.
class FunctionCallNode final : public Node {
 public:
  FunctionCallNode(std::uint32_t id, std::vector<const Node*> args,
                   std::vector<std::uint32_t> slots, const Node* body)
      : Node(id), args_(std::move(args)), slots_(std::move(slots)), body_(body) {}
  Value eval(Frame& f) const override;

 private:
  std::vector<const Node*> args_;
  std::vector<std::uint32_t> slots_;
  const Node* body_;
};

// The same for N = 1..3 arguments, kept in fixed arrays: the argument count is known when
// compiling the node, so the loops over arguments, their hash and their comparison with a
// remembered call unroll. The fixed cost of a call (about 140 instructions with the memo)
// was a tenth of an evaluation of the shipped pack.
template <std::size_t N>
class FixedFunctionCallNode final : public Node {
 public:
  // `object`: with one argument, the function's number for Frame::object_memo_slot.
  FixedFunctionCallNode(std::uint32_t id, const std::vector<const Node*>& args,
                        const std::vector<std::uint32_t>& slots, const Node* body,
                        std::uint32_t object = 0)
      : Node(id), body_(body), object_(object) {
    for (std::size_t i = 0; i < N; ++i) {
      args_[i] = args[i];
      slots_[i] = slots[i];
    }
  }
  Value eval(Frame& f) const override;

 private:
  const Node* args_[N];
  std::uint32_t slots_[N];
  const Node* body_;
  std::uint32_t object_;
};

// The same for a call whose one argument is a variable (`lv_dated(c)` in a loop over
// contacts: most calls of the shipped pack): the argument is read from its slot, so a
// remembered call makes no call at all.
class SlotFunctionCallNode final : public Node {
 public:
  SlotFunctionCallNode(std::uint32_t id, std::uint32_t arg, std::uint32_t param, const Node* body,
                       std::uint32_t object = 0)
      : Node(id), arg_(arg), param_(param), object_(object), body_(body) {}
  Value eval(Frame& f) const override;

 private:
  std::uint32_t arg_;
  std::uint32_t param_;
  std::uint32_t object_;  // the function's number for Frame::object_memo_slot
  const Node* body_;
};

// `raised("rule")`: the outcome of another rule, with an undetermined rule's error
// wrapped so the dependent rule can say which rule (and which field) it waited on.
class RuleRefNode final : public Node {
 public:
  RuleRefNode(std::uint32_t id, const Node* rule, const char* rule_id)
      : Node(id), rule_(rule), rule_id_(rule_id) {}
  Value eval(Frame& f) const override;
  void set_rule(const Node* rule) noexcept { rule_ = rule; }

 private:
  const Node* rule_;
  const char* rule_id_;
};

// `text.matches("constant pattern")` with the pattern compiled once.
class MatchesNode final : public Node {
 public:
  MatchesNode(std::uint32_t id, const Node* text, std::shared_ptr<const re2::RE2> re)
      : Node(id), text_(text), re_(std::move(re)) {}
  Value eval(Frame& f) const override;

 private:
  const Node* text_;
  std::shared_ptr<const re2::RE2> re_;
};

// is_true(x): true when x is true; false when x is false or cannot be decided. Meant for
// facts and messages ("list the contacts that are certainly overdue"), never for rule
// conditions, where it would read missing data as "no" (the loader warns).
class IsTrueNode final : public Node {
 public:
  IsTrueNode(std::uint32_t id, const Node* a) : Node(id), a_(a) {}
  Value eval(Frame& f) const override {
    const Value v = a_->eval(f);
    return Value::boolean(v.kind == ValueKind::kBool && v.b);
  }
  const Node* operand() const noexcept { return a_; }

 private:
  const Node* a_;
};

// `!is_true(x)`: false when x is true; true when x is false or cannot be decided (the
// rule packs' "not known to hold"). The value of `!` over is_true(), in one node.
class NotTrueNode final : public Node {
 public:
  NotTrueNode(std::uint32_t id, const Node* a) : Node(id), a_(a) {}
  Value eval(Frame& f) const override {
    const Value v = a_->eval(f);
    return Value::boolean(!(v.kind == ValueKind::kBool && v.b));
  }

 private:
  const Node* a_;
};

// or_else(x, fallback): x, or fallback when x is an error or null (absent data: JSON null
// means "not recorded" in snapshots, like a missing field).
class OrElseNode final : public Node {
 public:
  OrElseNode(std::uint32_t id, const Node* a, const Node* b) : Node(id), a_(a), b_(b) {}
  Value eval(Frame& f) const override {
    const Value v = a_->eval(f);
    return (v.is_error() || v.kind == ValueKind::kNull) ? b_->eval(f) : v;
  }

 private:
  const Node* a_;
  const Node* b_;
};

// An error fixed at compile time (an unresolved name in unchecked mode).
class ErrorNode final : public Node {
 public:
  ErrorNode(std::uint32_t id, ErrorCode code, const char* message)
      : Node(id), code_(code), message_(message) {}
  Value eval(Frame& f) const override {
    return locate_error(f, make_error(f, code_, message_), expr_id());
  }

 private:
  ErrorCode code_;
  const char* message_;
};

// Records its child's value for explain, when the frame has a trace.
class TracedNode final : public Node {
 public:
  TracedNode(std::uint32_t id, const Node* child) : Node(id), child_(child) {}
  Value eval(Frame& f) const override {
    Value v = child_->eval(f);
    if (f.trace != nullptr) f.trace->record(expr_id(), v);
    return v;
  }

 private:
  const Node* child_;
};

}  // namespace safeguard::cel
