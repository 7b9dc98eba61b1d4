// safeguard batch: not written yet.
#include <iostream>

#include "cli.hpp"

namespace safeguard::cli {

int run_batch(const Args&) {
  std::cerr << "safeguard batch: not available yet\n";
  return kExitUsage;
}

}  // namespace safeguard::cli
