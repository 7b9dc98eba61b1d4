#include "cel/eval/optional_nodes.hpp"

#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

// An optional entry or receiver that is no optional: the check lets that through only for
// dyn (or unchecked) expressions.
Value not_optional(Frame& f, const Value& v, std::uint32_t expr_id) {
  return locate_error(f, no_matching_overload(f, &v, 1), expr_id);
}

}  // namespace

Value OptionalListNode::eval(Frame& f) const {
  ListData* data = allocate_list(f.arena(), static_cast<std::uint32_t>(items_.size()));
  if (data == nullptr) return out_of_memory(f, expr_id());
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const Value v = items_[i]->eval(f);
    if (v.is_error()) return v;
    if (!optional_[i]) {
      data->items[n++] = v;
    } else if (v.kind != ValueKind::kOptional) {
      return not_optional(f, v, expr_id());
    } else if (v.inner != nullptr) {
      data->items[n++] = *v.inner;
    }
  }
  data->size = n;
  return Value::list_of(data);
}

template <bool kValue>
Value OptionalOrNode<kValue>::eval(Frame& f) const {
  const Value a = a_->eval(f);
  if (a.is_error()) return a;
  if (a.kind != ValueKind::kOptional) return not_optional(f, a, expr_id());
  if (a.inner != nullptr) return kValue ? *a.inner : a;
  const Value b = b_->eval(f);
  if (kValue || b.is_error() || b.kind == ValueKind::kOptional) return b;
  return not_optional(f, b, expr_id());
}

template <bool kFlat>
Value OptionalMapApplyNode<kFlat>::eval(Frame& f) const {
  const Value t = target_->eval(f);
  if (t.is_error()) return t;
  if (t.kind != ValueKind::kOptional) return not_optional(f, t, expr_id());
  if (t.inner == nullptr) return t;
  f.slots()[slot_] = *t.inner;
  const Value r = body_->eval(f);
  if (r.is_error()) return r;
  if (!kFlat) {
    const Value o = make_optional(f, r);
    return o.is_error() ? out_of_memory(f, expr_id()) : o;
  }
  if (r.kind != ValueKind::kOptional) return not_optional(f, r, expr_id());
  return r;
}

template class OptionalOrNode<false>;
template class OptionalOrNode<true>;
template class OptionalMapApplyNode<false>;
template class OptionalMapApplyNode<true>;

}  // namespace safeguard::cel
