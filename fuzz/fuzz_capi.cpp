// Fuzzes the C ABI as a C host uses it: the input is a rule file, a snapshot and an as-of
// date separated by lines of "===" (missing parts take the base case and 2024-06-03), and
// its first byte picks the evaluation flags. Loads with safeguard_rules_load_files, reads
// every diagnostic of a failure, evaluates (plain and through a live handle, reloaded
// with the same files) and frees everything; nothing may crash, leak or throw across.
// Loads go through safeguard_load_options with the fuzzing limits, so budget bombs end
// quickly under the sanitizers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"
#include "safeguard/safeguard.h"

namespace {

std::vector<std::string_view> split(std::string_view input) {
  std::vector<std::string_view> parts;
  constexpr std::string_view kSeparator = "\n===\n";
  for (;;) {
    const std::size_t at = input.find(kSeparator);
    parts.push_back(input.substr(0, at));
    if (at == std::string_view::npos) return parts;
    input.remove_prefix(at + kSeparator.size());
  }
}

// Load options with the fuzzing limits (fuzz_common.hpp), set through the C ABI by name.
safeguard_load_options* make_load_options(unsigned flags) {
  const safeguard::Limits limits = safeguard::fuzz::fuzz_limits();
  safeguard_load_options* o = safeguard_load_options_create();
  if (o == nullptr || safeguard_load_options_set_flags(o, flags, nullptr) != SAFEGUARD_OK ||
      safeguard_load_options_set_limit(o, "max_evaluation_steps", limits.max_evaluation_steps,
                                       nullptr) != SAFEGUARD_OK ||
      safeguard_load_options_set_limit(o, "max_evaluation_bytes", limits.max_evaluation_bytes,
                                       nullptr) != SAFEGUARD_OK) {
    __builtin_trap();
  }
  return o;
}

// One per load flag value, made once (and still reachable at exit, so never a leak).
const safeguard_load_options* load_options(unsigned flags) {
  static safeguard_load_options* const options[2] = {make_load_options(0), make_load_options(1)};
  return options[flags & 1u];
}

// Reads everything an error offers, as a host printing it would.
void consume(safeguard_error* error) {
  if (error == nullptr) __builtin_trap();  // a failure must say why
  (void)safeguard_status_name(safeguard_error_status(error));
  if (safeguard_error_message(error) == nullptr || safeguard_error_json(error) == nullptr)
    __builtin_trap();
  const std::size_t n = safeguard_error_diagnostic_count(error);
  for (std::size_t i = 0; i < n; ++i) {
    if (safeguard_error_diagnostic(error, i) == nullptr) __builtin_trap();
  }
  (void)safeguard_error_diagnostic(error, n);  // one past the end: must be handled
  safeguard_error_free(error);
}

void evaluate(const safeguard_rules* rules, const safeguard_live* live, std::string_view snapshot,
              const std::string& as_of, unsigned flags) {
  char* json = nullptr;
  std::size_t length = 0;
  safeguard_error* error = nullptr;
  const safeguard_status s =
      live != nullptr ? safeguard_live_evaluate(live, snapshot.data(), snapshot.size(),
                                                as_of.c_str(), flags, &json, &length, &error)
                      : safeguard_evaluate(rules, snapshot.data(), snapshot.size(), as_of.c_str(),
                                           flags, &json, &length, &error);
  if (s == SAFEGUARD_OK) {
    if (json == nullptr || error != nullptr) __builtin_trap();
    safeguard_string_free(json);
  } else {
    if (json != nullptr) __builtin_trap();
    consume(error);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const safeguard::fuzz::BaseRuleSet& f = safeguard::fuzz::base_rule_set();
  if (size == 0) return 0;
  const unsigned flags = data[0] & 0x0Fu;
  const std::vector<std::string_view> parts =
      split(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  const std::string_view rule_file = parts[0];
  const std::string_view snapshot = parts.size() > 1 ? parts[1] : std::string_view(f.snapshot);
  const std::string as_of = parts.size() > 2 ? std::string(parts[2].substr(0, 64)) : "2024-06-03";

  const safeguard_file files[] = {
      {"ruleset.yaml", f.manifest.data(), f.manifest.size()},
      {"schema.json", f.schema.data(), f.schema.size()},
      {"fuzz.yaml", rule_file.data(), rule_file.size()},
  };
  safeguard_rules* rules = nullptr;
  safeguard_error* error = nullptr;
  if (safeguard_rules_load_files_with(files, 3, load_options(flags), &rules, &error) !=
      SAFEGUARD_OK) {
    if (rules != nullptr) __builtin_trap();
    consume(error);
    return 0;
  }
  (void)safeguard_rules_name(rules);
  (void)safeguard_rules_warnings(rules);
  evaluate(rules, nullptr, snapshot, as_of, flags);

  safeguard_live* live = nullptr;
  if (safeguard_live_create(rules, &live, &error) != SAFEGUARD_OK) {
    consume(error);
  } else {
    if (safeguard_live_reload_files_with(live, files, 3, load_options(0), &error) != SAFEGUARD_OK) {
      consume(error);
    }
    evaluate(nullptr, live, snapshot, as_of, flags);
    safeguard_rules_free(safeguard_live_current(live));
    safeguard_live_free(live);
  }
  safeguard_rules_free(rules);
  return 0;
}
