// The C ABI gives byte for byte the JSON the C++ API gives: one serialiser for both.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "safeguard/safeguard.h"
#include "safeguard/safeguard.hpp"

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string rules_dir = argv[1];
  const std::string cases_dir = argv[2];
  const auto loaded = safeguard::RuleSet::load(rules_dir);
  safeguard_rules* rules = nullptr;
  if (!loaded.ok() ||
      safeguard_rules_load_dir(rules_dir.c_str(), 0, &rules, nullptr) != SAFEGUARD_OK) {
    std::cerr << "cannot load " << rules_dir << "\n";
    return 2;
  }
  int failures = 0;
  // Each thread's calls fill one result again (not when explaining): in turn, and with a
  // snapshot that cannot be evaluated between them, each must still give its own JSON.
  for (const char* name : {"overdue.json", "missing.json", "overdue.json", "missing.json"}) {
    safeguard_error* error = nullptr;
    char* none = nullptr;
    if (safeguard_evaluate(rules, "{\"contacts\": [", SAFEGUARD_NUL_TERMINATED, "2024-06-03", 0,
                           &none, nullptr, &error) != SAFEGUARD_ERROR_SNAPSHOT) {
      std::cerr << "a snapshot that is not JSON was evaluated\n";
      ++failures;
    }
    safeguard_error_free(error);
    safeguard_string_free(none);
    const std::string snapshot = read(cases_dir + "/" + name);
    for (unsigned flags : {0u, SAFEGUARD_EVAL_EXPLAIN, SAFEGUARD_EVAL_PRETTY}) {
      safeguard::EvalOptions options;
      options.as_of = "2024-06-03";
      options.explain = (flags & SAFEGUARD_EVAL_EXPLAIN) != 0;
      const std::string expected = loaded.rule_set->evaluate(snapshot, options)
                                       .to_json((flags & SAFEGUARD_EVAL_PRETTY) != 0);
      char* result = nullptr;
      std::size_t length = 0;
      if (safeguard_evaluate(rules, snapshot.data(), snapshot.size(), "2024-06-03", flags, &result,
                             &length, nullptr) != SAFEGUARD_OK ||
          std::string(result, length) != expected) {
        std::cerr << name << " (flags " << flags
                  << "): the C ABI's JSON differs from the C++ API's\n";
        ++failures;
      }
      safeguard_string_free(result);
    }
  }
  safeguard_rules_free(rules);
  if (failures == 0) std::cout << "same_form_test: C and C++ results identical\n";
  return failures == 0 ? 0 : 1;
}
