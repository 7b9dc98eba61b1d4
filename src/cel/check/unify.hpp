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

}  // namespace safeguard::cel
