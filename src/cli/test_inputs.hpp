// Inputs of a `safeguard test` run: the test files named on the command line and the rule
// sets they run against, each loaded once per calendar.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "safeguard/rule_set.hpp"
#include "test_model.hpp"

namespace safeguard::cli::test {

// Whether `path` is a rule set directory (holds a ruleset.yaml).
bool is_rule_set(const std::string& path);

// Test files named, or found under named directories (each directory's *.test.yaml,
// recursively, sorted by path), without duplicates. False with a reason when a path does
// not exist or cannot be listed.
bool collect_test_files(const std::vector<std::string>& paths, std::vector<std::string>* files,
                        std::string* problem);

// Rule sets by directory and default calendar, loaded once each.
class RuleSets {
 public:
  explicit RuleSets(std::string default_calendar)
      : default_calendar_(std::move(default_calendar)) {}

  // The rule set with the manifest's calendar (or --calendar). Null when it does not load,
  // after printing its diagnostics to stderr once.
  const RuleSet* base(const std::string& dir);

  // The rule set with another default calendar (base() for ""); null with errors located
  // at `where` when the calendar is unknown.
  const RuleSet* with_calendar(const std::string& dir, const std::string& calendar,
                               const Where& where, std::vector<TestError>* errors);

 private:
  const LoadResult& load(const std::string& dir, const std::string& calendar);

  std::string default_calendar_;
  std::map<std::pair<std::string, std::string>, LoadResult> cache_;
  std::set<std::string> reported_;
};

}  // namespace safeguard::cli::test
