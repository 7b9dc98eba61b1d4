// List functions: a subset of the CEL lists extension (distinct, flatten, reverse,
// slice, sort) and safeguard's `latest` / `earliest` (the greatest / least element,
// typically of a list of dates) and `sum` (the total of a list of numbers).
#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

Value budget_error(Frame& f) {
  return make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded");
}

std::vector<Value> elements(const Value& list) {
  std::vector<Value> out;
  out.reserve(list_size(list));
  for_each_element(list, [&](const Value& v) {
    out.push_back(v);
    return true;
  });
  return out;
}

Value first_error(const Value* items, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (items[i].is_error()) return items[i];
  }
  return Value::null();
}

Value first_error(const std::vector<Value>& items) {
  return first_error(items.data(), items.size());
}

// A list's elements, or the distinct ones, in this buffer: facts sort and de-duplicate a
// short list for most raised flags, and up to 16 elements need no allocation.
class SmallValues {
 public:
  SmallValues() = default;
  SmallValues(const SmallValues&) = delete;
  SmallValues& operator=(const SmallValues&) = delete;

  explicit SmallValues(const Value& list) {
    reserve(list_size(list));
    for_each_element(list, [&](const Value& v) {
      push_back(v);
      return true;
    });
  }

  void reserve(std::size_t n) {
    if (n <= kInline) return;
    heap_.reserve(n);
    if (data_ == inline_) heap_.assign(inline_, inline_ + size_);
    data_ = heap_.data();
  }
  void push_back(const Value& v) {
    if (size_ == kInline && data_ == inline_) reserve(2 * kInline);
    if (data_ != inline_) {
      heap_.push_back(v);
      data_ = heap_.data();
    } else {
      inline_[size_] = v;
    }
    ++size_;
  }
  Value* data() { return data_; }
  std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t kInline = 16;
  Value inline_[kInline];
  std::vector<Value> heap_;
  Value* data_ = inline_;
  std::size_t size_ = 0;
};

Value distinct(Frame& f, const Value* a) {
  SmallValues items(a[0]);
  if (Value e = first_error(items.data(), items.size()); e.is_error()) return e;
  const auto n = static_cast<std::int64_t>(items.size());
  if (!f.charge(n * n / 16 + n)) return budget_error(f);
  SmallValues out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value& v = items.data()[i];
    bool seen = false;
    for (std::size_t j = 0; j < out.size(); ++j) {
      const Value& o = out.data()[j];
      const int same = equal_values(f, v, o);
      if (same < 0) return budget_error(f);
      if (same == 1) {
        seen = true;
        break;
      }
    }
    if (!seen) out.push_back(v);
  }
  return make_list(f, out.data(), static_cast<std::uint32_t>(out.size()));
}

Value flatten(Frame& f, const Value* a) {
  std::vector<Value> out;
  bool ok = true;
  for_each_element(a[0], [&](const Value& v) {
    // One step per element copied, inner ones included: flattening a list that shares
    // one inner list many times copies every element each time.
    if (v.kind == ValueKind::kList) {
      for_each_element(v, [&](const Value& inner) {
        ok = f.charge(1);
        if (ok) out.push_back(inner);
        return ok;
      });
    } else {
      ok = f.charge(1);
      if (ok) out.push_back(v);
    }
    return ok;
  });
  if (!ok) return budget_error(f);
  if (Value e = first_error(out); e.is_error()) return e;
  return make_list(f, out.data(), static_cast<std::uint32_t>(out.size()));
}

Value reverse(Frame& f, const Value* a) {
  std::vector<Value> items = elements(a[0]);
  if (Value e = first_error(items); e.is_error()) return e;
  std::reverse(items.begin(), items.end());
  return make_list(f, items.data(), static_cast<std::uint32_t>(items.size()));
}

Value slice(Frame& f, const Value* a) {
  const std::int64_t n = list_size(a[0]);
  const std::int64_t begin = a[1].i;
  const std::int64_t end = a[2].i;
  if (begin < 0 || end < begin || end > n) {
    return make_error(f, ErrorCode::kIndexOutOfRange, "slice index out of range");
  }
  std::vector<Value> items = elements(a[0]);
  if (Value e = first_error(items); e.is_error()) return e;
  return make_list(f, items.data() + begin, static_cast<std::uint32_t>(end - begin));
}

// Sorting needs every pair ordered: one kind (or all numeric).
bool sortable(const Value* items, std::size_t n) {
  for (std::size_t i = 1; i < n; ++i) {
    int c;
    if (!compare(items[0], items[i], &c)) return false;
  }
  return true;
}

// Whether a short list sorts by insertion: every kind but double is totally ordered by
// compare(), so any stable sort gives the same order (NaN is not ordered; doubles go to
// std::stable_sort, whatever order it gives them).
bool insertion_sortable(const Value* items, std::size_t n) {
  if (n > 16) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (items[i].kind == ValueKind::kDouble) return false;
  }
  return true;
}

