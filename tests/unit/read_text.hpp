// A whole file as text, for unit tests that load rule sets, calendars and zone files from
// the source tree; "" when it cannot be read (the test's own checks then fail).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace safeguard::test {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace safeguard::test
