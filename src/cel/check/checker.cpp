#include "cel/check/checker.hpp"

#include <algorithm>
#include <map>

#include "base/spelling.hpp"
#include "cel/check/unify.hpp"
#include "cel/lib/type_values.hpp"

namespace safeguard::cel {

namespace {

// How an operator is shown to people ("<" rather than "_<_").
std::string display_name(const std::string& function) {
  static const std::map<std::string, std::string> kNames = {
      {"_+_", "+"},   {"_-_", "-"}, {"_*_", "*"},   {"_/_", "/"},   {"_%_", "%"},   {"_<_", "<"},
      {"_<=_", "<="}, {"_>_", ">"}, {"_>=_", ">="}, {"_==_", "=="}, {"_!=_", "!="}, {"@in", "in"},
      {"_[_]", "[]"}, {"!_", "!"},  {"-_", "-"},    {"_&&_", "&&"}, {"_||_", "||"}, {"_?_:_", "?:"},
  };
  auto it = kNames.find(function);
  return it == kNames.end() ? function : it->second;
}

bool is_operator(const std::string& function) {
  return function.find('_') == 0 || function == "@in" || function == "!_" || function == "-_";
}

std::string signature_text(const Overload& o) {
  std::string s;
  const std::size_t first = o.member ? 1 : 0;
  if (o.member)
    s += type_name(o.params[0]) + "." + o.function;
  else
    s += o.function;
  s += "(";
  for (std::size_t i = first; i < o.params.size(); ++i) {
    if (i > first) s += ", ";
    s += type_name(o.params[i]);
  }
  return s + ") -> " + type_name(o.result);
}

bool is_numeric(const Type* t) {
  return t->kind == TypeKind::kInt || t->kind == TypeKind::kUint || t->kind == TypeKind::kDouble;
}

}  // namespace

class Checker::Run {
 public:
  Run(Checker& checker, CheckedTree& tree, const FunctionInstance* instance,
      const Scope* scope = nullptr)
      : c_(checker), tree_(tree), instance_(instance), scope_(scope) {
    tree_.types.assign(tree_.ast->node_count + 1, types::error());
    tree_.refs.assign(tree_.ast->node_count + 1, Ref{});
  }

  const Type* check(const Expr& e) {
    const Type* t = check_node(e);
    if (e.id < tree_.types.size()) tree_.types[e.id] = t;
    return t;
  }

 private:
  struct Local {
    std::string name;
    const Expr* binder;
    const Type* type;
    std::uint32_t index = 0;  // the binder's first (0) or second (1) variable
  };

  TypeStore& store() { return c_.env_.types(); }
  bool strict() const { return c_.options_.strict_types; }

  void error(const Expr& e, std::string code, std::string message, std::string hint = {},
             std::uint32_t offset = UINT32_MAX, std::uint32_t length = 0) {
    base::Issue issue;
    issue.severity = Severity::kError;
    issue.code = std::move(code);
    issue.offset = offset == UINT32_MAX ? e.offset : offset;
    issue.length =
        length != 0 ? length
                    : std::max<std::uint32_t>(1, e.end > issue.offset ? e.end - issue.offset : 1);
    if (offset == UINT32_MAX && (e.kind == ExprKind::kCall || e.kind == ExprKind::kSelect)) {
      issue.length = 1;  // point at the operator or dot, not the whole expression
      if (e.kind == ExprKind::kSelect || (e.kind == ExprKind::kCall && !is_operator(e.name))) {
        issue.length = static_cast<std::uint32_t>(e.name.size());
        // The anchor of a member call or select is its dot; underline the name after it.
        if (e.offset < tree_.ast->source.size() && tree_.ast->source[e.offset] == '.') {
          issue.offset = e.offset + 1;
          while (
              issue.offset < tree_.ast->source.size() &&
              (tree_.ast->source[issue.offset] == ' ' || tree_.ast->source[issue.offset] == '\n')) {
            ++issue.offset;
          }
        }
      }
    }
    issue.message = std::move(message);
    issue.hint = std::move(hint);
    for (const auto& existing : c_.issues_) {
      if (existing.source == tree_.source && existing.issue.offset == issue.offset &&
          existing.issue.message == issue.message) {
        return;  // the same problem seen through another function instance
      }
    }
    c_.issues_.push_back(CheckIssue{tree_.source, std::move(issue)});
  }

  Ref& ref(const Expr& e) { return tree_.refs[e.id]; }

  const Type* check_node(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral:
        return literal_type(e.constant);
      case ExprKind::kIdent:
        return check_ident(e);
      case ExprKind::kSelect:
        return check_select(e);
      case ExprKind::kHas:
        return check_has(e);
      case ExprKind::kCall:
        return check_call(e);
      case ExprKind::kList:
        return check_list(e);
      case ExprKind::kMap:
        return check_map(e);
      case ExprKind::kComprehension:
        return check_comprehension(e);
      case ExprKind::kBind:
        return check_bind(e);
      case ExprKind::kOptMap:
      case ExprKind::kOptFlatMap:
        return check_opt_map(e);
    }
    return types::error();
  }

  static const Type* literal_type(const Constant& c) {
    switch (c.kind) {
      case ConstantKind::kNull:
        return types::null_type();
      case ConstantKind::kBool:
        return types::boolean();
      case ConstantKind::kInt:
        return types::int64();
      case ConstantKind::kUint:
        return types::uint64();
      case ConstantKind::kDouble:
        return types::real();
      case ConstantKind::kString:
        return types::string();
      case ConstantKind::kBytes:
        return types::bytes();
    }
    return types::dyn();
  }

