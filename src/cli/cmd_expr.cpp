// safeguard expr [--vars JSON] [--as-of DATE] [--calendar NAME] EXPR
#include <iostream>

#include "cli.hpp"
#include "options.hpp"
#include "safeguard/expr.hpp"

namespace safeguard::cli {

namespace {

constexpr const char* kUsage =
    "usage: safeguard expr [--vars JSON] [--as-of DATE] [--calendar NAME] EXPR\n"
    "\n"
    "Evaluates one CEL expression and prints its value as JSON.\n"
    "  --vars JSON       a JSON object whose members become variables\n"
    "  --vars-file FILE  the same, read from a file\n"
    "  --as-of DATE      declares the variable as_of (YYYY-MM-DD)\n"
    "  --calendar NAME   working-day calendar (default england-and-wales)\n"
    "  --calendars DIR   where calendar files are (default: the shipped rules/calendars)\n"
    "  --type            print the value's CEL type after the value\n"
    "  --                ends the options: the next argument is the expression even if it\n"
    "                    starts with -- (safeguard expr -- '--1')\n"
    "Exit codes: 0 value printed; 1 syntax, type or evaluation error; 2 usage error.\n";

}  // namespace

int run_expr(const Args& args) {
  std::string vars;
  std::string as_of;
  std::string calendar_name = "england-and-wales";
  std::string calendars_dir;
  std::string expression;
  bool have_expression = false;
  bool print_type = false;
  const CommandLine command_line{
      "expr",
      kUsage,
      {
          {{"--vars"}, true, store(vars)},
          {{"--vars-file"},
           true,
           [&](const std::string& v) {
             std::string reason;
             return read_file(v, &vars, &reason) ? Handled() : "--vars-file " + v + " " + reason;
           }},
          {{"--as-of"}, true, store(as_of)},
          {{"--calendar"}, true, store(calendar_name)},
          {{"--calendars"}, true, store(calendars_dir)},
          {{"--type"}, false, assign(print_type, true)},
      },
      one_argument(expression, have_expression, "give the expression as one argument (quote it)"),
      // "-1 + 2" is an expression, not an option.
      [](const std::string& a) { return a.size() > 1 && a[0] == '-' && a[1] == '-'; }};
  if (const int done = command_line.parse(args); done >= 0) return done;
  if (!have_expression) return usage_error("expr", "no expression given", kUsage);

  ExprOptions options;
  options.as_of = as_of;
  if (calendars_dir.empty()) {
    const std::string rules = shipped_rules_directory();
    if (!rules.empty()) calendars_dir = rules + "/calendars";
  }
  if (!calendars_dir.empty()) {
    CalendarSetLoad loaded = Calendar::load_directory(calendars_dir);
    if (has_errors(loaded.diagnostics)) {
      std::cerr << format(loaded.diagnostics);
      return kExitUsage;
    }
    options.calendars = loaded.calendars;
    for (const auto& c : loaded.calendars) {
      if (c->name() == calendar_name) options.calendar = c;
    }
    if (!options.calendar && args.size() > 0) {
      // A calendar named on the command line must exist; the default may be missing.
      for (const auto& a : args) {
        if (a == "--calendar" || a.rfind("--calendar=", 0) == 0) {
          return usage_error(
              "expr", "no calendar named '" + calendar_name + "' in " + calendars_dir, kUsage);
        }
      }
    }
  }

  const ExprResult result = evaluate_expression(expression, vars, options);
  switch (result.status) {
    case ExprResult::Status::kOk:
      std::cout << result.value_json;
      if (print_type) std::cout << "  (" << result.type << ")";
      std::cout << "\n";
      return kExitOk;
    case ExprResult::Status::kInputError:
      std::cerr << format(result.diagnostics);
      return kExitUsage;
    default:
      std::cerr << format(result.diagnostics);
      return kExitFailure;
  }
}

}  // namespace safeguard::cli
