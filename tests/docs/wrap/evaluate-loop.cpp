// docs/embedding.md: evaluate_into and write_json in a worker's loop.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <safeguard/safeguard.hpp>

void worker(const std::shared_ptr<const safeguard::RuleSet>& rules,
            const std::vector<std::string>& cases, const safeguard::EvalOptions& options,
            std::ostream& out) {
  // @EXAMPLE@ (the example is put here)
}
