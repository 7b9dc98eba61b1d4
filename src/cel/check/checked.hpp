// What the checker learns about an expression tree: each node's type and what each
// identifier and call refers to. Indexed by expression id.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/source.hpp"
#include "cel/ast/ast.hpp"
#include "cel/check/env.hpp"
#include "cel/lib/registry.hpp"
#include "cel/types/type.hpp"

namespace safeguard::cel {

enum class RefKind : std::uint8_t {
  kNone,
  kVariable,    // index: Env variable
  kConstant,    // index: Env constant
  kDefinition,  // index: Env definition
  kLocal,       // binder: the comprehension or bind node; or param: a function parameter
  kParam,       // index: parameter number of the function instance being checked
  kType,        // a type name used as a value (`int`, `list`)
  kOverloads,   // a call to library overloads
  kFunction,    // index: function instance (a CEL-defined function, per argument types)
  kRule,        // index: Env rule (`raised("id")`)
  kError,       // failed to resolve (an issue was reported, or unchecked mode)
};

struct Ref {
  RefKind kind = RefKind::kNone;
  std::uint32_t index = 0;
  const Expr* binder = nullptr;
  std::string type_name;  // kType
  std::vector<const Overload*> overloads;
  // kOverloads: a namespaced global function written as a member call on its namespace
  // (`math.abs(x)` calls "math.abs"): the call's target is the namespace, not an argument.
  bool qualified = false;
};

inline Ref make_ref(RefKind kind, std::uint32_t index = 0, const Expr* binder = nullptr) {
  Ref r;
  r.kind = kind;
  r.index = index;
  r.binder = binder;
  return r;
}

struct CheckedTree {
  const ParsedExpr* ast = nullptr;
  SourceId source = 0;
  std::vector<const Type*> types;      // by expression id (0 unused)
  std::vector<Ref> refs;               // by expression id
  std::set<std::uint32_t> rules_used;  // rule indexes read, through definitions and functions too
  std::set<std::uint32_t> definitions_used;  // directly
  std::set<std::uint32_t> instances_used;    // directly

  const Type* type_of(const Expr& e) const { return types[e.id]; }
  const Ref& ref_of(const Expr& e) const { return refs[e.id]; }
};

struct FunctionInstance {
  std::uint32_t function = 0;  // Env function index
  std::vector<const Type*> param_types;
  CheckedTree tree;
  const Type* result = nullptr;
  bool done = false;
};

struct CheckIssue {
  SourceId source = 0;
  base::Issue issue;
};

}  // namespace safeguard::cel
