#include "batch_summary.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <utility>

namespace safeguard::cli::batch {

namespace {

using Counts = Summary::Counts;

std::vector<std::pair<std::string, std::uint64_t>> most_frequent_first(const Counts& counts) {
  std::vector<std::pair<std::string, std::uint64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

// Levels highest first, including those no case reached; then any level the results
// gave that the rule set did not list (none expected), and cases with no level.
std::vector<std::pair<std::string, std::uint64_t>> level_rows(
    const Counts& counts, const std::vector<std::string>& levels) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (auto it = levels.rbegin(); it != levels.rend(); ++it) {
    const auto found = counts.find(*it);
    out.emplace_back(*it, found == counts.end() ? 0 : found->second);
  }
  for (const auto& [id, n] : counts) {
    if (std::find(levels.begin(), levels.end(), id) == levels.end()) out.emplace_back(id, n);
  }
  return out;
}

std::string percent(std::uint64_t n, std::uint64_t total) {
  if (total == 0) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%5.1f%%",
                100.0 * static_cast<double>(n) / static_cast<double>(total));
  return text;
}

void print_table(std::ostream& out, const char* heading,
                 const std::vector<std::pair<std::string, std::uint64_t>>& rows,
                 std::uint64_t total) {
  out << heading << " (cases):\n";
  if (rows.empty()) {
    out << "  none\n";
    return;
  }
  std::size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.empty() ? 6 : row.first.size());
  for (const auto& [id, n] : rows) {
    out << "  " << std::left << std::setw(static_cast<int>(width)) << (id.empty() ? "(none)" : id)
        << "  " << std::right << std::setw(10) << n << "  " << percent(n, total) << "\n";
  }
}

void json_string(std::string& out, const std::string& s) {
  out += '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

void json_counts(std::string& out, const std::vector<std::pair<std::string, std::uint64_t>>& rows) {
  out += '{';
  bool first = true;
  for (const auto& [id, n] : rows) {
    if (!first) out += ',';
    first = false;
    json_string(out, id);
    out += ':' + std::to_string(n);
  }
  out += '}';
}

// One more case for `id` (a view: no string is made for an id counted before).
void count(Counts& counts, std::string_view id) {
  const auto it = counts.find(id);
  if (it != counts.end()) {
    ++it->second;
  } else {
    counts.emplace(std::string(id), 1);
  }
}

}  // namespace

void Summary::add(const ResultOutline& outline) {
  ++cases;
  count(levels, outline.level);
  // A flag is raised once per case; count cases, not occurrences, all the same.
  for (const std::string_view id : outline.flags) count(flags, id);
  if (!outline.undetermined.empty()) ++with_undetermined;
  for (const std::string_view id : outline.undetermined) count(undetermined, id);
  if (outline.violations > 0) ++with_violations;
}

void Summary::add_malformed(std::uint64_t line) {
  if (malformed == 0 || line < first_malformed_line) first_malformed_line = line;
  ++malformed;
}

void Summary::merge(const Summary& other) {
  cases += other.cases;
  if (other.malformed > 0 &&
      (malformed == 0 || other.first_malformed_line < first_malformed_line)) {
    first_malformed_line = other.first_malformed_line;
  }
  malformed += other.malformed;
  with_undetermined += other.with_undetermined;
  with_violations += other.with_violations;
  for (const auto& [id, n] : other.levels) levels[id] += n;
  for (const auto& [id, n] : other.flags) flags[id] += n;
  for (const auto& [id, n] : other.undetermined) undetermined[id] += n;
}

void print_summary(std::ostream& out, const Summary& s, const RunFacts& facts) {
  char rate[64] = "";
  if (facts.seconds > 0) {
    std::snprintf(rate, sizeof rate, " in %.2f s (%.0f cases/s, %u job%s)", facts.seconds,
                  static_cast<double>(s.cases) / facts.seconds, facts.jobs,
                  facts.jobs == 1 ? "" : "s");
  }
  out << "safeguard batch: " << s.cases << " case" << (s.cases == 1 ? "" : "s") << " evaluated"
      << rate << "\n";
  print_table(out, "level", level_rows(s.levels, facts.levels), s.cases);
  print_table(out, "flags", most_frequent_first(s.flags), s.cases);
  print_table(out, "undetermined", most_frequent_first(s.undetermined), s.cases);
  out << "cases with something undetermined: " << s.with_undetermined << "\n";
  out << "cases with schema violations: " << s.with_violations << "\n";
  out << "malformed lines skipped: " << s.malformed;
  if (s.malformed > 0) out << " (first at line " << s.first_malformed_line << ")";
  out << "\n";
}

std::string summary_json(const Summary& s, const RunFacts& facts) {
  std::string out = "{\"cases\":" + std::to_string(s.cases);
  out += ",\"malformed_lines\":" + std::to_string(s.malformed);
  out += ",\"levels\":";
  json_counts(out, level_rows(s.levels, facts.levels));
  out += ",\"flags\":";
  json_counts(out, most_frequent_first(s.flags));
  out += ",\"undetermined\":";
  json_counts(out, most_frequent_first(s.undetermined));
  out += ",\"cases_with_undetermined\":" + std::to_string(s.with_undetermined);
  out += ",\"cases_with_violations\":" + std::to_string(s.with_violations);
  out += "}\n";
  return out;
}

}  // namespace safeguard::cli::batch
