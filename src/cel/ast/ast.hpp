// The CEL abstract syntax tree produced by the parser and annotated by the checker.
//
// One node type with a kind tag keeps the tree simple to walk; every node records the
// byte range it was parsed from and an anchor offset (the operator, dot or name) that
// diagnostics point at. Macros (has, all, exists, ...) are expanded by the parser into
// kComprehension / kHas nodes, so later stages never see them as calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace safeguard::cel {

enum class ExprKind : std::uint8_t {
  kLiteral,        // constant
  kIdent,          // name (may be dotted after resolution, e.g. "cel.expr")
  kSelect,         // target.name
  kHas,            // has(target.name): presence test, from the has() macro
  kCall,           // name(args...) or target.name(args...)
  kList,           // [args...]
  kMap,            // {entries...}
  kComprehension,  // a macro over a list or map: all, exists, exists_one, map, filter, and
                   // the two-variable all, exists, existsOne, transformList/Map/MapEntry
  kBind,           // cel.bind(var, args[0], args[1])
  // target.optMap(var, args[0]) and target.optFlatMap(var, args[0]) (cel-go's optional
  // types): args[0] with var bound to the value of the optional `target`, if it has one.
  kOptMap,
  kOptFlatMap,
};

enum class ConstantKind : std::uint8_t { kNull, kBool, kInt, kUint, kDouble, kString, kBytes };

struct Constant {
  ConstantKind kind = ConstantKind::kNull;
  bool bool_value = false;
  std::int64_t int_value = 0;
  std::uint64_t uint_value = 0;
  double double_value = 0;
  std::string string_value;  // kString (UTF-8) and kBytes (raw bytes)
};

enum class MacroKind : std::uint8_t {
  kAll,        // range.all(x, pred)
  kExists,     // range.exists(x, pred)
  kExistsOne,  // range.exists_one(x, pred)
  kMap,        // range.map(x, transform) or range.map(x, filter, transform)
  kFilter,     // range.filter(x, pred)
  // Two-variable only (cel-go's comprehensions extension); all, exists and exists_one take
  // two variables too, with Expr::name2 set.
  kTransformList,      // range.transformList(i, v, [filter,] transform) -> list
  kTransformMap,       // range.transformMap(k, v, [filter,] transform) -> map, keys kept
  kTransformMapEntry,  // range.transformMapEntry(k, v, [filter,] entry map) -> map, merged
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct MapEntry {
  ExprPtr key;
  ExprPtr value;
  std::uint32_t offset = 0;  // position of the ':'
  bool optional = false;     // `?key: value`: an entry only when the value (an optional) has one
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  std::uint32_t id = 0;     // unique within one parse, dense from 1
  std::uint32_t begin = 0;  // byte range [begin, end) of the whole node in the source
  std::uint32_t end = 0;
  std::uint32_t offset = 0;  // anchor for diagnostics: operator, '.', '(' or the name

  Constant constant;  // kLiteral

  // kIdent: the identifier; kSelect/kHas: the field; kCall: the function name
  // (operators use CEL's internal names: "_+_", "_&&_", "!_", "-_", "_[_]", "_?_:_",
  // "@in", "_==_", ..., and for the optional syntax "_?._" for `a.?b`, with the field name
  // as a string literal argument, and "_[?_]" for `a[?b]`); kComprehension/kBind/kOptMap/
  // kOptFlatMap: the iteration/bound variable.
  std::string name;

  // kSelect/kHas: the operand; kCall: the receiver of a member call (null for global
  // calls); kComprehension: the range; kBind: unused; kOptMap/kOptFlatMap: the optional.
  ExprPtr target;

  // kCall: arguments (without the receiver); kList: elements;
  // kComprehension: [predicate] or [transform] or, for 3-argument map and the transforms
  // with a filter, [filter, transform];
  // kBind: [init, body]; kOptMap/kOptFlatMap: [expression].
  std::vector<ExprPtr> args;

  std::vector<MapEntry> entries;  // kMap
  // kList: the elements written `?x` (indexes into args, ascending): each is an optional,
  // and adds its value to the list only when it has one.
  std::vector<std::uint32_t> optional_indices;

  MacroKind macro = MacroKind::kAll;  // kComprehension
  // kComprehension with two variables: the second (the value); `name` is then the first
  // (a list's index or a map's key). Empty for the one-variable macros.
  std::string name2;
  bool leading_dot = false;  // kIdent written as ".name" (root-scoped)
};

// A parse result: the tree and the expression text it came from.
struct ParsedExpr {
  std::string source;
  ExprPtr root;
  std::uint32_t node_count = 0;  // ids run from 1 to node_count
};

// A one-line, fully parenthesised rendering of the tree for tests and debugging,
// e.g. `_&&_(_<_(a, 1), b.c)` and `exists(x, list, _>_(x, 0))`.
std::string dump(const Expr& expr);

}  // namespace safeguard::cel
