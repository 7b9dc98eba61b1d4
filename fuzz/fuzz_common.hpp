// Shared helpers for the libFuzzer targets: fixed inputs read once from the source tree.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace safeguard::fuzz {

// A file of the source tree (e.g. "tests/bad-inputs/base/rules.yaml"); aborts when it is
// missing, since a target fuzzing against nothing would find nothing.
inline std::string source_file(const char* relative) {
  const std::string path = std::string(SAFEGUARD_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz: cannot read %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace safeguard::fuzz
