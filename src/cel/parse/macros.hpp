// CEL macros: calls that the parser rewrites into dedicated nodes, so that no later
// stage has to recognise them. has(a.b) becomes kHas; range.all/exists/exists_one/
// map/filter become kComprehension; cel.bind(v, init, body) becomes kBind; o.optMap(v, e)
// and o.optFlatMap(v, e) become kOptMap and kOptFlatMap;
// math.greatest/math.least become calls of math.@max/math.@min, as cel-go's math
// extension expands them (a namespace is an identifier while parsing, so these are
// macros of the identifier `math`, whatever it is declared as).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cel/ast/ast.hpp"

namespace safeguard::cel {

enum class Macro : std::uint8_t {
  kNone,
  kHas,                // has(a.b)
  kAll,                // r.all(x, p)
  kExists,             // r.exists(x, p)
  kExistsOne,          // r.exists_one(x, p)
  kMap,                // r.map(x, t) and r.map(x, p, t)
  kFilter,             // r.filter(x, p)
  kBind,               // cel.bind(v, init, body)
  kAll2,               // r.all(i, v, p)
  kExists2,            // r.exists(i, v, p)
  kExistsOne2,         // r.existsOne(i, v, p) and r.exists_one(i, v, p)
  kTransformList,      // r.transformList(i, v, t) and r.transformList(i, v, p, t)
  kTransformMap,       // r.transformMap(k, v, t) and r.transformMap(k, v, p, t)
  kTransformMapEntry,  // r.transformMapEntry(k, v, e) and r.transformMapEntry(k, v, p, e)
  kGreatest,    // math.greatest(n, ...): math.@max(n), math.@max(a, b), math.@max([a, b, c, ...])
  kLeast,       // math.least(n, ...): the same with math.@min
  kOptMap,      // o.optMap(v, e) (cel-go's optional types)
  kOptFlatMap,  // o.optFlatMap(v, e)
};

// The macro a call of this shape names: function name, receiver (null for a global
// call) and argument count. A macro name with another arity is an ordinary call.
Macro find_macro(std::string_view function, const Expr* target, std::size_t arg_count) noexcept;

struct MacroError {
  std::uint32_t offset = 0;  // byte offset in the expression
  std::uint32_t length = 1;
  std::string message;
  std::string hint;
};

// Rewrites `call`, a kCall node of a shape find_macro() accepted, in place into the
// macro's node. Its id, begin, end and offset are kept; nodes that the expansion drops
// (the `x` of all(x, p), the select inside has()) leave gaps in the ids, which the
// parser closes by renumbering at the end.
bool expand_macro(Macro macro, Expr& call, MacroError& error);

}  // namespace safeguard::cel
