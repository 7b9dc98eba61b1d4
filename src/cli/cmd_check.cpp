// safeguard check RULES
#include <iostream>

#include "cli.hpp"
#include "options.hpp"
#include "safeguard/rule_set.hpp"

namespace safeguard::cli {

namespace {

constexpr const char* kUsage =
    "usage: safeguard check [--werror] [--quiet] RULES\n"
    "\n"
    "Loads the rule set in directory RULES and prints every error and warning as\n"
    "file:line:col with the offending line and a hint.\n"
    "  --werror   treat warnings as errors\n"
    "  --quiet    print only the summary line\n"
    "Exit codes: 0 no errors; 2 errors (or usage errors).\n";

}  // namespace

int run_check(const Args& args) {
  std::string rules;
  bool werror = false;
  bool quiet = false;
  const CommandLine command_line{"check",
                                 kUsage,
                                 {
                                     {{"--werror"}, false, assign(werror, true)},
                                     {{"--quiet"}, false, assign(quiet, true)},
                                 },
                                 [&](const std::string& a) {
                                   if (!rules.empty())
                                     return Handled("give one rule set directory");
                                   rules = a;
                                   return Handled();
                                 },
                                 {}};
  if (const int done = command_line.parse(args); done >= 0) return done;
  if (rules.empty()) return usage_error("check", "no rule set directory given", kUsage);
  LoadOptions options;
  options.warnings_as_errors = werror;
  const LoadResult loaded = RuleSet::load(rules, options);
  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const auto& d : loaded.diagnostics) {
    (d.severity == Severity::kError ? errors : warnings) += d.severity == Severity::kNote ? 0 : 1;
  }
  if (!quiet) std::cerr << format(loaded.diagnostics);
  if (loaded.ok()) {
    const auto rule_list = loaded.rule_set->rules();
    std::cerr << rules << ": " << rule_list.size() << " rules and thresholds, " << errors
              << " error(s), " << warnings << " warning(s); fingerprint "
              << loaded.rule_set->info().fingerprint << "\n";
    return kExitOk;
  }
  std::cerr << rules << ": " << errors << " error(s), " << warnings << " warning(s)\n";
  return kExitUsage;
}

}  // namespace safeguard::cli