  // --- names --------------------------------------------------------------------------
  const Local* find_local(const std::string& name) const {
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
      if (it->name == name) return &*it;
    }
    return nullptr;
  }

  int find_param(const std::string& name) const {
    if (instance_ == nullptr) return -1;
    const auto& params = c_.env_.functions()[instance_->function].params;
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (params[i] == name) return static_cast<int>(i);
    }
    return -1;
  }

  // Resolves a (possibly dotted) name to a variable, constant, definition or type.
  // Returns null without reporting when the name is unknown.
  const Type* resolve_name(const Expr& e, const std::string& name) {
    if (!e.leading_dot || name.find('.') == std::string::npos) {
      if (const Local* local = find_local(name); local != nullptr && !e.leading_dot) {
        ref(e) = make_ref(RefKind::kLocal, local->index, local->binder);
        return local->type;
      }
      if (int p = find_param(name); p >= 0 && !e.leading_dot) {
        ref(e) = make_ref(RefKind::kParam, static_cast<std::uint32_t>(p));
        return instance_->param_types[static_cast<std::size_t>(p)];
      }
    }
    if (scope_ != nullptr && !e.leading_dot) {
      auto it = scope_->find(name);
      if (it != scope_->end()) return use_definition(e, it->second);
    }
    const Env::Lookup lookup = c_.env_.lookup(name);
    switch (lookup.kind) {
      case Env::NameKind::kVariable:
        ref(e) = make_ref(RefKind::kVariable, lookup.index);
        return c_.env_.variables()[lookup.index].type;
      case Env::NameKind::kConstant:
        ref(e) = make_ref(RefKind::kConstant, lookup.index);
        return c_.env_.constants()[lookup.index].type;
      case Env::NameKind::kDefinition:
        return use_definition(e, lookup.index);
      case Env::NameKind::kNone:
        break;
    }
    if (type_named(name) != nullptr || name == "google.protobuf.Timestamp" ||
        name == "google.protobuf.Duration") {
      Ref r = make_ref(RefKind::kType);
      r.type_name = name;
      ref(e) = r;
      if (name == "optional_type") return store().type_of(store().optional(types::dyn()));
      return store().type_of(type_for_name(name));
    }
    return nullptr;
  }

  static const Type* type_for_name(const std::string& name) {
    if (name == "int") return types::int64();
    if (name == "uint") return types::uint64();
    if (name == "double") return types::real();
    if (name == "bool") return types::boolean();
    if (name == "string") return types::string();
    if (name == "bytes") return types::bytes();
    if (name == "null_type") return types::null_type();
    if (name == "date") return types::date();
    if (name == "google.protobuf.Timestamp") return types::timestamp();
    if (name == "google.protobuf.Duration") return types::duration();
    return types::dyn();
  }

  const Type* use_definition(const Expr& e, std::uint32_t index) {
    ref(e) = make_ref(RefKind::kDefinition, index);
    tree_.definitions_used.insert(index);
    const CheckedTree* def = c_.check_definition(index, &e, tree_.source);
    if (def == nullptr) return types::error();
    tree_.rules_used.insert(def->rules_used.begin(), def->rules_used.end());
    return def->type_of(*def->ast->root);
  }

  std::vector<std::string> names_in_scope() const {
    std::vector<std::string> names;
    for (const auto& n : c_.env_.identifier_names()) {
      if (n.find('#') == std::string::npos) names.push_back(n);
    }
    if (scope_ != nullptr) {
      for (const auto& [n, index] : *scope_) names.push_back(n);
    }
    for (const auto& l : locals_) names.push_back(l.name);
    if (instance_ != nullptr) {
      for (const auto& p : c_.env_.functions()[instance_->function].params) names.push_back(p);
    }
    return names;
  }

  const Type* check_ident(const Expr& e) {
    if (const Type* t = resolve_name(e, e.name)) return t;
    ref(e) = make_ref(RefKind::kError);
    if (!strict()) return types::dyn();  // an error when evaluated, which || and && may absorb
    error(e, "cel.undeclared", "undeclared reference to '" + e.name + "'",
          base::did_you_mean(e.name, names_in_scope()), e.offset,
          static_cast<std::uint32_t>(e.name.size()));
    return types::error();
  }

  // "a.b.c" for a chain of selects on an identifier, or "" if not such a chain.
  static std::string qualified_name(const Expr& e) {
    if (e.kind == ExprKind::kIdent) return e.name;
    if (e.kind == ExprKind::kSelect && e.target) {
      std::string prefix = qualified_name(*e.target);
      if (!prefix.empty()) return prefix + "." + e.name;
    }
    return {};
  }

  // Whether the leftmost identifier of a select chain is a local, parameter or declared name.
  bool chain_root_known(const Expr& e) const {
    const Expr* at = &e;
    while (at->kind == ExprKind::kSelect && at->target) at = at->target.get();
    if (at->kind != ExprKind::kIdent) return true;
    return find_local(at->name) != nullptr || find_param(at->name) >= 0 ||
           c_.env_.lookup(at->name).kind != Env::NameKind::kNone;
  }

  const Type* field_type(const Expr& e, const Type* operand, bool presence_test) {
    return field_type(e, e.name, operand, presence_test);
  }

  // The type of field `name` of `operand`; problems are reported at `e`.
  const Type* field_type(const Expr& e, const std::string& name, const Type* operand,
                         bool presence_test) {
    switch (operand->kind) {
      case TypeKind::kOptional: {
        // Optional chaining: a field of an optional's value is an optional too.
        const Type* t = field_type(e, name, operand->p1, presence_test);
        return t->kind == TypeKind::kError ? t : store().optional(t);
      }
      case TypeKind::kObject: {
        const ObjectType* obj = operand->object;
        if (const ObjectField* f = obj->find(name)) return f->type;
        if (obj->extra != nullptr) return obj->extra;
        error(e, "cel.unknown-field", "unknown field '" + name + "' of " + obj->name,
              base::did_you_mean(name, obj->field_names()));
        return types::error();
      }
      case TypeKind::kMap:
        if (operand->p1->kind != TypeKind::kString && !is_dyn_or_error(operand->p1) &&
            operand->p1->kind != TypeKind::kParam) {
          error(e, "cel.no-such-field",
                "a map with " + type_name(operand->p1) + " keys has no fields");
          return types::error();
        }
        return operand->p2;
      case TypeKind::kError:
        return types::error();  // already reported: keep later checks quiet about it
      case TypeKind::kDyn:
      case TypeKind::kParam:
        return types::dyn();
      default:
        if (!strict()) return types::dyn();
        error(e, "cel.no-such-field",
              std::string(presence_test ? "has() cannot test" : "cannot select") + " field '" +
                  name + "' of a value of type " + type_name(operand));
        return types::error();
    }
  }

  const Type* check_select(const Expr& e) {
    if (!chain_root_known(e)) {
      // Perhaps a qualified name ("google.protobuf.Timestamp", a dotted variable). If not,
      // checking the target tries the next shorter prefix, so the longest declared prefix
      // wins (`a.b.c` with `a.b` declared selects c from a.b), and an unknown root is
      // reported once, by check_ident.
      const std::string qualified = qualified_name(e);
      if (!qualified.empty()) {
        if (const Type* t = resolve_name(e, qualified)) return t;
      }
    }
    const Type* operand = check(*e.target);
    return field_type(e, operand, false);
  }

  const Type* check_has(const Expr& e) {
    const Type* operand = check(*e.target);
    field_type(e, operand, true);
    return types::boolean();
  }

  // --- calls --------------------------------------------------------------------------
  const Type* check_call(const Expr& e) {
    if (e.name == "_&&_" || e.name == "_||_") return check_logic(e);
    if (e.name == "_?_:_") return check_conditional(e);
    if (e.target == nullptr) {
      std::uint32_t index;
      if (const FunctionDecl* f = c_.env_.find_function(e.name, &index)) {
        return check_user_call(e, *f, index);
      }
      if (e.name == c_.env_.rule_function() && !c_.env_.rules().empty()) {
        return check_rule_ref(e);
      }
    }
    if (e.target != nullptr) {
      if (const Type* t = check_namespaced_call(e)) return t;
    }
    std::vector<const Type*> args;
    if (e.target) args.push_back(check(*e.target));
    for (const auto& a : e.args) args.push_back(check(*a));
    if (e.target == nullptr && args.size() == 2) {
      if (e.name == "_?._") return check_optional_select(e, args[0]);
      if (e.name == "_[?_]" || (e.name == "_[_]" && args[0]->kind == TypeKind::kOptional)) {
        return check_optional_index(e, args);
      }
    }
    return resolve_overloads(e, args, e.name, e.target != nullptr);
  }

  // --- optionals (cel-go's OptionalTypes) ----------------------------------------------
  static const Type* unwrap_optional(const Type* t) {
    return t->kind == TypeKind::kOptional ? t->p1 : t;
  }

  // The run-time overload of an optional operator: the library's only one of the name, or
  // for `opt[i]`, the index form for optionals.
  void refer_to_runtime(const Expr& e, const char* id) {
    Ref r = make_ref(RefKind::kOverloads);
    if (const Overload* o = c_.env_.registry().by_id(id)) r.overloads.push_back(o);
    ref(e) = r;
  }

  // `target.?field`: an optional of the field's type (chained through an optional target).
  const Type* check_optional_select(const Expr& e, const Type* target) {
    const Expr& field = *e.args[1];
    const Type* t = field_type(field, field.constant.string_value, unwrap_optional(target), false);
    if (t->kind == TypeKind::kError) {
      ref(e) = make_ref(RefKind::kError);
      return t;
    }
    refer_to_runtime(e, "select_optional_field");
    return store().optional(t);
  }

  // `target[?key]`, and `target[key]` on an optional: an optional of the element or value.
  const Type* check_optional_index(const Expr& e, const std::vector<const Type*>& args) {
    const Type* container = unwrap_optional(args[0]);
    const Type* key = args[1];
    const Type* element = nullptr;
    bool key_ok = true;
    switch (container->kind) {
      case TypeKind::kList:
        element = container->p1;
        key_ok = key->kind == TypeKind::kInt || key->kind == TypeKind::kUint ||
                 key->kind == TypeKind::kDouble || is_dyn_or_error(key) ||
                 key->kind == TypeKind::kParam;
        break;
      case TypeKind::kMap: {
        element = container->p2;
        Substitution subst;
        key_ok = unify(store(), container->p1, key, subst) ||
                 (is_numeric(container->p1) && is_numeric(key));
        break;
      }
      case TypeKind::kObject:
        element = container->object->extra != nullptr ? container->object->extra : types::dyn();
        key_ok = key->kind == TypeKind::kString || is_dyn_or_error(key);
        break;
      case TypeKind::kDyn:
      case TypeKind::kParam:
      case TypeKind::kError:
        element = types::dyn();
        break;
      default:
        break;
    }
    const bool any_error = args[0]->kind == TypeKind::kError || key->kind == TypeKind::kError;
    if ((element == nullptr || !key_ok) && strict() && !any_error) {
      error(e, "cel.no-matching-overload",
            "cannot apply '" + std::string(e.name == "_[_]" ? "[]" : "[?]") + "' to " +
                type_name(args[0]) + " and " + type_name(key),
            "index a list with an int, a map with a key of its key type");
      ref(e) = make_ref(RefKind::kError);
      return types::error();
    }
    if (element == nullptr) element = types::dyn();
    refer_to_runtime(e, e.name == "_[_]" ? "optional_index" : "list_optindex_optional_int");
    return store().optional(element);
  }

  // `ns.f(args)` where "ns.f" is a library function (math.abs, sets.contains, ...): a
  // global call, as cel-go resolves a member call whose target reads as a qualified
  // name. The library name wins over a declared variable of the namespace's name, as in
  // cel-go; a comprehension variable or parameter of that name keeps the member call.
  // An unknown function of a known namespace, on an undeclared identifier, is reported
  // as an undeclared function with the namespace's functions as suggestions. Null when
  // the call is an ordinary member call.
  const Type* check_namespaced_call(const Expr& e) {
    const std::string ns = qualified_name(*e.target);
    if (ns.empty()) return nullptr;
    const Expr* root = e.target.get();
    while (root->kind == ExprKind::kSelect) root = root->target.get();
    if (root->leading_dot || find_local(root->name) != nullptr || find_param(root->name) >= 0) {
      return nullptr;
    }
    const FunctionRegistry& registry = c_.env_.registry();
    const std::string qualified = ns + "." + e.name;
    if (registry.has_function(qualified)) {
      std::vector<const Type*> args;
      for (const auto& a : e.args) args.push_back(check(*a));
      return resolve_overloads(e, args, qualified, false, true);
    }
    const bool declared = c_.env_.lookup(root->name).kind != Env::NameKind::kNone ||
                          (scope_ != nullptr && scope_->count(root->name) != 0);
    if (declared) return nullptr;
    std::vector<std::string> in_namespace;
    for (const auto& name : registry.function_names()) {
      if (name.size() > ns.size() + 1 && name.compare(0, ns.size() + 1, ns + ".") == 0 &&
          name.find('@') == std::string::npos) {
        in_namespace.push_back(name);
      }
    }
    if (in_namespace.empty()) return nullptr;
    for (const auto& a : e.args) check(*a);
    ref(e) = make_ref(RefKind::kError);
    if (!strict()) return types::dyn();
    std::string hint = base::did_you_mean(qualified, in_namespace);
    if (hint.empty()) {
      hint = "the " + ns + " functions are ";
      for (std::size_t i = 0; i < in_namespace.size(); ++i) {
        hint += (i == 0 ? "" : ", ") + in_namespace[i];
      }
    }
    error(e, "cel.undeclared-function", "undeclared function '" + qualified + "'", hint);
    return types::error();
  }

  const Type* check_logic(const Expr& e) {
    for (const auto& a : e.args) {
      const Type* t = check(*a);
      if (strict() && t->kind != TypeKind::kBool && !is_dyn_or_error(t) &&
          t->kind != TypeKind::kParam) {
        error(*a, "cel.type-mismatch",
              "operand of '" + display_name(e.name) + "' must be a bool, not " + type_name(t), {},
              a->begin, a->end - a->begin);
      }
    }
    return types::boolean();
  }

  const Type* check_conditional(const Expr& e) {
    const Type* cond = check(*e.args[0]);
    if (strict() && cond->kind != TypeKind::kBool && !is_dyn_or_error(cond)) {
      error(*e.args[0], "cel.type-mismatch",
            "condition of '?:' must be a bool, not " + type_name(cond), {}, e.args[0]->begin,
            e.args[0]->end - e.args[0]->begin);
    }
    const Type* a = check(*e.args[1]);
    const Type* b = check(*e.args[2]);
    // `has(case.contacts) ? case.contacts : []` is how rules read a list the snapshot may
    // leave out: the empty literal takes the other branch's type, so fields of the items
    // stay checked against the schema instead of becoming dyn.
    if (is_empty_literal_of(*e.args[2], a)) return a;
    if (is_empty_literal_of(*e.args[1], b)) return b;
    if (strict() && !branches_agree(a, b)) {
      // null stands only for the types that accept it (accepts_null): `c ? 1 : null` would
      // check as an int and then fail where it is used, `(c ? 1 : null) + 1`.
      const bool null_branch = a->kind == TypeKind::kNull || b->kind == TypeKind::kNull;
      error(e, "cel.type-mismatch",
            "the two branches of '?:' must have the same type, not " + type_name(a) + " and " +
                type_name(b),
            null_branch ? "null stands only for an object, a timestamp, a duration, a date or an "
                          "optional: give the other case a value of the same type (0, \"\", [])"
                        : "convert one branch, e.g. double(x) or string(x), so that both give "
                          "the same type",
            e.args[1]->begin, e.args[2]->end - e.args[1]->begin);
      return types::error();
    }
    return join_types(store(), a, b);
  }

  // `[]` for a list type, `{}` for a map type.
  static bool is_empty_literal_of(const Expr& e, const Type* t) {
    return (e.kind == ExprKind::kList && e.args.empty() && t->kind == TypeKind::kList) ||
           (e.kind == ExprKind::kMap && e.entries.empty() && t->kind == TypeKind::kMap);
  }

  const Type* check_rule_ref(const Expr& e) {
    for (const auto& a : e.args) check(*a);
    if (e.args.size() != 1 || e.args[0]->kind != ExprKind::kLiteral ||
        e.args[0]->constant.kind != ConstantKind::kString) {
      error(e, "cel.rule-reference",
            c_.env_.rule_function() + "() takes one rule id written as a string literal, e.g. " +
                c_.env_.rule_function() + "(\"assessment.overdue\")",
            {}, e.begin, e.end - e.begin);
      ref(e) = make_ref(RefKind::kError);
      return types::boolean();
    }
    const std::string& id = e.args[0]->constant.string_value;
    std::uint32_t index;
    if (!c_.env_.find_rule(id, &index)) {
      error(*e.args[0], "cel.unknown-rule", "unknown rule '" + id + "'",
            base::did_you_mean(id, c_.env_.rules()), e.args[0]->begin,
            e.args[0]->end - e.args[0]->begin);
      ref(e) = make_ref(RefKind::kError);
      return types::boolean();
    }
    ref(e) = make_ref(RefKind::kRule, index);
    tree_.rules_used.insert(index);
    return types::boolean();
  }

  const Type* check_user_call(const Expr& e, const FunctionDecl& f, std::uint32_t index) {
    std::vector<const Type*> args;
    if (e.target) args.push_back(check(*e.target));
    for (const auto& a : e.args) args.push_back(check(*a));
    if (args.size() != f.params.size()) {
      error(e, "cel.wrong-arity",
            "function '" + f.name + "' takes " + std::to_string(f.params.size()) +
                " argument(s), not " + std::to_string(args.size()),
            {}, e.offset, static_cast<std::uint32_t>(e.name.size()));
      ref(e) = make_ref(RefKind::kError);
      return types::error();
    }
    FunctionInstance* inst = c_.instantiate(index, args, &e, tree_.source);
    if (inst == nullptr) {
      ref(e) = make_ref(RefKind::kError);
      return types::error();
    }
    ref(e) = make_ref(RefKind::kFunction, static_cast<std::uint32_t>(c_.instance_index(inst)));
    tree_.instances_used.insert(static_cast<std::uint32_t>(c_.instance_index(inst)));
    tree_.rules_used.insert(inst->tree.rules_used.begin(), inst->tree.rules_used.end());
    return inst->result;
  }

  const Type* resolve_overloads(const Expr& e, const std::vector<const Type*>& args,
                                const std::string& function, bool member, bool qualified = false) {
    const auto& candidates = c_.env_.registry().find(function, member, args.size());
    Ref r = make_ref(RefKind::kOverloads);
    r.qualified = qualified;
    const Type* result = nullptr;
    bool mixed = false;
    const bool any_error = std::any_of(args.begin(), args.end(),
                                       [](const Type* t) { return t->kind == TypeKind::kError; });
    for (const Overload* o : candidates) {
      Substitution subst;
      bool ok = true;
      for (std::size_t i = 0; i < args.size() && ok; ++i)
        ok = unify(store(), o->params[i], args[i], subst);
      if (!ok) continue;
      r.overloads.push_back(o);
      const Type* res = substitute(store(), o->result, subst);
      if (result == nullptr) {
        result = res;
      } else if (!same_type(result, res)) {
        mixed = true;
      }
    }
    // Equality and inequality also accept null against anything, and numbers of
    // different kinds (CEL compares them by value).
    if (r.overloads.empty() && (e.name == "_==_" || e.name == "_!=_") && args.size() == 2) {
      const bool null_side = args[0]->kind == TypeKind::kNull || args[1]->kind == TypeKind::kNull;
      if (null_side || (is_numeric(args[0]) && is_numeric(args[1]))) {
        r.overloads = candidates;
        result = types::boolean();
      }
    }
    // Indexing a dyn value: whether it is a list or a map is known only at run time, and
    // a list takes a whole double or uint index too (`xs[dyn(0.0)]`, as CEL requires), so
    // keep both forms; a static double index would otherwise leave only the map form.
    if (e.name == "_[_]" && args.size() == 2 && args[0]->kind == TypeKind::kDyn &&
        (args[1]->kind == TypeKind::kDouble || args[1]->kind == TypeKind::kUint) &&
        !r.overloads.empty()) {
      r.overloads = candidates;
      result = types::dyn();
      mixed = false;
    }
    if (r.overloads.empty()) {
      if (!strict() || any_error) {
        r.overloads = candidates;
        ref(e) = r;
        if (candidates.empty() && !any_error && strict()) {
          report_unknown_function(e, function, member);
        }
        return types::dyn();
      }
      if (candidates.empty()) {
        report_unknown_function(e, function, member);
      } else {
        report_no_overload(e, function, args, candidates);
      }
      ref(e) = make_ref(RefKind::kError);
      return types::error();
    }
    ref(e) = r;
    return mixed ? types::dyn() : result;
  }

  void report_unknown_function(const Expr& e, const std::string& function, bool member) {
    const auto& registry = c_.env_.registry();
    if (registry.has_function(function)) {
      // Right name, wrong form or number of arguments.
      error(e, "cel.wrong-arity",
            "no form of '" + display_function(function) + "' takes " +
                std::to_string(e.args.size() + (member ? 1 : 0)) + " argument(s)" +
                (member ? " as a member call" : ""));
      return;
    }
    std::vector<std::string> names;
    for (auto& name : registry.function_names()) {
      if (name.find('@') == std::string::npos) names.push_back(std::move(name));
    }
    for (const auto& f : c_.env_.functions()) names.push_back(f.name);
    if (!c_.env_.rules().empty()) names.push_back(c_.env_.rule_function());
    std::string hint = base::did_you_mean(e.name, names);
    if (hint.empty()) hint = familiar_function_hint(e.name);
    error(e, "cel.undeclared-function", "undeclared function '" + e.name + "'", hint);
  }

  // Names a policy lead brings from spreadsheets, SQL or other languages, with what CEL
  // (and safeguard) call them.
  static std::string familiar_function_hint(const std::string& name) {
    static const std::pair<const char*, const char*> kFamiliar[] = {
        {"len", "write size(x) for the number of items in a list (or characters in text)"},
        {"length", "write size(x) for the number of items in a list (or characters in text)"},
        {"count",
         "write size(x) for the number of items in a list, size(l.filter(x, ...)) to count "
         "matches"},
        {"today", "rules never read the clock: use as_of, the date the case is evaluated as of"},
        {"now", "rules never read the clock: use as_of, the date the case is evaluated as of"},
        {"NOT", "write !(...) or not (...)"},
        {"datediff", "write days_between(a, b) or working_days_between(a, b)"},
        {"date_diff", "write days_between(a, b) or working_days_between(a, b)"},
    };
    for (const auto& f : kFamiliar) {
      if (name == f.first) return f.second;
    }
    return {};
  }

  static bool date_duration(const std::vector<const Type*>& args) {
    return args.size() == 2 &&
           ((args[0]->kind == TypeKind::kDate && args[1]->kind == TypeKind::kDuration) ||
            (args[0]->kind == TypeKind::kDuration && args[1]->kind == TypeKind::kDate));
  }

  // math.@max and math.@min are what math.greatest and math.least expand to.
  static std::string display_function(const std::string& function) {
    if (function == "math.@max") return "math.greatest";
    if (function == "math.@min") return "math.least";
    return function;
  }

  void report_no_overload(const Expr& e, const std::string& function,
                          const std::vector<const Type*>& args,
                          const std::vector<const Overload*>& candidates) {
    std::string arg_list;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i > 0) arg_list += ", ";
      arg_list += type_name(args[i]);
    }
    std::string message;
    std::string hint;
    if (is_operator(e.name)) {
      if (args.size() == 2) {
        message = "cannot apply '" + display_name(e.name) + "' to " + type_name(args[0]) + " and " +
                  type_name(args[1]);
      } else {
        message = "cannot apply '" + display_name(e.name) + "' to " + arg_list;
      }
      const bool date_string =
          args.size() == 2 &&
          ((args[0]->kind == TypeKind::kDate && args[1]->kind == TypeKind::kString) ||
           (args[0]->kind == TypeKind::kString && args[1]->kind == TypeKind::kDate));
      const bool date_number =
          args.size() == 2 && ((args[0]->kind == TypeKind::kDate && is_numeric(args[1])) ||
                               (is_numeric(args[0]) && args[1]->kind == TypeKind::kDate));
      if (date_string) {
        hint = "convert the text to a date first, e.g. date(x.received_at)";
      } else if ((date_number || date_duration(args)) && (e.name == "_+_" || e.name == "_-_")) {
        hint =
            "move a date with add_days(d, n), add_working_days(d, n) or add_months(d, n) (n may "
            "be negative); count the days between two dates with days_between(a, b)";
      } else if (date_number) {
        hint =
            "a date cannot be compared with a number; to count days use add_days(), "
            "days_between() or working_days_between()";
      } else if (args.size() == 2 &&
                 ((is_numeric(args[0]) && args[1]->kind == TypeKind::kString) ||
                  (args[0]->kind == TypeKind::kString && is_numeric(args[1])))) {
        hint = e.name == "_+_"
                   ? "to put a number into text convert it first: \"...\" + string(n)"
                   : "numbers and text do not mix: write numbers without quotes (a "
                     "param too: value: 5, not \"5\"), or convert the text with int(...) or "
                     "double(...)";
      }
    } else {
      message = "no matching overload for '" + display_function(function) + "' applied to (" +
                arg_list + ")";
      std::string forms;
      for (const Overload* o : candidates) {
        if (!forms.empty()) forms += "; ";
        forms += signature_text(*o);
      }
      hint = "accepted forms: " + forms;
      if (function == "contains" && !args.empty() && args[0]->kind == TypeKind::kList) {
        hint =
            "to test whether a list holds a value write `value in list`, e.g. \"neglect\" in "
            "c.concerns; contains() is for text";
      }
    }
    if (refused_for_null(args, candidates)) {
      hint = std::string(
                 "null stands only for an object, a timestamp, a duration, a date or an "
                 "optional: ") +
             (e.name == "@in"    ? "to ask whether a list holds null write l.exists(x, x == null)"
              : e.name == "_[_]" ? "index a map with a key of its key type"
                                 : "give a value of the other argument's type");
    }
    error(e, "cel.no-matching-overload", message, hint);
  }

  // Whether a form would take the arguments if null bound a type parameter beside any
  // type, as it did here before the checker followed cel-go (`null in [1, 2]`).
  bool refused_for_null(const std::vector<const Type*>& args,
                        const std::vector<const Overload*>& candidates) {
    for (const Overload* o : candidates) {
      Substitution subst;
      bool ok = true;
      for (std::size_t i = 0; i < args.size() && ok; ++i)
        ok = unify_null_with_any(store(), o->params[i], args[i], subst);
      if (ok) return true;
    }
    return false;
  }

  // --- aggregates ---------------------------------------------------------------------
  const Type* check_list(const Expr& e) {
    const Type* elem = nullptr;
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      const Expr& a = *e.args[i];
      const Type* t = check(a);
      if (std::find(e.optional_indices.begin(), e.optional_indices.end(), i) !=
          e.optional_indices.end()) {
        t = optional_entry(a, t, "element");
      }
      elem = elem == nullptr ? t : join_types(store(), elem, t);
    }
    return store().list(elem == nullptr ? types::dyn() : elem);
  }

  const Type* check_map(const Expr& e) {
    const Type* key = nullptr;
    const Type* value = nullptr;
    for (const auto& entry : e.entries) {
      const Type* k = check(*entry.key);
      const Type* v = check(*entry.value);
      if (entry.optional) v = optional_entry(*entry.value, v, "entry's value");
      if (strict() &&
          !(k->kind == TypeKind::kString || k->kind == TypeKind::kInt ||
            k->kind == TypeKind::kUint || k->kind == TypeKind::kBool || is_dyn_or_error(k))) {
        error(*entry.key, "cel.invalid-map-key",
              "map keys must be strings, integers or booleans, not " + type_name(k), {},
              entry.key->begin, entry.key->end - entry.key->begin);
      }
      key = key == nullptr ? k : join_types(store(), key, k);
      value = value == nullptr ? v : join_types(store(), value, v);
    }
    return store().map(key == nullptr ? types::dyn() : key,
                       value == nullptr ? types::dyn() : value);
  }

  // `?x` in a list literal, `?k: x` in a map literal: x must be an optional, and what the
  // literal holds is its value.
  const Type* optional_entry(const Expr& a, const Type* t, const char* what) {
    if (t->kind == TypeKind::kOptional) return t->p1;
    if (strict() && !is_dyn_or_error(t) && t->kind != TypeKind::kParam) {
      error(a, "cel.type-mismatch",
            std::string("an optional ") + what + " ('?') must be an optional, not " + type_name(t),
            "e.g. [?m.?key] or {?'k': optional.of(x)}; leave out the '?' for a plain value",
            a.begin, a.end - a.begin);
      return types::error();
    }
    return types::dyn();
  }

  // For the one- and two-variable macros alike: a range that is no list or map...
  void report_not_iterable(const Expr& e, const Type* range) {
    if (!strict()) return;
    error(*e.target, "cel.not-iterable",
          "cannot iterate over a value of type " + type_name(range) +
              " (macros need a list or a map)",
          {}, e.target->begin, e.target->end - e.target->begin);
  }

  // ... and a condition (the macro's first argument) that is no bool.
  void check_macro_condition(const Expr& e, const Type* condition) {
    if (!strict() || condition->kind == TypeKind::kBool || is_dyn_or_error(condition)) return;
    error(*e.args[0], "cel.type-mismatch",
          "the condition of this macro must be a bool, not " + type_name(condition), {},
          e.args[0]->begin, e.args[0]->end - e.args[0]->begin);
  }

  const Type* check_comprehension(const Expr& e) {
    if (!e.name2.empty()) return check_comprehension2(e);
    const Type* range = check(*e.target);
    const Type* var = types::dyn();
    switch (range->kind) {
      case TypeKind::kList:
        var = range->p1;
        break;
      case TypeKind::kMap:
        var = range->p1;
        break;
      case TypeKind::kObject:
        var = types::string();
        break;
      case TypeKind::kDyn:
      case TypeKind::kError:
      case TypeKind::kParam:
        break;
      default:
        report_not_iterable(e, range);
        break;
    }
    locals_.push_back(Local{e.name, &e, var});
    std::vector<const Type*> arg_types;
    for (const auto& a : e.args) arg_types.push_back(check(*a));
    locals_.pop_back();

    if (e.macro != MacroKind::kMap || e.args.size() == 2) check_macro_condition(e, arg_types[0]);
    switch (e.macro) {
      case MacroKind::kAll:
      case MacroKind::kExists:
      case MacroKind::kExistsOne:
        return types::boolean();
      case MacroKind::kFilter:
        return store().list(var);
      case MacroKind::kMap:
        return store().list(arg_types.back());
      case MacroKind::kTransformList:
      case MacroKind::kTransformMap:
      case MacroKind::kTransformMapEntry:
        break;  // two-variable only
    }
    return types::dyn();
  }

  // The two-variable macros: over a list the variables are the index (int) and the
  // element; over a map, the key and the value.
  const Type* check_comprehension2(const Expr& e) {
    const Type* range = check(*e.target);
    const Type* first = types::dyn();
    const Type* second = types::dyn();
    switch (range->kind) {
      case TypeKind::kList:
        first = types::int64();
        second = range->p1;
        break;
      case TypeKind::kMap:
        first = range->p1;
        second = range->p2;
        break;
      case TypeKind::kObject:
        first = types::string();
        break;
      case TypeKind::kDyn:
      case TypeKind::kError:
      case TypeKind::kParam:
        break;
      default:
        report_not_iterable(e, range);
        break;
    }
    locals_.push_back(Local{e.name, &e, first, 0});
    locals_.push_back(Local{e.name2, &e, second, 1});
    std::vector<const Type*> arg_types;
    for (const auto& a : e.args) arg_types.push_back(check(*a));
    locals_.pop_back();
    locals_.pop_back();

    const bool transform = e.macro == MacroKind::kTransformList ||
                           e.macro == MacroKind::kTransformMap ||
                           e.macro == MacroKind::kTransformMapEntry;
    if (!transform || e.args.size() == 2) check_macro_condition(e, arg_types[0]);
    const Type* out = arg_types.back();
    switch (e.macro) {
      case MacroKind::kTransformList:
        return store().list(out);
      case MacroKind::kTransformMap:
        return store().map(range->kind == TypeKind::kList ? types::int64() : first, out);
      case MacroKind::kTransformMapEntry:
        if (out->kind == TypeKind::kMap) return out;
        if (strict() && !is_dyn_or_error(out) && out->kind != TypeKind::kParam) {
          const Expr& t = *e.args.back();
          error(t, "cel.type-mismatch",
                "transformMapEntry() needs a map of the entries to add, not " + type_name(out),
                "e.g. m.transformMapEntry(k, v, {v: k})", t.begin, t.end - t.begin);
          return types::error();
        }
        return store().map(types::dyn(), types::dyn());
      default:
        return types::boolean();
    }
  }

  const Type* check_bind(const Expr& e) {
    const Type* init = check(*e.args[0]);
    locals_.push_back(Local{e.name, &e, init});
    const Type* body = check(*e.args[1]);
    locals_.pop_back();
    return body;
  }

  // o.optMap(v, e): optional_type(type of e); o.optFlatMap(v, e): e, itself an optional.
  const Type* check_opt_map(const Expr& e) {
    const bool flat = e.kind == ExprKind::kOptFlatMap;
    const char* macro = flat ? "optFlatMap()" : "optMap()";
    const Type* target = check(*e.target);
    const Type* held = types::dyn();
    if (target->kind == TypeKind::kOptional) {
      held = target->p1;
    } else if (target->kind == TypeKind::kError) {
      held = types::error();
    } else if (strict() && !is_dyn_or_error(target) && target->kind != TypeKind::kParam) {
      error(*e.target, "cel.type-mismatch",
            std::string(macro) + " needs an optional, not " + type_name(target),
            "e.g. m.?key." + std::string(flat ? "optFlatMap(v, v.?inner)" : "optMap(v, v + 1)"),
            e.target->begin, e.target->end - e.target->begin);
    }
    locals_.push_back(Local{e.name, &e, held});
    const Type* body = check(*e.args[0]);
    locals_.pop_back();
    if (!flat) return body->kind == TypeKind::kError ? body : store().optional(body);
    if (body->kind == TypeKind::kOptional || body->kind == TypeKind::kError) return body;
    if (strict() && !is_dyn_or_error(body) && body->kind != TypeKind::kParam) {
      const Expr& b = *e.args[0];
      error(b, "cel.type-mismatch", "optFlatMap() needs an optional result, not " + type_name(body),
            "use optMap() to wrap a plain value, or give an optional, e.g. v.?inner", b.begin,
            b.end - b.begin);
      return types::error();
    }
    return store().optional(types::dyn());
  }

  Checker& c_;
  CheckedTree& tree_;
  const FunctionInstance* instance_;
  const Scope* scope_;
  std::vector<Local> locals_;
};

