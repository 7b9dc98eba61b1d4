#include "cel/parse/macros.hpp"

#include <utility>

namespace safeguard::cel {
namespace {

bool fail(MacroError& error, const Expr& at, std::string message, std::string hint = {}) {
  error.offset = at.begin;
  error.length = at.end > at.begin ? at.end - at.begin : 1;
  error.message = std::move(message);
  error.hint = std::move(hint);
  return false;
}

const char* macro_name(Macro macro) noexcept {
  switch (macro) {
    case Macro::kAll:
      return "all";
    case Macro::kExists:
      return "exists";
    case Macro::kExistsOne:
      return "exists_one";
    case Macro::kMap:
      return "map";
    case Macro::kFilter:
      return "filter";
    case Macro::kBind:
      return "cel.bind";
    case Macro::kHas:
      return "has";
    case Macro::kAll2:
      return "all";
    case Macro::kExists2:
      return "exists";
    case Macro::kExistsOne2:
      return "existsOne";
    case Macro::kTransformList:
      return "transformList";
    case Macro::kTransformMap:
      return "transformMap";
    case Macro::kTransformMapEntry:
      return "transformMapEntry";
    case Macro::kGreatest:
      return "math.greatest";
    case Macro::kLeast:
      return "math.least";
    case Macro::kOptMap:
      return "optMap";
    case Macro::kOptFlatMap:
      return "optFlatMap";
    case Macro::kNone:
      break;
  }
  return "";
}

// Takes the variable name from the first argument and drops that argument.
bool take_variable(Macro macro, Expr& call, MacroError& error) {
  const Expr& var = *call.args.front();
  if (var.kind != ExprKind::kIdent || var.leading_dot) {
    const char* what = macro == Macro::kBind ? "variable" : "iteration variable";
    return fail(error, var,
                std::string("the first argument of ") + macro_name(macro) + "() must be the " +
                    what + ", a simple identifier",
                macro == Macro::kBind         ? "e.g. cel.bind(total, a + b, total * 2)"
                : macro == Macro::kOptMap     ? "e.g. m.?name.optMap(n, n.size())"
                : macro == Macro::kOptFlatMap ? "e.g. m.?child.optFlatMap(c, c.?name)"
                                              : "e.g. list.exists(x, x > 0)");
  }
  call.name = var.name;
  call.args.erase(call.args.begin());
  return true;
}

// The two-variable macros (cel-go's comprehensions extension): the index or key variable,
// then the value variable, then the predicate, or an optional filter and the transform.
bool take_two_variables(Macro macro, Expr& call, MacroError& error) {
  for (int k = 0; k < 2; ++k) {
    const Expr& var = *call.args[static_cast<std::size_t>(k)];
    if (var.kind != ExprKind::kIdent || var.leading_dot) {
      return fail(error, var,
                  std::string("the ") + (k == 0 ? "first" : "second") + " argument of " +
                      macro_name(macro) + "() must be a variable name, a simple identifier",
                  std::string("e.g. list.") + macro_name(macro) +
                      "(i, v, ...) names the index i and the element v; map." + macro_name(macro) +
                      "(k, v, ...) the key k and the value v");
    }
  }
  if (call.args[0]->name == call.args[1]->name) {
    return fail(
        error, *call.args[1],
        std::string("the two variables of ") + macro_name(macro) + "() must have different names");
  }
  call.name = call.args[0]->name;
  call.name2 = call.args[1]->name;
  call.args.erase(call.args.begin(), call.args.begin() + 2);
  return true;
}

// Whether a math.greatest/least argument may be a number: literals must be numbers, and
// list, map and object literals are refused; any other expression is left to the checker.
bool numeric_argument(const Expr& arg) {
  switch (arg.kind) {
    case ExprKind::kLiteral:
      return arg.constant.kind == ConstantKind::kInt || arg.constant.kind == ConstantKind::kUint ||
             arg.constant.kind == ConstantKind::kDouble;
    case ExprKind::kList:
    case ExprKind::kMap:
      return false;
    default:
      return true;
  }
}

bool numeric_list_literal(const Expr& arg) {
  if (arg.kind != ExprKind::kList || arg.args.empty()) return false;
  for (const auto& item : arg.args) {
    if (!numeric_argument(*item)) return false;
  }
  return true;
}

bool expand_extreme(Macro macro, Expr& call, MacroError& error) {
  const std::string name = macro_name(macro);
  if (call.args.empty()) {
    return fail(error, call, name + "() requires at least one argument",
                "e.g. " + name + "(a, b) or " + name + "([a, b, c])");
  }
  if (call.args.size() == 1) {
    if (!numeric_list_literal(*call.args[0]) && !numeric_argument(*call.args[0])) {
      return fail(error, *call.args[0], name + "() invalid single argument value",
                  "give numbers, or one list of numbers");
    }
  } else {
    for (const auto& arg : call.args) {
      if (!numeric_argument(*arg)) {
        return fail(error, *arg, name + "() simple literal arguments must be numeric");
      }
    }
  }
  ExprPtr target = std::move(call.target);
  call.name = macro == Macro::kGreatest ? "math.@max" : "math.@min";
  if (call.args.size() > 2) {
    // Three or more arguments become one list, as cel-go expands them. The node reuses
    // the dropped `math` identifier, whose id the parser already tracks.
    ExprPtr list = std::move(target);
    list->kind = ExprKind::kList;
    list->name.clear();
    list->begin = call.args.front()->begin;
    list->end = call.args.back()->end;
    list->offset = list->begin;
    list->args = std::move(call.args);
    call.args.clear();
    call.args.push_back(std::move(list));
  }
  return true;
}

}  // namespace

Macro find_macro(std::string_view function, const Expr* target, std::size_t arg_count) noexcept {
  if (target == nullptr) {
    return function == "has" && arg_count == 1 ? Macro::kHas : Macro::kNone;
  }
  if (function == "bind") {
    const bool on_cel =
        target->kind == ExprKind::kIdent && target->name == "cel" && !target->leading_dot;
    return on_cel && arg_count == 3 ? Macro::kBind : Macro::kNone;
  }
  if (target->kind == ExprKind::kIdent && target->name == "math" && !target->leading_dot) {
    if (function == "greatest") return Macro::kGreatest;
    if (function == "least") return Macro::kLeast;
  }
  if (arg_count == 3) {
    if (function == "all") return Macro::kAll2;
    if (function == "exists") return Macro::kExists2;
    if (function == "existsOne" || function == "exists_one") return Macro::kExistsOne2;
  }
  if (arg_count == 3 || arg_count == 4) {
    if (function == "transformList") return Macro::kTransformList;
    if (function == "transformMap") return Macro::kTransformMap;
    if (function == "transformMapEntry") return Macro::kTransformMapEntry;
  }
  if (function == "map") return arg_count == 2 || arg_count == 3 ? Macro::kMap : Macro::kNone;
  if (arg_count != 2) return Macro::kNone;
  if (function == "optMap") return Macro::kOptMap;
  if (function == "optFlatMap") return Macro::kOptFlatMap;
  if (function == "all") return Macro::kAll;
  if (function == "exists") return Macro::kExists;
  if (function == "exists_one") return Macro::kExistsOne;
  if (function == "filter") return Macro::kFilter;
  return Macro::kNone;
}

bool expand_macro(Macro macro, Expr& call, MacroError& error) {
  switch (macro) {
    case Macro::kNone:
      return true;
    case Macro::kHas: {
      Expr& arg = *call.args.front();
      if (arg.kind != ExprKind::kSelect) {
        return fail(error, arg, "invalid argument to has() macro",
                    "has() takes a field selection, e.g. has(case.referral) or has(m.key)");
      }
      call.kind = ExprKind::kHas;
      call.name = std::move(arg.name);
      ExprPtr operand = std::move(arg.target);
      call.args.clear();
      call.target = std::move(operand);
      return true;
    }
    case Macro::kBind: {
      if (!take_variable(macro, call, error)) return false;
      call.kind = ExprKind::kBind;
      call.target.reset();  // the `cel` namespace identifier
      return true;
    }
    case Macro::kGreatest:
    case Macro::kLeast:
      return expand_extreme(macro, call, error);
    case Macro::kOptMap:
    case Macro::kOptFlatMap:
      // The optional stays the target, evaluated once (cel-go's expansion,
      // o.hasValue() ? optional.of(cel.bind(v, o.value(), e)) : optional.none(), reads it twice).
      if (!take_variable(macro, call, error)) return false;
      call.kind = macro == Macro::kOptMap ? ExprKind::kOptMap : ExprKind::kOptFlatMap;
      return true;
    case Macro::kAll2:
    case Macro::kExists2:
    case Macro::kExistsOne2:
    case Macro::kTransformList:
    case Macro::kTransformMap:
    case Macro::kTransformMapEntry: {
      if (!take_two_variables(macro, call, error)) return false;
      call.kind = ExprKind::kComprehension;
      call.macro = macro == Macro::kAll2            ? MacroKind::kAll
                   : macro == Macro::kExists2       ? MacroKind::kExists
                   : macro == Macro::kExistsOne2    ? MacroKind::kExistsOne
                   : macro == Macro::kTransformList ? MacroKind::kTransformList
                   : macro == Macro::kTransformMap  ? MacroKind::kTransformMap
                                                    : MacroKind::kTransformMapEntry;
      return true;
    }
    case Macro::kAll:
    case Macro::kExists:
    case Macro::kExistsOne:
    case Macro::kMap:
    case Macro::kFilter: {
      if (!take_variable(macro, call, error)) return false;
      call.kind = ExprKind::kComprehension;
      call.macro = macro == Macro::kAll         ? MacroKind::kAll
                   : macro == Macro::kExists    ? MacroKind::kExists
                   : macro == Macro::kExistsOne ? MacroKind::kExistsOne
                   : macro == Macro::kMap       ? MacroKind::kMap
                                                : MacroKind::kFilter;
      return true;
    }
  }
  return true;
}

}  // namespace safeguard::cel
