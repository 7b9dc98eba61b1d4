// Fuzzes the CEL parser, checker and evaluator through evaluate_expression(): the input
// is one expression, evaluated with the bad-input corpus's variables (lists of 1000
// integers, so nested comprehensions meet the evaluation budget) as of a fixed date.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "safeguard/expr.hpp"

namespace {

const std::string& vars() {
  static const std::string text = safeguard::fuzz::source_file("tests/bad-inputs/base/vars.json");
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view expression(reinterpret_cast<const char*>(data), size);
  safeguard::ExprOptions options;
  options.as_of = "2024-06-03";
  options.limits = safeguard::fuzz::fuzz_limits();
  const safeguard::ExprResult r = safeguard::evaluate_expression(expression, vars(), options);
  // Every failure must say why.
  if (!r.ok() && r.diagnostics.empty()) __builtin_trap();
  return 0;
}
