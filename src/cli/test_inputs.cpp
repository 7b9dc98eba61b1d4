#include "test_inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace safeguard::cli::test {

namespace fs = std::filesystem;

bool is_rule_set(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(path) / "ruleset.yaml", ec);
}

bool collect_test_files(const std::vector<std::string>& paths, std::vector<std::string>* files,
                        std::string* problem) {
  std::set<std::string> seen;
  auto add = [&](const std::string& f) {
    if (seen.insert(fs::path(f).lexically_normal().string()).second) files->push_back(f);
  };
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const std::string suffix = ".test.yaml";
        if (it->is_regular_file(ec) && name.size() > suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
          found.push_back(it->path().string());
        }
      }
      if (ec) {
        *problem = p + ": cannot be listed";
        return false;
      }
      std::sort(found.begin(), found.end());
      for (const auto& f : found) add(f);
    } else if (fs::exists(p, ec)) {
      add(p);
    } else {
      *problem = p + ": no such test file or directory";
      return false;
    }
  }
  return true;
}

const RuleSet* RuleSets::base(const std::string& dir) {
  const LoadResult& r = load(dir, default_calendar_);
  if (!r.ok() && reported_.insert(dir).second) {
    std::cerr << format(r.diagnostics);
    std::cerr << "safeguard test: the rule set " << dir << " has errors; run 'safeguard check "
              << dir << "'\n";
  }
  return r.rule_set.get();
}

const RuleSet* RuleSets::with_calendar(const std::string& dir, const std::string& calendar,
                                       const Where& where, std::vector<TestError>* errors) {
  if (calendar.empty()) return base(dir);
  const LoadResult& r = load(dir, calendar);
  if (!r.ok()) {
    for (const auto& d : r.diagnostics) {
      if (d.severity == Severity::kError) errors->push_back({where, d.message, d.hint});
    }
  }
  return r.rule_set.get();
}

const LoadResult& RuleSets::load(const std::string& dir, const std::string& calendar) {
  const auto key = std::make_pair(dir, calendar);
  auto found = cache_.find(key);
  if (found == cache_.end()) {
    LoadOptions options;
    options.calendar = calendar;
    found = cache_.emplace(key, RuleSet::load(dir, options)).first;
  }
  return found->second;
}

}  // namespace safeguard::cli::test
