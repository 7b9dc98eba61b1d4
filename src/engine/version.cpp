#include "safeguard/version.hpp"

namespace safeguard {

const char* version() noexcept {
  return SAFEGUARD_VERSION_STRING;
}

}  // namespace safeguard
