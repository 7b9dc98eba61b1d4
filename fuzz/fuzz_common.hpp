// Shared helpers for the libFuzzer targets: fixed inputs read once from the source tree.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "safeguard/options.hpp"

namespace safeguard::fuzz {

// Limits for fuzzing: the same mechanisms as the defaults, with budgets small enough that
// an input that spends its whole budget still runs in well under a second under the
// sanitizers (the default 5 million steps take over 10 s there, which libFuzzer would
// report as a hang). The full budgets are exercised by tests/bad-inputs.
inline Limits fuzz_limits() {
  Limits limits;
  limits.max_evaluation_steps = 50'000;
  limits.max_evaluation_bytes = 4u << 20;
  return limits;
}

// A file of the source tree (e.g. "tests/bad-inputs/base/rules.yaml"); aborts when it is
// missing, since a target fuzzing against nothing would find nothing.
inline std::string source_file(const char* relative) {
  const std::string path = std::string(SAFEGUARD_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz: cannot read %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The bad-input corpus's base rule set, which the rule-file targets load a fuzzed file
// beside (as "fuzz.yaml"), and its base case.
struct BaseRuleSet {
  std::string manifest = source_file("tests/bad-inputs/base/ruleset.yaml") + "files: [fuzz.yaml]\n";
  std::string schema = source_file("tests/bad-inputs/base/schema.json");
  std::string snapshot = source_file("tests/bad-inputs/base/case.json");
};

inline const BaseRuleSet& base_rule_set() {
  static const BaseRuleSet base;
  return base;
}

}  // namespace safeguard::fuzz
