#include "run_case.hpp"

#include <exception>
#include <memory>
#include <vector>

#include "cel/check/checker.hpp"
#include "cel/compile/planner.hpp"
#include "cel/parse/parser.hpp"
#include "cel/value/ops.hpp"
#include "proto_value.hpp"

namespace safeguard::conformance {

namespace json = boost::json;

namespace {

bool flag(const json::object& test, const char* name) {
  const json::value* v = test.if_contains(name);
  return v != nullptr && v->is_bool() && v->as_bool();
}

CaseResult failed(std::string expected, std::string actual) {
  CaseResult r;
  r.expected = std::move(expected);
  r.actual = std::move(actual);
  return r;
}

std::string issues_text(const std::vector<base::Issue>& issues) {
  std::string text;
  for (const auto& issue : issues) {
    if (!text.empty()) text += "; ";
    text += issue.message;
  }
  return text;
}

std::string issues_text(const std::vector<cel::CheckIssue>& issues) {
  std::vector<base::Issue> plain;
  for (const auto& i : issues) plain.push_back(i.issue);
  return issues_text(plain);
}

// What the test expects, in words, and as a value when it expects one.
struct Expectation {
  enum class Kind { kValue, kError, kCheckOnly } kind = Kind::kValue;
  cel::Value value = cel::Value::boolean(true);  // SimpleTest's default is `true`
  const cel::Type* type = nullptr;               // typedResult.deducedType, if given
  std::string text = "true";
};

bool expectation(const json::object& test, cel::ConstantPool& pool, cel::TypeStore& types,
                 Expectation* out, std::string* error) {
  if (test.contains("unknown") || test.contains("anyUnknowns")) {
    *error = "unknown values are not supported";
    return false;
  }
  if (test.contains("evalError") || test.contains("anyEvalErrors")) {
    out->kind = Expectation::Kind::kError;
    out->text = "an evaluation error";
    return true;
  }
  const json::value* value = test.if_contains("value");
  if (const json::value* typed = test.if_contains("typedResult")) {
    const json::object& t = typed->as_object();
    value = t.if_contains("result");
    if (const json::value* deduced = t.if_contains("deducedType")) {
      out->type = to_type(*deduced, types, error);
      if (out->type == nullptr) return false;
    }
  }
  if (flag(test, "checkOnly")) {
    out->kind = Expectation::Kind::kCheckOnly;
    out->text = out->type ? "checks as " + cel::type_name(out->type) : "checks";
    return true;
  }
  if (value != nullptr) {
    if (!to_value(*value, pool, &out->value, error)) return false;
    out->text = render(out->value);
  }
  if (out->type != nullptr) out->text += " of type " + cel::type_name(out->type);
  return true;
}

CaseResult run(const json::object& test) {
  const std::string expr(test.at("expr").as_string());
  cel::ConstantPool pool;  // bindings and expected values
  cel::Env env;
  Expectation expected;
  std::string error;
  if (!expectation(test, pool, env.types(), &expected, &error)) {
    return failed("?", "unsupported test: " + error);
  }

  cel::ParserOptions parser_options;
  parser_options.enable_macros = !flag(test, "disableMacros");
  cel::ParseResult parsed = cel::parse(expr, parser_options);
  if (!parsed.ok()) return failed(expected.text, "parse error: " + issues_text(parsed.issues));

  // Declared variables first, then bindings that were not declared (as dyn).
  std::vector<std::string> names;
  if (const json::value* decls = test.if_contains("typeEnv")) {
    for (const json::value& d : decls->as_array()) {
      const json::object& decl = d.as_object();
      const json::value* ident = decl.if_contains("ident");
      if (ident == nullptr)
        return failed(expected.text, "unsupported declaration " + json::serialize(d));
      const cel::Type* type = to_type(ident->as_object().at("type"), env.types(), &error);
      if (type == nullptr) return failed(expected.text, "unsupported test: " + error);
      const std::string name(decl.at("name").as_string());
      if (env.lookup(name).kind != cel::Env::NameKind::kNone) continue;
      env.add_variable(name, type);
      names.push_back(name);
    }
  }
  const json::object* bindings = nullptr;
  if (const json::value* b = test.if_contains("bindings")) bindings = &b->as_object();
  if (bindings != nullptr) {
    for (const auto& [key, unused] : *bindings) {
      const std::string name(key);
      if (env.lookup(name).kind != cel::Env::NameKind::kNone) continue;
      env.add_variable(name, cel::types::dyn());
      names.push_back(name);
    }
  }

  cel::CheckOptions check_options;
  check_options.strict_types = !flag(test, "disableCheck");
  cel::Checker checker(env, check_options);
  const cel::CheckedTree* tree = checker.check(parsed.expr, 0);
  if (checker.has_errors()) {
    return failed(expected.text, "check error: " + issues_text(checker.issues()));
  }
  const cel::Type* root_type = tree->type_of(*parsed.expr.root);
  if (expected.type != nullptr && root_type != expected.type) {
    return failed(expected.text, "checked type " + cel::type_name(root_type));
  }
  if (expected.kind == Expectation::Kind::kCheckOnly) {
    CaseResult r;
    r.passed = true;
    return r;
  }

  // Bound values live in `pool`; a declared variable with no binding reads as an error.
  std::vector<cel::Value> globals;
  for (const std::string& name : names) {
    const json::value* binding = bindings ? bindings->if_contains(name) : nullptr;
    if (binding == nullptr) {
      globals.push_back(
          cel::make_error(pool.frame(), cel::ErrorCode::kNoSuchKey, "no value bound"));
      continue;
    }
    const json::value* value = binding->as_object().if_contains("value");
    if (value == nullptr) return failed(expected.text, "unsupported binding " + name);
    globals.emplace_back();
    if (!to_value(*value, pool, &globals.back(), &error)) {
      return failed(expected.text, "unsupported binding: " + error);
    }
  }

  // Most tests are constant expressions that the planner folds, so each also runs
  // unfolded and uncached: the evaluator's nodes must give the same answer.
  cel::PlanOptions plain;
  plain.fold_constants = false;
  plain.cache_invariants = false;
  CaseResult r;
  for (const cel::PlanOptions& plan : {cel::PlanOptions{}, plain}) {
    cel::Planner planner(env, checker, plan);
    planner.add_root(*tree);
    if (!planner.issues().empty()) {
      return failed(expected.text, "plan error: " + issues_text(planner.issues()));
    }
    std::unique_ptr<cel::Program> program = planner.finish();
    cel::Frame frame;
    program->prepare(frame, cel::EvalLimits{});
    for (std::size_t i = 0; i < globals.size(); ++i) frame.slots()[i] = globals[i];
    const cel::Value actual = program->root(0)->eval(frame);
    r.expected = expected.text;
    r.actual = render(actual);
    if (expected.kind == Expectation::Kind::kError) {
      r.passed = actual.is_error();
    } else {
      r.passed = !actual.is_error() && identical(actual, expected.value);
    }
    if (!r.passed) {
      if (!plan.fold_constants) r.actual += " (unfolded)";
      return r;
    }
  }
  return r;
}

}  // namespace

CaseResult run_case(const json::object& test) {
  try {
    return run(test);
  } catch (const std::exception& e) {
    return failed("?", std::string("exception: ") + e.what());
  }
}

}  // namespace safeguard::conformance
