// Expressions run under a memory budget, for the tests that text and lists built by CEL
// functions stay within Limits::max_evaluation_bytes.
#pragma once

#include <cstddef>
#include <string>

#include "safeguard/expr.hpp"

namespace safeguard::testing {

// "error CODE" or the value's JSON.
inline std::string run(const std::string& expression, std::size_t budget) {
  ExprOptions options;
  options.limits.max_evaluation_bytes = budget;
  const ExprResult r = evaluate_expression(expression, "{}", options);
  if (r.ok()) return r.value_json;
  return "error " + (r.diagnostics.empty() ? std::string("?") : r.diagnostics.front().code);
}

// A text of 2^doublings times `unit` (a CEL string literal), built at run time (so in the
// arena, not a constant the planner folds).
inline std::string text(int doublings, const std::string& unit = "'0123456789abcdef'") {
  std::string e = unit + " + string(1)";
  for (int i = 0; i < doublings; ++i) {
    e = "cel.bind(t" + std::to_string(i) + ", " + e + ", t" + std::to_string(i) + " + t" +
        std::to_string(i) + ")";
  }
  return e;
}

}  // namespace safeguard::testing
