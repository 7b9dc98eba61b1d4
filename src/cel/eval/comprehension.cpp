// The macros: all, exists, exists_one, filter, map, and the fused filter-count.
//
// Error handling follows CEL: `exists` is true if any element makes the predicate true,
// even when others fail; `all` is false if any element makes it false; otherwise an
// error from any element is the result. That is three-valued logic over missing data:
// a rule fires on the evidence it has, and is undetermined only when the missing data
// could have changed the answer.
#include "cel/eval/nodes.hpp"

namespace safeguard::cel {

namespace {

// Located at the macro that ran out, so that a rule's `at` points at the costly loop.
Value budget_error(Frame& f, std::uint32_t expr_id) {
  return locate_error(f, make_error(f, ErrorCode::kBudgetExceeded, "evaluation budget exceeded"),
                      expr_id);
}

Value not_iterable(Frame& f, const Value& range, std::uint32_t expr_id) {
  return locate_error(
      f, error_about(f, ErrorCode::kNoMatchingOverload, "value is not a list or map", range),
      expr_id);
}

// The element at `k` of a JSON list, and in `*next` the index past it. Lists of records are
// the usual range, so an object element in a document without rejected values (none of
// which json_value would have to report) is decoded from its one tape word.
inline Value json_element(const JsonDoc* d, std::uint32_t k, bool clean,
                          std::uint32_t* next) noexcept {
  const std::uint64_t word = d->tape[k];
  if (clean && (word >> 56) == '{') {
    *next = static_cast<std::uint32_t>(word);
    return Value::json_container(ValueKind::kMap, d, k);
  }
  *next = json_after(d, k);
  return json_value(d, k);
}

}  // namespace

// Calls visit(element) for each list element or map key; visit returns false to stop.
// Returns null when the walk completed or stopped, or an error (budget, not iterable).
template <typename Visit>
inline Value ComprehensionNode::iterate(Frame& f, const Value& range, Visit&& visit) const {
  Value* var = &f.slots()[slot_];
  if (range.kind == ValueKind::kList) {
    if (range.is_json()) {
      const JsonDoc* d = range.doc;
      const std::uint32_t end = static_cast<std::uint32_t>(d->tape[range.aux]) - 1;
      const bool clean = d->invalid_count == 0;
      std::uint32_t next;
      for (std::uint32_t k = range.aux + 1; k < end; k = next) {
        if (!f.charge()) return budget_error(f, expr_id());
        *var = json_element(d, k, clean, &next);
        if (!visit(*var)) break;
      }
    } else {
      const ListData* data = range.list;
      for (std::uint32_t k = 0; k < data->size; ++k) {
        if (!f.charge()) return budget_error(f, expr_id());
        *var = data->items[k];
        if (!visit(*var)) break;
      }
    }
    return Value::null();
  }
  if (range.kind == ValueKind::kMap) {
    if (range.is_json()) {
      const JsonDoc* d = range.doc;
      const std::uint32_t end = static_cast<std::uint32_t>(d->tape[range.aux]) - 1;
      for (std::uint32_t k = range.aux + 1; k < end; k = json_after(d, k + 1)) {
        if (!f.charge()) return budget_error(f, expr_id());
        *var = Value::string(json_string_ptr(d, k));
        if (!visit(*var)) break;
      }
    } else {
      const MapData* m = range.map;
      for (std::uint32_t k = 0; k < m->size; ++k) {
        if (!f.charge()) return budget_error(f, expr_id());
        *var = m->keys[k];
        if (!visit(*var)) break;
      }
    }
    return Value::null();
  }
  return not_iterable(f, range, expr_id());
}

template <MacroKind kKind, bool kTruth, bool kConjunction>
Value MacroNode<kKind, kTruth, kConjunction>::eval(Frame& f) const {
  const Value range = range_->eval(f);
  if (range.is_error()) return range;
  if (scope_ != kNoScope) f.marks()[scope_] = f.next_run();
  if constexpr (kKind == MacroKind::kExists || kKind == MacroKind::kAll) {
    constexpr bool want = kKind == MacroKind::kExists;  // the decisive predicate value
    Value error = Value::null();
    bool decided = false;
    const Value status = iterate(f, range, [&](const Value&) {
      const Value p = predicate(f);
      if (p.kind == ValueKind::kBool) {
        if (p.b == want) {
          decided = true;
          return false;
        }
      } else if (!error.is_error()) {
        error =
            p.is_error() ? p : error_about(f, ErrorCode::kNoMatchingOverload, "expected a bool", p);
      }
      return true;
    });
    if (decided) return Value::boolean(want);
    if (status.is_error()) return status;
    if (error.is_error()) return error;
    return Value::boolean(!want);
  } else if constexpr (kKind == MacroKind::kExistsOne) {
    std::int64_t count = 0;
    Value error = Value::null();
    const Value status = iterate(f, range, [&](const Value&) {
      const Value p = predicate(f);
      if (p.kind == ValueKind::kBool) {
        count += p.b ? 1 : 0;
        return true;
      }
      error =
          p.is_error() ? p : error_about(f, ErrorCode::kNoMatchingOverload, "expected a bool", p);
      return false;
    });
    if (status.is_error()) return status;
    if (error.is_error()) return error;
    return Value::boolean(count == 1);
  } else if constexpr (kKind == MacroKind::kFilter || kKind == MacroKind::kMap) {
    const std::uint32_t capacity = range.kind == ValueKind::kList
                                       ? list_size(range)
                                       : (range.kind == ValueKind::kMap ? map_size(range) : 0);
    ListData* out = allocate_list(f.arena(), capacity);
    if (out == nullptr) return out_of_memory(f, expr_id());
    std::uint32_t n = 0;
    Value error = Value::null();
    const Value status = iterate(f, range, [&](const Value& item) {
      if constexpr (kTruth) {
        const Value p = predicate(f);
        if (p.kind != ValueKind::kBool || !p.b) return true;  // is_true() false: skipped
      } else if (kKind == MacroKind::kFilter || predicate_ != nullptr) {
        const Value p = predicate(f);
        if (p.kind != ValueKind::kBool) {
          error = p.is_error()
                      ? p
                      : error_about(f, ErrorCode::kNoMatchingOverload, "expected a bool", p);
          return false;
        }
        if (!p.b) return true;
      }
      if constexpr (kKind == MacroKind::kFilter) {
        if (item.is_error()) {
          error = item;
          return false;
        }
        out->items[n++] = item;
        return true;
      } else {
        const Value t = transform_->eval(f);
        if (t.is_error()) {
          error = t;
          return false;
        }
        out->items[n++] = t;
        return true;
      }
    });
    if (status.is_error()) return status;
    if (error.is_error()) return error;
    out->size = n;
    return Value::list_of(out);
  } else {
    // The two-variable macros are TwoVarComprehensionNodes.
    return make_error(f, ErrorCode::kInternal, "unknown macro");
  }
}

template class MacroNode<MacroKind::kAll>;
template class MacroNode<MacroKind::kExists>;
template class MacroNode<MacroKind::kExistsOne>;
template class MacroNode<MacroKind::kFilter>;
template class MacroNode<MacroKind::kFilter, true>;
template class MacroNode<MacroKind::kMap>;
template class MacroNode<MacroKind::kTransformList>;
template class MacroNode<MacroKind::kAll, false, true>;
template class MacroNode<MacroKind::kExists, false, true>;
template class MacroNode<MacroKind::kFilter, false, true>;
template class MacroNode<MacroKind::kFilter, true, true>;

Value CountNode::eval(Frame& f) const {
  const Value range = range_->eval(f);
  if (range.is_error()) return range;
  if (scope_ != ComprehensionNode::kNoScope) f.marks()[scope_] = f.next_run();
  Value* var = &f.slots()[slot_];
  std::int64_t count = 0;
  auto step = [&](const Value& item) -> Value {
    *var = item;
    const Value p = predicate_->eval(f);
    if (p.kind == ValueKind::kBool) {
      count += p.b ? 1 : 0;
      return Value::null();
    }
    return p.is_error() ? p : error_about(f, ErrorCode::kNoMatchingOverload, "expected a bool", p);
  };
  if (range.kind == ValueKind::kList && range.is_json()) {
    const JsonDoc* d = range.doc;
    const std::uint32_t end = static_cast<std::uint32_t>(d->tape[range.aux]) - 1;
    const bool clean = d->invalid_count == 0;
    std::uint32_t next;
    for (std::uint32_t k = range.aux + 1; k < end; k = next) {
      if (!f.charge()) return budget_error(f, expr_id());
      const Value r = step(json_element(d, k, clean, &next));
      if (r.is_error()) return r;
    }
    return Value::integer(count);
  }
  if (range.kind == ValueKind::kList) {
    const ListData* data = range.list;
    for (std::uint32_t k = 0; k < data->size; ++k) {
      if (!f.charge()) return budget_error(f, expr_id());
      const Value r = step(data->items[k]);
      if (r.is_error()) return r;
    }
    return Value::integer(count);
  }
  if (range.kind == ValueKind::kMap) {
    // Rare: count over map keys through the general path.
    const std::uint32_t n = map_size(range);
    for (std::uint32_t k = 0; k < n; ++k) {
      if (!f.charge()) return budget_error(f, expr_id());
      Value key;
      if (range.is_json()) {
        std::uint32_t at = range.aux + 1;
        for (std::uint32_t s = 0; s < k; ++s) at = json_after(range.doc, at + 1);
        key = Value::string(json_string_ptr(range.doc, at));
      } else {
        key = range.map->keys[k];
      }
      const Value r = step(key);
      if (r.is_error()) return r;
    }
    return Value::integer(count);
  }
  return not_iterable(f, range, expr_id());
}

}  // namespace safeguard::cel
