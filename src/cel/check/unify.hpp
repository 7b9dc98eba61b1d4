// Type parameter binding for overload resolution.
#pragma once

#include <map>
#include <string>

#include "cel/types/type.hpp"

namespace safeguard::cel {

using Substitution = std::map<std::string, const Type*>;

// Whether an argument of type `arg` fits parameter `param`, binding type parameters in
// `subst`. dyn fits everything in both directions (checking is gradual, as in CEL).
bool unify(TypeStore& store, const Type* param, const Type* arg, Substitution& subst);

// `t` with bound parameters replaced (unbound ones become dyn).
const Type* substitute(TypeStore& store, const Type* t, const Substitution& subst);

// Structural equality (types from different stores compare equal if they are the same).
bool same_type(const Type* a, const Type* b);

// The type of a value that is either `a` or `b`: the same type, the non-null one, or dyn.
const Type* join_types(TypeStore& store, const Type* a, const Type* b);

// Whether `a` and `b` may be the two branches of `?:`. CEL declares the operator as
// (bool, A, A) -> A, so `c ? 1 : "a"` and `c ? 1 : 2.0` do not check (cel-go refuses them
// too); dyn, an error and null (the JSON snapshot's missing value) go with anything, and so
// does a declared JSON object with a map, which is what it is at run time.
bool branches_agree(const Type* a, const Type* b);

}  // namespace safeguard::cel
