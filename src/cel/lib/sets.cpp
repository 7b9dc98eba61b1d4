// The CEL sets extension, as cel-go's ext.Sets() defines it: lists read as sets, their
// elements compared with CEL equality (so 1, 1u and 1.0 are the same element, and
// duplicates do not matter).
//
//   sets.contains(list(A), list(A)) -> bool    every element of the second is in the first
//   sets.equivalent(list(A), list(A)) -> bool  each contains the other
//   sets.intersects(list(A), list(A)) -> bool  some element is in both
//
// Each pair of elements compared costs one evaluation step (and comparing containers one
// per element or entry compared, as `==` does), so two long lists cannot run unbounded.
#include <cstdint>
#include <initializer_list>

#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

Value budget_error(Frame& f) {
  return make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
}

// The first element of `list` in error (a snapshot value the schema rejected), which is
// then the result; null when there is none. The lists are walked where they are, never
// copied: a copy of a snapshot list took 16 bytes per element outside the memory budget
// before a single pair was compared.
Value first_error(const Value& list) {
  Value error = Value::null();
  for_each_element(list, [&](const Value& v) {
    if (v.is_error()) error = v;
    return !v.is_error();
  });
  return error;
}

// 1 when `needle` equals an element of `hay`, 0 when not, -1 when the budget ran out.
int find(Frame& f, const Value& hay, const Value& needle) {
  int found = 0;
  for_each_element(hay, [&](const Value& item) {
    found = f.charge(1) ? equal_values(f, item, needle) : -1;
    return found == 0;
  });
  return found;
}

// Whether every element of `sub` is in `set`: 1, 0, or -1 over budget.
int contains_all(Frame& f, const Value& set, const Value& sub) {
  int result = 1;
  for_each_element(sub, [&](const Value& v) {
    result = find(f, set, v);
    return result == 1;
  });
  return result;
}

enum class Op { kContains, kEquivalent, kIntersects };

template <Op kOp>
Value set_op(Frame& f, const Value* a) {
  for (const Value* list : {&a[0], &a[1]}) {
    const Value error = first_error(*list);
    if (error.is_error()) return error;
  }
  int result = 0;
  switch (kOp) {
    case Op::kContains:
      result = contains_all(f, a[0], a[1]);
      break;
    case Op::kEquivalent:
      result = contains_all(f, a[0], a[1]);
      if (result == 1) result = contains_all(f, a[1], a[0]);
      break;
    case Op::kIntersects:
      for_each_element(a[1], [&](const Value& v) {
        result = find(f, a[0], v);
        return result == 0;
      });
      break;
  }
  if (result < 0) return budget_error(f);
  return Value::boolean(result == 1);
}

}  // namespace

void register_sets(FunctionRegistry& r) {
  r.add("list_sets_contains_list", "sets.contains", "list(A), list(A) -> bool",
        set_op<Op::kContains>);
  r.add("list_sets_equivalent_list", "sets.equivalent", "list(A), list(A) -> bool",
        set_op<Op::kEquivalent>);
  r.add("list_sets_intersects_list", "sets.intersects", "list(A), list(A) -> bool",
        set_op<Op::kIntersects>);
}

}  // namespace safeguard::cel
