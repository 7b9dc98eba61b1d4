// Type parameter binding for overload resolution.
#pragma once

#include <map>
#include <string>

#include "cel/types/type.hpp"

namespace safeguard::cel {

using Substitution = std::map<std::string, const Type*>;

// Whether an argument of type `arg` fits parameter `param`, binding type parameters in
// `subst`. dyn fits everything in both directions (checking is gradual, as in CEL). null
// and another type bind one parameter only when that type accepts null (accepts_null), as
// in cel-go's checker (checker/types.go, internalIsAssignable): `null in [1, 2]`,
// `[1] + [null]` and `m[null]` do not check.
bool unify(TypeStore& store, const Type* param, const Type* arg, Substitution& subst);

// The same with null binding a parameter beside any type, as this checker did before it
// followed cel-go: for diagnostics only, to tell a call refused for its null apart.
bool unify_null_with_any(TypeStore& store, const Type* param, const Type* arg, Substitution& subst);

// `t` with bound parameters replaced (unbound ones become dyn).
const Type* substitute(TypeStore& store, const Type* t, const Substitution& subst);

// Structural equality (types from different stores compare equal if they are the same).
bool same_type(const Type* a, const Type* b);

// Whether null may stand for a value of type `t`, as in cel-go's checker (its "legacy
// nullable" kinds): a declared JSON object (cel-go's message), a timestamp, a duration, a
// date and an optional (cel-go's opaque types), and of course null, dyn, an error and a
// type parameter. Not bool, int, uint, double, string, bytes, a list, a map or a type.
bool accepts_null(const Type* t);

// The type of a value that is either `a` or `b`: the same type, the one of the two that
// accepts null when the other is null, or dyn (`[1, null]` is a list(dyn), as in cel-go).
const Type* join_types(TypeStore& store, const Type* a, const Type* b);

// Whether `a` and `b` may be the two branches of `?:`. CEL declares the operator as
// (bool, A, A) -> A, so `c ? 1 : "a"` and `c ? 1 : 2.0` do not check (cel-go refuses them
// too); dyn and an error go with anything, null with a type that accepts it
// (accepts_null: `c ? 1 : null` does not check, in cel-go neither, where it is "no
// matching overload for '_?_:_' applied to '(bool, int, null)'"), and a declared JSON
// object with a map, which is what it is at run time.
bool branches_agree(const Type* a, const Type* b);

}  // namespace safeguard::cel
