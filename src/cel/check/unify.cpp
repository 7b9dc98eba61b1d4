#include "cel/check/unify.hpp"

namespace safeguard::cel {

bool same_type(const Type* a, const Type* b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr || a->kind != b->kind) return false;
  switch (a->kind) {
    case TypeKind::kList:
    case TypeKind::kType:
    case TypeKind::kOptional:
      return same_type(a->p1, b->p1);
    case TypeKind::kMap:
      return same_type(a->p1, b->p1) && same_type(a->p2, b->p2);
    case TypeKind::kParam:
      return a->name == b->name;
    case TypeKind::kObject:
      return a->object == b->object;
    default:
      return true;
  }
}

namespace {

bool unify_with(TypeStore& store, const Type* param, const Type* arg, Substitution& subst,
                bool null_with_any) {
  if (param->kind == TypeKind::kParam) {
    auto it = subst.find(param->name);
    if (it == subst.end()) {
      subst[param->name] = arg;
      return true;
    }
    const Type* bound = it->second;
    if (is_dyn_or_error(bound) || is_dyn_or_error(arg) || same_type(bound, arg)) return true;
    // null and another type bind one parameter only when that type accepts null, as in
    // cel-go: `null in [1, 2]` and `[1] + [null]` do not check, `[ts] + [null]` does.
    if (bound->kind == TypeKind::kNull) {
      if (!null_with_any && !accepts_null(arg)) return false;
      it->second = arg;
      return true;
    }
    if (arg->kind == TypeKind::kNull) return null_with_any || accepts_null(bound);
    // Every type value has CEL type `type`, whatever it denotes: `type(1) == type('a')`.
    if (bound->kind == TypeKind::kType && arg->kind == TypeKind::kType) return true;
    // Aggregates may differ in their element types only through dyn.
    if (bound->kind == arg->kind &&
        (bound->kind == TypeKind::kList || bound->kind == TypeKind::kMap ||
         bound->kind == TypeKind::kOptional)) {
      Substitution inner;
      const Type* p = store.param("_");
      const Type* pattern = bound->kind == TypeKind::kList       ? store.list(p)
                            : bound->kind == TypeKind::kOptional ? store.optional(p)
                                                                 : store.map(store.param("_k"), p);
      return unify_with(store, pattern, bound, inner, null_with_any) &&
             unify_with(store, pattern, arg, inner, null_with_any);
    }
    return false;
  }
  if (is_dyn_or_error(param) || is_dyn_or_error(arg)) return true;
  if (arg->kind == TypeKind::kParam) return true;
  if (param->kind != arg->kind) return false;
  switch (param->kind) {
    case TypeKind::kList:
    case TypeKind::kOptional:
      return unify_with(store, param->p1, arg->p1, subst, null_with_any);
    case TypeKind::kMap:
      return unify_with(store, param->p1, arg->p1, subst, null_with_any) &&
             unify_with(store, param->p2, arg->p2, subst, null_with_any);
    case TypeKind::kType:
      return param->p1 == nullptr || arg->p1 == nullptr ||
             unify_with(store, param->p1, arg->p1, subst, null_with_any);
    case TypeKind::kObject:
      return param->object == arg->object;
    default:
      return true;
  }
}

}  // namespace

bool unify(TypeStore& store, const Type* param, const Type* arg, Substitution& subst) {
  return unify_with(store, param, arg, subst, false);
}

bool unify_null_with_any(TypeStore& store, const Type* param, const Type* arg,
                         Substitution& subst) {
  return unify_with(store, param, arg, subst, true);
}

const Type* substitute(TypeStore& store, const Type* t, const Substitution& subst) {
  switch (t->kind) {
    case TypeKind::kParam: {
      auto it = subst.find(t->name);
      if (it == subst.end()) return types::dyn();
      return it->second->kind == TypeKind::kParam ? types::dyn() : it->second;
    }
    case TypeKind::kList:
      return store.list(substitute(store, t->p1, subst));
    case TypeKind::kOptional:
      return store.optional(substitute(store, t->p1, subst));
    case TypeKind::kMap:
      return store.map(substitute(store, t->p1, subst), substitute(store, t->p2, subst));
    case TypeKind::kType:
      return store.type_of(t->p1 ? substitute(store, t->p1, subst) : types::dyn());
    default:
      return t;
  }
}

bool accepts_null(const Type* t) {
  switch (t->kind) {
    case TypeKind::kNull:
    case TypeKind::kDyn:
    case TypeKind::kError:
    case TypeKind::kParam:
    case TypeKind::kObject:
    case TypeKind::kTimestamp:
    case TypeKind::kDuration:
    case TypeKind::kDate:
    case TypeKind::kOptional:
      return true;
    default:
      return false;
  }
}

const Type* join_types(TypeStore& store, const Type* a, const Type* b) {
  if (same_type(a, b)) return a;
  if (a->kind == TypeKind::kError) return b;
  if (b->kind == TypeKind::kError) return a;
  // `[1, null]` is a list(dyn), as in cel-go: an int there may be null.
  if (a->kind == TypeKind::kNull) return accepts_null(b) ? b : types::dyn();
  if (b->kind == TypeKind::kNull) return accepts_null(a) ? a : types::dyn();
  if (a->kind == TypeKind::kList && b->kind == TypeKind::kList) {
    return store.list(join_types(store, a->p1, b->p1));
  }
  if (a->kind == TypeKind::kMap && b->kind == TypeKind::kMap) {
    return store.map(join_types(store, a->p1, b->p1), join_types(store, a->p2, b->p2));
  }
  if (a->kind == TypeKind::kOptional && b->kind == TypeKind::kOptional) {
    return store.optional(join_types(store, a->p1, b->p1));
  }
  return types::dyn();
}

bool branches_agree(const Type* a, const Type* b) {
  if (same_type(a, b)) return true;
  const auto open = [](const Type* t) { return is_dyn_or_error(t) || t->kind == TypeKind::kParam; };
  if (open(a) || open(b)) return true;
  if (a->kind == TypeKind::kNull) return accepts_null(b);
  if (b->kind == TypeKind::kNull) return accepts_null(a);
  const auto json_object = [](const Type* t) {
    return t->kind == TypeKind::kObject || t->kind == TypeKind::kMap;
  };
  if (a->kind == TypeKind::kObject || b->kind == TypeKind::kObject) {
    return json_object(a) && json_object(b);
  }
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case TypeKind::kList:
    case TypeKind::kOptional:
      return branches_agree(a->p1, b->p1);
    case TypeKind::kMap:
      return branches_agree(a->p1, b->p1) && branches_agree(a->p2, b->p2);
    case TypeKind::kType:
      return true;  // every type value has CEL type `type`
    default:
      return false;
  }
}

}  // namespace safeguard::cel