// -------------------------------------------------------------------------------------

Checker::Checker(Env& env, CheckOptions options) : env_(env), options_(options) {
  definitions_.resize(env_.definitions().size());
  definition_state_.assign(env_.definitions().size(), 0);
}

Checker::~Checker() = default;

bool Checker::has_errors() const {
  return std::any_of(issues_.begin(), issues_.end(),
                     [](const CheckIssue& i) { return i.issue.severity == Severity::kError; });
}

const CheckedTree* Checker::check(const ParsedExpr& ast, SourceId source, const Scope* scope) {
  roots_.emplace_back();
  CheckedTree& tree = roots_.back();
  tree.ast = &ast;
  tree.source = source;
  if (ast.root) {
    Run run(*this, tree, nullptr, scope);
    run.check(*ast.root);
  }
  return &tree;
}

const CheckedTree* Checker::definition(std::uint32_t index) const {
  if (index >= definitions_.size() || definition_state_[index] != 2) return nullptr;
  return definitions_[index].get();
}

void Checker::report(SourceId source, const Expr* at, std::string code, std::string message,
                     std::string hint) {
  base::Issue issue;
  issue.code = std::move(code);
  issue.offset = at != nullptr ? at->offset : 0;
  issue.length =
      at != nullptr ? static_cast<std::uint32_t>(std::max<std::size_t>(at->name.size(), 1)) : 1;
  issue.message = std::move(message);
  issue.hint = std::move(hint);
  issues_.push_back(CheckIssue{source, std::move(issue)});
}

