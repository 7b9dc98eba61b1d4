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
#include <vector>

#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

Value budget_error(Frame& f) {
  return make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
}

// The elements of a list, or the first element in error (a snapshot value the schema
// rejected), which is then the result.
bool gather(const Value& list, std::vector<Value>& out, Value& error) {
  out.reserve(list_size(list));
  return for_each_element(list, [&](const Value& v) {
    if (v.is_error()) {
      error = v;
      return false;
    }
    out.push_back(v);
    return true;
  });
}

// 1 when `needle` equals an element of `hay`, 0 when not, -1 when the budget ran out.
int find(Frame& f, const std::vector<Value>& hay, const Value& needle) {
  for (const Value& item : hay) {
    if (!f.charge(1)) return -1;
    const int same = equal_values(f, item, needle);
    if (same != 0) return same;
  }
  return 0;
}

// Whether every element of `sub` is in `set`: 1, 0, or -1 over budget.
int contains_all(Frame& f, const std::vector<Value>& set, const std::vector<Value>& sub) {
  for (const Value& v : sub) {
    const int found = find(f, set, v);
    if (found != 1) return found;
  }
  return 1;
}

enum class Op { kContains, kEquivalent, kIntersects };

template <Op kOp>
Value set_op(Frame& f, const Value* a) {
  std::vector<Value> first;
  std::vector<Value> second;
  Value error = Value::null();
  if (!gather(a[0], first, error) || !gather(a[1], second, error)) return error;
  int result = 0;
  switch (kOp) {
    case Op::kContains:
      result = contains_all(f, first, second);
      break;
    case Op::kEquivalent:
      result = contains_all(f, first, second);
      if (result == 1) result = contains_all(f, second, first);
      break;
    case Op::kIntersects:
      for (const Value& v : second) {
        result = find(f, first, v);
        if (result != 0) break;
      }
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
