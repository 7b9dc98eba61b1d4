// The two-variable macros of cel-go's comprehensions extension:
//
//   range.all(i, v, p), range.exists(i, v, p), range.existsOne(i, v, p)
//   range.transformList(i, v, [filter,] t)       -> list of t
//   range.transformMap(k, v, [filter,] t)        -> map from each index or key to t
//   range.transformMapEntry(k, v, [filter,] m)   -> the entries of every map m, merged;
//                                                   a key given twice is an error
//
// Over a list the variables are the index (an int) and the element; over a map, the key
// and the value. Errors are absorbed by all and exists exactly as by the one-variable
// macros (see comprehension.cpp); an error in a filter or transform is the result. Each
// element or entry visited costs one evaluation step, and transformMapEntry one more per
// key compared while merging.
#include <vector>

#include "cel/eval/nodes.hpp"

namespace safeguard::cel {

namespace {

Value budget_error(Frame& f, std::uint32_t expr_id) {
  return locate_error(f, make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded"),
                      expr_id);
}

Value not_iterable(Frame& f, const Value& range, std::uint32_t expr_id) {
  return locate_error(
      f, error_about(f, ErrorCode::kNoMatchingOverload, "value is not a list or map", range),
      expr_id);
}

Value expected_bool(Frame& f, const Value& p) {
  return p.is_error() ? p : error_about(f, ErrorCode::kNoMatchingOverload, "expected a bool", p);
}

// Calls fn(key, value) for each entry of a map value; stops when fn returns false.
template <typename Fn>
void for_each_entry(const Value& map, Fn&& fn) {
  if (map.is_json()) {
    const JsonDoc* d = map.doc;
    const std::uint32_t end = static_cast<std::uint32_t>(d->tape[map.aux]) - 1;
    for (std::uint32_t k = map.aux + 1; k < end; k = json_after(d, k + 1)) {
      if (!fn(Value::string(json_string_ptr(d, k)), json_value(d, k + 1))) return;
    }
    return;
  }
  const MapData* m = map.map;
  for (std::uint32_t k = 0; k < m->size; ++k) {
    if (!fn(m->keys[k], m->values[k])) return;
  }
}

}  // namespace

// Calls visit() with the index or key in slot_ and the element or value in slot_ + 1;
// visit returns false to stop. Null when the walk completed or stopped, else an error.
template <typename Visit>
Value TwoVarComprehensionNode::iterate(Frame& f, const Value& range, Visit&& visit) const {
  Value* first = &f.slots()[slot_];
  Value* second = &f.slots()[slot_ + 1];
  if (range.kind == ValueKind::kList) {
    std::int64_t index = 0;
    bool spent = false;
    for_each_element(range, [&](const Value& item) {
      if (!f.charge()) {
        spent = true;
        return false;
      }
      *first = Value::integer(index++);
      *second = item;
      return visit();
    });
    return spent ? budget_error(f, expr_id()) : Value::null();
  }
  if (range.kind == ValueKind::kMap) {
    bool spent = false;
    for_each_entry(range, [&](const Value& key, const Value& value) {
      if (!f.charge()) {
        spent = true;
        return false;
      }
      *first = key;
      *second = value;
      return visit();
    });
    return spent ? budget_error(f, expr_id()) : Value::null();
  }
  return not_iterable(f, range, expr_id());
}

Value TwoVarComprehensionNode::eval(Frame& f) const {
  const Value range = range_->eval(f);
  if (range.is_error()) return range;
  if (scope_ != ComprehensionNode::kNoScope) f.marks()[scope_] = f.next_run();
  switch (kind_) {
    case MacroKind::kExists:
    case MacroKind::kAll: {
      const bool want = kind_ == MacroKind::kExists;
      Value error = Value::null();
      bool decided = false;
      const Value status = iterate(f, range, [&]() {
        const Value p = predicate_->eval(f);
        if (p.kind == ValueKind::kBool) {
          if (p.b == want) {
            decided = true;
            return false;
          }
        } else if (!error.is_error()) {
          error = expected_bool(f, p);
        }
        return true;
      });
      if (decided) return Value::boolean(want);
      if (status.is_error()) return status;
      if (error.is_error()) return error;
      return Value::boolean(!want);
    }
    case MacroKind::kExistsOne: {
      std::int64_t count = 0;
      Value error = Value::null();
      const Value status = iterate(f, range, [&]() {
        const Value p = predicate_->eval(f);
        if (p.kind != ValueKind::kBool) {
          error = expected_bool(f, p);
          return false;
        }
        count += p.b ? 1 : 0;
        return true;
      });
      if (status.is_error()) return status;
      if (error.is_error()) return error;
      return Value::boolean(count == 1);
    }
    case MacroKind::kTransformList: {
      const std::uint32_t capacity = range.kind == ValueKind::kList
                                         ? list_size(range)
                                         : (range.kind == ValueKind::kMap ? map_size(range) : 0);
      ListData* out = allocate_list(f.arena(), capacity);
      if (out == nullptr) return out_of_memory(f, expr_id());
      std::uint32_t n = 0;
      Value error = Value::null();
      const Value status = iterate(f, range, [&]() {
        Value t;
        const Step step = transformed(f, t);
        if (step == Step::kKeep) out->items[n++] = t;
        if (step == Step::kStop) error = t;
        return step != Step::kStop;
      });
      if (status.is_error()) return status;
      if (error.is_error()) return error;
      out->size = n;
      return Value::list_of(out);
    }
    case MacroKind::kTransformMap:
    case MacroKind::kTransformMapEntry:
      return transform_into_map(f, range);
    case MacroKind::kMap:
    case MacroKind::kFilter:
      break;  // one-variable only
  }
  return make_error(f, ErrorCode::kInternal, "unknown macro");
}

// transformList's and transformMap's step for one element: dropped by the filter (kSkip),
// `value` set to its transform (kKeep), or `value` set to the error that ends the loop
// (kStop): a filter that is not a bool, or a transform that failed.
TwoVarComprehensionNode::Step TwoVarComprehensionNode::transformed(Frame& f, Value& value) const {
  if (predicate_ != nullptr) {
    const Value p = predicate_->eval(f);
    if (p.kind != ValueKind::kBool) {
      value = expected_bool(f, p);
      return Step::kStop;
    }
    if (!p.b) return Step::kSkip;
  }
  value = transform_->eval(f);
  return value.is_error() ? Step::kStop : Step::kKeep;
}

Value TwoVarComprehensionNode::transform_into_map(Frame& f, const Value& range) const {
  std::vector<Value> keys;
  std::vector<Value> values;
  Value error = Value::null();
  const bool entries = kind_ == MacroKind::kTransformMapEntry;
  // transformMap gives at most one entry per element, so, as transformList's list, its
  // arrays come from the arena at once: gathered in vectors beside it first, a long
  // range's keys and values took twice the memory budget before the copy was refused.
  // (transformMapEntry's merging charges a step per key compared, which bounds its own.)
  Value* direct_keys = nullptr;
  Value* direct_values = nullptr;
  std::uint32_t direct = 0;
  if (!entries) {
    const std::uint32_t capacity = range.kind == ValueKind::kList
                                       ? list_size(range)
                                       : (range.kind == ValueKind::kMap ? map_size(range) : 0);
    direct_keys = f.arena().allocate_array<Value>(capacity == 0 ? 1 : capacity);
    direct_values = f.arena().allocate_array<Value>(capacity == 0 ? 1 : capacity);
    if (direct_keys == nullptr || direct_values == nullptr) return out_of_memory(f, expr_id());
  }
  const Value status = iterate(f, range, [&]() {
    Value t;
    const Step step = transformed(f, t);
    if (step == Step::kStop) error = t;
    if (step != Step::kKeep) return step == Step::kSkip;
    if (!entries) {
      // The range's own index or key: never repeated.
      direct_keys[direct] = f.slots()[slot_];
      direct_values[direct++] = t;
      return true;
    }
    if (t.kind != ValueKind::kMap) {
      error = error_about(f, ErrorCode::kNoMatchingOverload,
                          "transformMapEntry() needs a map of entries to add", t);
      return false;
    }
    for_each_entry(t, [&](const Value& key, const Value& value) {
      if (value.is_error()) {
        error = value;
        return false;
      }
      for (const Value& seen : keys) {
        if (!f.charge()) {
          error = budget_error(f, expr_id());
          return false;
        }
        if (equal_values(seen, key)) {
          error = locate_error(f,
                               make_error(f, ErrorCode::kInvalidArgument,
                                          "transformMapEntry() gives the same key twice"),
                               expr_id());
          return false;
        }
      }
      keys.push_back(key);
      values.push_back(value);
      return true;
    });
    return !error.is_error();
  });
  if (status.is_error()) return status;
  if (error.is_error()) return error;
  const auto n = entries ? static_cast<std::uint32_t>(keys.size()) : direct;
  auto* key_items = entries ? f.arena().allocate_array<Value>(n == 0 ? 1 : n) : direct_keys;
  auto* value_items = entries ? f.arena().allocate_array<Value>(n == 0 ? 1 : n) : direct_values;
  auto* data = static_cast<MapData*>(f.arena().allocate(sizeof(MapData), alignof(MapData)));
  if (key_items == nullptr || value_items == nullptr || data == nullptr) {
    return out_of_memory(f, expr_id());
  }
  for (std::uint32_t i = 0; entries && i < n; ++i) {
    key_items[i] = keys[i];
    value_items[i] = values[i];
  }
  data->size = n;
  data->reserved = 0;
  data->keys = key_items;
  data->values = value_items;
  return Value::map_of(data);
}

}  // namespace safeguard::cel