const CheckedTree* Checker::check_definition(std::uint32_t index, const Expr* use, SourceId from) {
  if (index >= definitions_.size()) {
    definitions_.resize(env_.definitions().size());
    definition_state_.resize(env_.definitions().size(), 0);
  }
  const DefinitionDecl& decl = env_.definitions()[index];
  if (definition_state_[index] == 2) return definitions_[index].get();
  if (definition_state_[index] == 1) {
    // A rule's facts are definitions named "rule.id#fact" (see the rule-set linker).
    const std::size_t hash = decl.name.find('#');
    if (hash == std::string::npos) {
      report(
          from, use, "cel.cycle",
          "definition '" + decl.name + "' refers to itself (directly or through other definitions)",
          "break the cycle: a definition cannot use its own value");
    } else {
      report(from, use, "cel.cycle",
             "fact '" + decl.name.substr(hash + 1) + "' of rule '" + decl.name.substr(0, hash) +
                 "' refers to itself (directly or through other facts)",
             "break the cycle: a fact cannot use its own value");
    }
    return nullptr;
  }
  if (depth_ >= options_.max_reference_depth) {
    report(from, use, "cel.limit",
           "definitions and functions refer to one another too deeply (the limit is " +
               std::to_string(options_.max_reference_depth) + ")");
    return nullptr;
  }
  definition_state_[index] = 1;
  auto tree = std::make_unique<CheckedTree>();
  tree->ast = decl.ast;
  tree->source = decl.source;
  if (decl.ast != nullptr && decl.ast->root) {
    ++depth_;
    Run run(*this, *tree, nullptr, decl.scope);
    run.check(*decl.ast->root);
    --depth_;
  }
  definitions_[index] = std::move(tree);
  definition_state_[index] = 2;
  return definitions_[index].get();
}

