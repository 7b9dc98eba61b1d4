// Writes a deterministic corpus of case snapshots as JSON Lines (see case_gen.hpp).
//
//   ./build/release/bench/gen_cases [--count N] [--seed S] [--as-of YYYY-MM-DD] > cases.jsonl
//
// Defaults: 20,000 cases, seed 1, as of 2024-06-03. The same arguments give the same bytes
// on every machine, so figures in bench/README.md can be reproduced and peers compared.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "case_gen.hpp"
#include "time/date.hpp"

int main(int argc, char** argv) {
  long count = 20000;
  std::uint64_t seed = 1;
  std::string as_of = "2024-06-03";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--count") && i + 1 < argc)
      count = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--as-of") && i + 1 < argc)
      as_of = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--count N] [--seed S] [--as-of YYYY-MM-DD]\n", argv[0]);
      return 2;
    }
  }
  const auto day = safeguard::time::parse_date(as_of);
  if (!day) {
    std::fprintf(stderr, "--as-of must be a date written YYYY-MM-DD\n");
    return 2;
  }
  const bench::CaseGenerator generator(seed, *day);
  std::string line;
  for (long i = 0; i < count; ++i) {
    line = generator.make(static_cast<std::uint64_t>(i));
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}
