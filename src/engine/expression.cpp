// safeguard::evaluate_expression: one CEL expression, parsed, checked and evaluated.
#include "safeguard/expr.hpp"

#include "base/source.hpp"
#include "cel/check/checker.hpp"
#include "cel/compile/planner.hpp"
#include "cel/lib/type_values.hpp"
#include "cel/parse/parser.hpp"
#include "cel/value/describe.hpp"
#include "cel/value/to_json.hpp"
#include "engine/calendar_set.hpp"
#include "snapshot/parsed_json.hpp"
#include "time/date.hpp"

namespace safeguard {

namespace {

ExprResult failure(ExprResult::Status status, Diagnostic d) {
  ExprResult r;
  r.status = status;
  r.diagnostics.push_back(std::move(d));
  return r;
}

Diagnostic plain(std::string code, std::string file, std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.file = std::move(file);
  d.message = std::move(message);
  return d;
}

bool blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

std::string value_type_name(const cel::Value& v) {
  switch (v.kind) {
    case cel::ValueKind::kTimestamp:
      return "timestamp";
    case cel::ValueKind::kDuration:
      return "duration";
    default:
      return cel::runtime_type_name(v);
  }
}

}  // namespace

ExprResult evaluate_expression(std::string_view expression, std::string_view vars_json,
                               const ExprOptions& options) {
  std::int64_t as_of = 0;
  if (!options.as_of.empty()) {
    const auto day = time::parse_date(options.as_of);
    if (!day) {
      return failure(ExprResult::Status::kInputError,
                     plain("input.as-of", "", "as-of date must be a real date written YYYY-MM-DD"));
    }
    as_of = *day;
  }

  // Variables.
  snapshot::JsonParser json_parser(
      snapshot::JsonLimits{options.limits.max_snapshot_bytes, options.limits.max_json_depth});
  snapshot::ParsedJson vars;
  const bool have_vars = !blank(vars_json);
  if (have_vars) {
    snapshot::JsonError error;
    if (!json_parser.parse(vars_json, vars, &error)) {
      Diagnostic d = plain("input.json", "<vars>", error.message);
      d.line = error.line;
      d.column = error.column;
      return failure(ExprResult::Status::kInputError, std::move(d));
    }
    if (!vars.root_is_object()) {
      return failure(ExprResult::Status::kInputError,
                     plain("input.vars", "<vars>", "variables must be a JSON object"));
    }
  }

  // Parse.
  base::SourceText source("<expr>", std::string(expression));
  cel::ParserOptions parser_options;
  parser_options.max_length = options.limits.max_expression_bytes;
  parser_options.max_depth = options.limits.max_expression_depth;
  cel::ParseResult parsed = cel::parse(expression, parser_options);
  if (!parsed.ok()) {
    ExprResult r;
    r.status = ExprResult::Status::kParseError;
    for (const auto& issue : parsed.issues) r.diagnostics.push_back(source.diagnostic(issue));
    return r;
  }

  // Declare and check.
  cel::Env env;
  std::vector<cel::Value> globals;
  if (have_vars) {
    const cel::JsonDoc* doc = vars.doc();
    const std::uint32_t end = static_cast<std::uint32_t>(doc->tape[doc->root]) - 1;
    for (std::uint32_t k = doc->root + 1; k < end; k = cel::json_after(doc, k + 1)) {
      const std::string name(cel::json_string(doc, k));
      if (env.lookup(name).kind != cel::Env::NameKind::kNone) continue;  // first wins
      env.add_variable(name, cel::types::dyn());
      globals.push_back(cel::json_value(doc, k + 1));
    }
  }
  if (!options.as_of.empty() && env.lookup("as_of").kind == cel::Env::NameKind::kNone) {
    env.add_variable("as_of", cel::types::date());
    globals.push_back(cel::Value::date(as_of));
  }
  cel::Checker checker(env);
  const cel::CheckedTree* tree = checker.check(parsed.expr, 0);
  cel::PlanOptions plan_options;
  plan_options.max_regex_bytes = options.limits.max_regex_bytes;
  cel::Planner planner(env, checker, plan_options);
  if (!checker.has_errors()) planner.add_root(*tree);
  if (checker.has_errors() || !planner.issues().empty()) {
    ExprResult r;
    r.status = ExprResult::Status::kCheckError;
    for (const auto& issue : checker.issues())
      r.diagnostics.push_back(source.diagnostic(issue.issue));
    for (const auto& issue : planner.issues())
      r.diagnostics.push_back(source.diagnostic(issue.issue));
    return r;
  }
  std::unique_ptr<cel::Program> program = planner.finish();

  // Evaluate.
  engine::CalendarSet calendars;
  for (const auto& c : options.calendars) calendars.add(c);
  std::shared_ptr<const time::WorkingCalendar> default_calendar;
  if (options.calendar) {
    calendars.add(options.calendar);
    default_calendar = engine::working_calendar(*options.calendar);
  }
  cel::Frame frame;
  program->prepare(
      frame, cel::EvalLimits{options.limits.max_evaluation_steps,
                             options.limits.max_evaluation_bytes, options.limits.max_regex_bytes});
  for (std::size_t i = 0; i < globals.size(); ++i) frame.slots()[i] = globals[i];
  frame.doc = have_vars ? vars.doc() : nullptr;
  frame.as_of = as_of;
  frame.calendar = default_calendar.get();
  frame.calendars = &calendars;
  const cel::Value value = program->root(0)->eval(frame);

  ExprResult r;
  if (value.is_error()) {
    const cel::ErrorDescription what = cel::describe(*value.error);
    std::string message = "evaluation failed: " + what.message;
    if (!what.path.empty()) message += " (at " + what.path + ")";
    Diagnostic d = plain("cel.eval." + what.kind, "<expr>", message);
    // Point at the operator, call or field where the error arose, when it is known.
    if (const cel::ErrorSite* at = program->error_site(value.error->expr_id)) {
      base::Issue issue;
      issue.code = d.code;
      issue.message = d.message;
      issue.offset = at->offset;
      issue.length = at->end > at->offset ? at->end - at->offset : 1;
      d = source.diagnostic(issue);
    }
    r.status = ExprResult::Status::kEvalError;
    r.diagnostics.push_back(std::move(d));
    return r;
  }
  if (!cel::to_json(value, options.limits.max_evaluation_bytes, r.value_json)) {
    r.value_json.clear();
    r.status = ExprResult::Status::kEvalError;
    r.diagnostics.push_back(plain("cel.eval.memory-exceeded", "<expr>",
                                  "evaluation failed: the result is too large to write (over " +
                                      std::to_string(options.limits.max_evaluation_bytes) +
                                      " bytes as JSON, the evaluation memory limit)"));
    return r;
  }
  r.type = value_type_name(value);
  return r;
}

}  // namespace safeguard
