// Running one rule test: checking its ids against the rule set, evaluating its case and
// comparing the result with its expectations.
#pragma once

#include <string>
#include <vector>

#include "safeguard/rule_set.hpp"
#include "test_model.hpp"

namespace safeguard::cli::test {

// Ids in the expectations that the rule set does not define (a typo would make an
// `_exclude` pass for ever), as located errors with a "did you mean".
std::vector<TestError> check_ids(const TestSpec& test, const RuleSet& rule_set);

struct Outcome {
  bool passed = false;
  // For a failure: what differs, one block per expectation ("- expected", "+ actual"),
  // indented by two spaces, then notes on undetermined rules and schema violations.
  std::string diff;
  std::string summary;  // one line: which expectations failed
  Result result;
};

Outcome run_one(const TestSpec& test, const RuleSet& rule_set);

}  // namespace safeguard::cli::test
