// safeguard eval --rules RULES --as-of DATE CASE.json...
#include <iostream>

#include "cli.hpp"
#include "options.hpp"
#include "safeguard/rule_set.hpp"

namespace safeguard::cli {

namespace {

constexpr const char* kUsage =
    "usage: safeguard eval --rules RULES --as-of DATE [options] CASE.json...\n"
    "\n"
    "Evaluates case snapshots (JSON files, or - for standard input) against a rule set.\n"
    "  --format text|json  text for people (default), json for machines (one line per case)\n"
    "  --pretty            indent JSON output\n"
    "  --explain           show which parts of each raised or undetermined condition held\n"
    "  --show-values       --explain with the values involved (case data!)\n"
    "  --no-validate       do not check snapshots against the rule set's schema\n"
    "Exit codes: 0 evaluated; 2 usage errors, rule set errors, or a snapshot that is not a\n"
    "JSON object of the rule set's schema.\n";

}  // namespace

int run_eval(const Args& args) {
  std::string rules;
  std::string as_of;
  std::string format_name = "text";
  bool pretty = false;
  EvalOptions options;
  std::vector<std::string> cases;
  const CommandLine command_line{
      "eval",
      kUsage,
      {
          {{"--rules"}, true, store(rules)},
          {{"--as-of"}, true, store(as_of)},
          {{"--format"},
           true,
           [&](const std::string& v) {
             format_name = v;
             return v == "text" || v == "json" ? Handled() : "--format must be text or json";
           }},
          {{"--pretty"}, false, assign(pretty, true)},
          {{"--explain"}, false, assign(options.explain, true)},
          {{"--show-values"}, false, assign(options.show_values, true)},
          {{"--no-validate"}, false, assign(options.validate, false)},
      },
      append_to(cases),
      {}};
  if (const int done = command_line.parse(args); done >= 0) return done;
  if (rules.empty()) return usage_error("eval", "--rules is required", kUsage);
  if (as_of.empty())
    return usage_error("eval", "--as-of is required (results never depend on the clock)", kUsage);
  if (!valid_as_of(as_of))
    return usage_error("eval", "--as-of must be a real date written YYYY-MM-DD", kUsage);
  if (cases.empty()) return usage_error("eval", "no case snapshot given", kUsage);
  if (options.show_values && !options.explain) options.explain = true;
  options.as_of = as_of;

  const LoadResult loaded = RuleSet::load(rules);
  if (!loaded.ok()) {
    std::cerr << format(loaded.diagnostics);
    std::cerr << "safeguard eval: the rule set has errors; run 'safeguard check " << rules << "'\n";
    return kExitUsage;
  }
  int exit_code = kExitOk;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    std::string text;
    std::string reason;
    if (!read_file(cases[k], &text, &reason)) {
      std::cerr << "safeguard eval: " << cases[k] << " " << reason << "\n";
      exit_code = kExitUsage;
      continue;
    }
    Result result = loaded.rule_set->evaluate(text, options);
    // The library cannot know where the text came from; the user wants the file named.
    for (Diagnostic& d : result.errors) {
      if (d.file == "<snapshot>") d.file = cases[k];
    }
    if (!result.evaluated) exit_code = kExitUsage;
    if (format_name == "json") {
      std::cout << result.to_json(pretty) << "\n";
    } else {
      if (cases.size() > 1) std::cout << (k > 0 ? "\n" : "") << "=== " << cases[k] << " ===\n";
      std::cout << to_text(result);
    }
    if (!result.evaluated && format_name == "json") std::cerr << format(result.errors);
  }
  return exit_code;
}

}  // namespace safeguard::cli
