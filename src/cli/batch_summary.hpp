// What `safeguard batch` counts while it runs, and the summary it prints at the end.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "safeguard/rule_set.hpp"

namespace safeguard::cli::batch {

struct Summary {
  std::uint64_t cases = 0;      // evaluated
  std::uint64_t malformed = 0;  // lines skipped
  std::uint64_t first_malformed_line = 0;
  std::uint64_t with_undetermined = 0;  // cases with at least one undetermined rule
  std::uint64_t with_violations = 0;    // cases with schema violations
  // Looked up by the outline's views of the rule set's ids, without making a string.
  using Counts = std::map<std::string, std::uint64_t, std::less<>>;
  Counts levels;        // level id -> cases
  Counts flags;         // flag id -> cases raising it
  Counts undetermined;  // rule id -> cases where undetermined

  void add(const ResultOutline& outline);  // an evaluated case
  void add_malformed(std::uint64_t line);
  void merge(const Summary& other);
};

struct RunFacts {
  std::vector<std::string> levels;  // the rule set's, lowest first
  unsigned jobs = 1;
  double seconds = 0;
};

// For people, on stderr: totals, then cases per level (highest first, every level of the
// rule set even at 0), per flag and per undetermined rule (most frequent first).
void print_summary(std::ostream& out, const Summary& summary, const RunFacts& facts);

// The same as one JSON object, for scripts (--summary FILE).
std::string summary_json(const Summary& summary, const RunFacts& facts);

}  // namespace safeguard::cli::batch
