// docs/embedding.md: LiveRuleSet, with the names the example takes as given.
#include <string>
#include <vector>

#include <safeguard/safeguard.hpp>

void log_error(const std::string& text);

void host(const std::string& rules_dir, const std::string& snapshot_json,
          const std::vector<std::string>& cases, const safeguard::EvalOptions& options) {
  // @EXAMPLE@ (the example is put here)
}
