#include <algorithm>
#include <set>

#include "test_report.hpp"

namespace safeguard::cli::test {

void Coverage::add_rule_set(const std::string& name, const RuleSet& rule_set) {
  if (tables_.count(name) != 0) return;
  Table& t = tables_[name];
  t.levels = rule_set.levels();
  for (auto& info : rule_set.rules()) {
    Entry e;
    const auto found = std::find(t.levels.begin(), t.levels.end(), info.level);
    e.level = static_cast<std::size_t>(found - t.levels.begin());
    e.info = std::move(info);
    t.entries.push_back(std::move(e));
  }
}

void Coverage::observe(const std::string& name, const Result& result) {
  const auto found = tables_.find(name);
  if (found == tables_.end() || !result.evaluated) return;
  Table& t = found->second;
  ++t.results;
  std::set<std::string> raised, undetermined;
  for (const auto& f : result.flags) raised.insert(f.id);
  for (const auto& id : result.level.reasons) raised.insert(id);
  for (const auto& u : result.undetermined) undetermined.insert(u.id);
  const auto winner = static_cast<std::size_t>(
      std::find(t.levels.begin(), t.levels.end(), result.level.id) - t.levels.begin());
  for (auto& e : t.entries) {
    if (raised.count(e.info.id) != 0) {
      ++e.raised;
    } else if (undetermined.count(e.info.id) == 0 &&
               (e.info.kind != "threshold" || e.level >= winner)) {
      ++e.not_raised;
    } else {
      ++e.unseen;
    }
  }
}

std::size_t Coverage::incomplete() const {
  std::size_t n = 0;
  for (const auto& table : tables_) {
    for (const auto& e : table.second.entries) n += e.raised == 0 || e.not_raised == 0 ? 1 : 0;
  }
  return n;
}

namespace {

std::string pad_left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string id_list(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += "    " + id + "\n";
  return out;
}

}  // namespace

std::string Coverage::report() const {
  std::string out;
  for (const auto& [name, t] : tables_) {
    std::size_t rules = 0;
    for (const auto& e : t.entries) rules += e.info.kind == "threshold" ? 0 : 1;
    out += "coverage of " + name + " (" + std::to_string(rules) + " rules, " +
           std::to_string(t.entries.size() - rules) + " thresholds; " + std::to_string(t.results) +
           " evaluated tests):\n";
    out += "  raised  not raised  unseen  rule\n";
    std::vector<std::string> never_raised, never_not_raised;
    std::size_t both = 0;
    for (const auto& e : t.entries) {
      const bool threshold = e.info.kind == "threshold";
      out += "  " + pad_left(std::to_string(e.raised), 6) + "  " +
             pad_left(std::to_string(e.not_raised), 10) + "  " +
             pad_left(std::to_string(e.unseen), 6) + "  " + e.info.id +
             (threshold ? " (threshold)" : "") + "\n";
      if (e.raised == 0) never_raised.push_back(e.info.id);
      if (e.not_raised == 0) never_not_raised.push_back(e.info.id);
      if (e.raised > 0 && e.not_raised > 0) ++both;
    }
    out += "  exercised both ways: " + std::to_string(both) + " of " +
           std::to_string(t.entries.size()) + "\n";
    if (!never_raised.empty()) {
      out += "  never raised or matched (" + std::to_string(never_raised.size()) + "):\n" +
             id_list(never_raised);
    }
    if (!never_not_raised.empty()) {
      out += "  never seen not raised or not matched (" + std::to_string(never_not_raised.size()) +
             "):\n" + id_list(never_not_raised);
    }
  }
  return out;
}

}  // namespace safeguard::cli::test
