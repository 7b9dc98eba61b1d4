// safeguard test: not written yet.
#include <iostream>

#include "cli.hpp"

namespace safeguard::cli {

int run_test(const Args&) {
  std::cerr << "safeguard test: not available yet\n";
  return kExitUsage;
}

}  // namespace safeguard::cli