Value sort(Frame& f, const Value* a) {
  SmallValues list(a[0]);
  Value* items = list.data();
  const std::size_t n = list.size();
  if (Value e = first_error(items, n); e.is_error()) return e;
  if (!sortable(items, n)) {
    return make_error(f, ErrorCode::kNoMatchingOverload,
                      "sort() needs elements of one ordered type");
  }
  if (!f.charge(static_cast<std::int64_t>(n))) return budget_error(f);
  const auto less = [](const Value& x, const Value& y) {
    int c = 0;
    compare(x, y, &c);
    return c < 0;
  };
  if (insertion_sortable(items, n)) {
    // Stable: an element moves only past greater ones.
    for (std::size_t i = 1; i < n; ++i) {
      const Value x = items[i];
      std::size_t j = i;
      for (; j > 0 && less(x, items[j - 1]); --j) items[j] = items[j - 1];
      items[j] = x;
    }
  } else {
    std::stable_sort(items, items + n, less);  // no allocation-free path: long lists, doubles
  }
  return make_list(f, items, static_cast<std::uint32_t>(n));
}

template <bool kGreatest>
Value extreme(Frame& f, const Value* a) {
  Value best = Value::null();
  bool any = false;
  Value failure = Value::null();
  for_each_element(a[0], [&](const Value& v) {
    if (v.is_error()) {
      failure = v;
      return false;
    }
    if (!any) {
      best = v;
      any = true;
      return true;
    }
    int c;
    if (!compare(v, best, &c)) {
      failure = no_matching_overload(f, &v, 1);
      return false;
    }
    if (kGreatest ? c > 0 : c < 0) best = v;
    return true;
  });
  if (failure.is_error()) return failure;
  if (!any) {
    return make_error(f, ErrorCode::kInvalidArgument,
                      kGreatest ? "latest() of an empty list" : "earliest() of an empty list");
  }
  return best;
}

// The total of a list of numbers: ints (overflow is an error), uints, or doubles. A list
// read from JSON without a schema may mix ints and doubles (8 and 8.5): its total is a
// double. An empty list totals a zero of `Zero`, the overload's element type.
template <typename Zero = std::int64_t>
Value sum(Frame& f, const Value* a) {
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;
  bool any_int = false, any_uint = false, any_double = false;
  Value failure = Value::null();
  for_each_element(a[0], [&](const Value& v) {
    bool overflowed = false;
    switch (v.kind) {
      case ValueKind::kInt:
        any_int = true;
        overflowed = __builtin_add_overflow(i, v.i, &i);
        break;
      case ValueKind::kUint:
        any_uint = true;
        overflowed = __builtin_add_overflow(u, v.u, &u);
        break;
      case ValueKind::kDouble:
        any_double = true;
        d += v.d;
        break;
      default:
        failure = v.is_error() ? v : no_matching_overload(f, &v, 1);
        return false;
    }
    if (overflowed) {
      failure = make_error(f, ErrorCode::kOverflow, "integer overflow");
      return false;
    }
    return true;
  });
  if (failure.is_error()) return failure;
  if (any_uint && (any_int || any_double)) return no_matching_overload(f, a, 1);
  if (any_uint) return Value::uinteger(u);
  if (any_double) return Value::real(d + static_cast<double>(i));
  if (!any_int && std::is_same<Zero, double>::value) return Value::real(0);
  if (!any_int && std::is_same<Zero, std::uint64_t>::value) return Value::uinteger(0);
  return Value::integer(i);
}

// is_true and or_else do not propagate errors, so the planner gives them nodes of their
// own; these implementations serve only when the planner is bypassed.
Value is_true_impl(Frame&, const Value* a) {
  return Value::boolean(a[0].kind == ValueKind::kBool && a[0].b);
}
Value or_else_impl(Frame&, const Value* a) {
  return a[0];
}

}  // namespace

void register_lists(FunctionRegistry& r) {
  r.add("is_true", "is_true", "dyn -> bool", is_true_impl);
  r.add("or_else", "or_else", "A, A -> A", or_else_impl);
  r.add_member("list_distinct", "distinct", "list(A) -> list(A)", distinct);
  r.add_member("list_flatten", "flatten", "list(dyn) -> list(dyn)", flatten);
  r.add_member("list_reverse", "reverse", "list(A) -> list(A)", reverse);
  r.add_member("list_slice", "slice", "list(A), int, int -> list(A)", slice);
  r.add_member("list_sort", "sort", "list(A) -> list(A)", sort);
  r.add("latest_list", "latest", "list(A) -> A", extreme<true>);
  r.add("earliest_list", "earliest", "list(A) -> A", extreme<false>);
  r.add_member("list_latest", "latest", "list(A) -> A", extreme<true>);
  r.add_member("list_earliest", "earliest", "list(A) -> A", extreme<false>);
  // One overload per number type, so that an empty list totals a zero of the type the
  // checker gave the call (`hours.sum() + 0.5` on no hours); a list(dyn) takes the first,
  // and the generic one keeps other lists a run-time error as before.
  r.add("sum_list_int", "sum", "list(int) -> int", sum<>);
  r.add_member("list_sum_int", "sum", "list(int) -> int", sum<>);
  r.add("sum_list_double", "sum", "list(double) -> double", sum<double>);
  r.add_member("list_sum_double", "sum", "list(double) -> double", sum<double>);
  r.add("sum_list_uint", "sum", "list(uint) -> uint", sum<std::uint64_t>);
  r.add_member("list_sum_uint", "sum", "list(uint) -> uint", sum<std::uint64_t>);
  r.add("sum_list", "sum", "list(A) -> A", sum<>);
  r.add_member("list_sum", "sum", "list(A) -> A", sum<>);
}

}  // namespace safeguard::cel