const CheckedTree* Checker::ensure_definition(std::uint32_t index) {
  return check_definition(index, nullptr, env_.definitions()[index].source);
}

void Checker::ensure_function(std::uint32_t index) {
  for (const auto& inst : instances_) {
    if (inst->function == index) return;
  }
  const FunctionDecl& decl = env_.functions()[index];
  std::vector<const Type*> args(decl.params.size(), types::dyn());
  instantiate(index, args, nullptr, decl.source);
}

std::size_t Checker::instance_index(const FunctionInstance* inst) const {
  for (std::size_t i = 0; i < instances_.size(); ++i) {
    if (instances_[i].get() == inst) return i;
  }
  return 0;
}

FunctionInstance* Checker::instantiate(std::uint32_t function, const std::vector<const Type*>& args,
                                       const Expr* use, SourceId from) {
  for (auto& inst : instances_) {
    if (inst->function != function || inst->param_types.size() != args.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < args.size() && same; ++i)
      same = same_type(inst->param_types[i], args[i]);
    if (!same) continue;
    if (!inst->done) {
      report(from, use, "cel.recursion",
             "function '" + env_.functions()[function].name + "' calls itself",
             "CEL functions here cannot be recursive");
      return nullptr;
    }
    return inst.get();
  }
  if (depth_ >= options_.max_reference_depth) {
    report(from, use, "cel.limit",
           "definitions and functions refer to one another too deeply (the limit is " +
               std::to_string(options_.max_reference_depth) + ")");
    return nullptr;
  }
  // Any instance of the same function still being checked means recursion, whatever
  // the argument types.
  for (auto& inst : instances_) {
    if (inst->function == function && !inst->done) {
      report(from, use, "cel.recursion",
             "function '" + env_.functions()[function].name + "' calls itself",
             "CEL functions here cannot be recursive");
      return nullptr;
    }
  }
  const FunctionDecl& decl = env_.functions()[function];
  auto inst = std::make_unique<FunctionInstance>();
  inst->function = function;
  inst->param_types = args;
  inst->tree.ast = decl.body;
  inst->tree.source = decl.source;
  FunctionInstance* raw = inst.get();
  instances_.push_back(std::move(inst));
  if (decl.body != nullptr && decl.body->root) {
    ++depth_;
    Run run(*this, raw->tree, raw);
    raw->result = run.check(*decl.body->root);
    --depth_;
  } else {
    raw->result = types::error();
  }
  raw->done = true;
  return raw;
}

}  // namespace safeguard::cel
