// What `safeguard test` reports beyond pass and fail: per-rule coverage and JUnit XML.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "safeguard/rule_set.hpp"
#include "test_model.hpp"

namespace safeguard::cli::test {

// One test's outcome, as the reports need it.
struct TestRecord {
  std::string file;
  std::string name;
  Where where;
  bool passed = false;
  std::string failure;      // located errors and the diff; empty when passed
  std::string summary;      // one line for the failure, e.g. "not as expected: flags, level"
  bool test_error = false;  // failed for an error in the test file, not an expectation
};

// How often each rule was raised (each threshold matched) and seen not raised, per rule set.
//
// A result names the matching thresholds of the winning level only. So a threshold counts
// as matched when it is among the level's reasons, and as not matched when it is not and
// its level is the winning level or above (had it matched, it would have won or been a
// reason). Below the winning level a threshold's outcome is not visible: it counts as
// unseen, as do undetermined rules and thresholds.
class Coverage {
 public:
  // Registers a rule set, so that its rules are listed even if no test reached them.
  void add_rule_set(const std::string& name, const RuleSet& rule_set);
  void observe(const std::string& name, const Result& result);
  std::string report() const;
  // How many rules and thresholds were never raised (matched), or never seen not raised.
  std::size_t incomplete() const;

 private:
  struct Entry {
    RuleInfo info;
    std::size_t level = 0;  // thresholds: index into the rule set's levels
    std::uint32_t raised = 0;
    std::uint32_t not_raised = 0;
    std::uint32_t unseen = 0;  // undetermined, or a threshold hidden below the level
  };
  struct Table {
    std::vector<std::string> levels;
    std::vector<Entry> entries;  // rules then thresholds, in file order
    std::uint32_t results = 0;
  };
  std::map<std::string, Table> tables_;
};

// JUnit XML: one <testsuite> per test file (in run order), one <testcase> per test, a
// <failure> holding the diff. No timings, so the output is the same on every run.
std::string junit_xml(const std::vector<TestRecord>& records);

}  // namespace safeguard::cli::test
