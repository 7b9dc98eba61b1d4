// safeguard test [RULES] TESTS...: runs rule test files (docs/rule-tests.md).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "cli.hpp"
#include "safeguard/rule_set.hpp"
#include "test_model.hpp"
#include "test_report.hpp"
#include "test_run.hpp"

namespace safeguard::cli {

namespace {

namespace fs = std::filesystem;
using namespace safeguard::cli::test;

constexpr const char* kUsage =
    "usage: safeguard test [options] [RULES] TESTS...\n"
    "\n"
    "Runs rule test files (*.test.yaml; a directory means every *.test.yaml in it, recursively).\n"
    "RULES is the rule set directory; without it each file's `rules:` key is used, else the\n"
    "shipped rules. The test format is described in docs/rule-tests.md.\n"
    "  --rules DIR        the rule set (the same as giving RULES first)\n"
    "  --filter TEXT      run only the tests whose name contains TEXT\n"
    "  --calendar NAME    default working-day calendar for files that name none\n"
    "  --verbose          also list the tests that passed\n"
    "  --coverage         list per rule how many tests raised it and saw it not raised\n"
    "  --junit FILE       write the results as JUnit XML to FILE\n"
    "Exit codes: 0 all tests passed; 1 a test failed (or a test file has errors); 2 usage\n"
    "errors, or the rule set does not load.\n";

bool is_rule_set(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(path) / "ruleset.yaml", ec);
}

// Test files named or found under directories: each directory's *.test.yaml sorted by path.
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

// Rule sets by directory and calendar, loaded once each.
class RuleSets {
 public:
  explicit RuleSets(std::string default_calendar)
      : default_calendar_(std::move(default_calendar)) {}

  // The rule set with its default calendar (or --calendar). Null after printing its
  // diagnostics when it does not load.
  const RuleSet* base(const std::string& dir) {
    const LoadResult& r = load(dir, default_calendar_);
    if (!r.ok() && reported_.insert(dir).second) {
      std::cerr << format(r.diagnostics);
      std::cerr << "safeguard test: the rule set " << dir << " has errors; run 'safeguard check "
                << dir << "'\n";
    }
    return r.rule_set.get();
  }

  // The rule set with another default calendar; null with located errors when unknown.
  const RuleSet* with_calendar(const std::string& dir, const std::string& calendar,
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

 private:
  const LoadResult& load(const std::string& dir, const std::string& calendar) {
    const auto key = std::make_pair(dir, calendar);
    auto found = cache_.find(key);
    if (found == cache_.end()) {
      LoadOptions options;
      options.calendar = calendar;
      found = cache_.emplace(key, RuleSet::load(dir, options)).first;
    }
    return found->second;
  }

  std::string default_calendar_;
  std::map<std::pair<std::string, std::string>, LoadResult> cache_;
  std::set<std::string> reported_;
};

std::string location(const Where& w) {
  std::string out = w.file;
  if (w.line > 0) out += ":" + std::to_string(w.line);
  return out;
}

std::string format_errors(const std::vector<TestError>& errors) {
  std::string out;
  for (const auto& e : errors) out += format(e);
  return out;
}

}  // namespace

int run_test(const Args& args) {
  std::string rules;
  std::string filter;
  std::string calendar;
  std::string junit;
  bool verbose = false;
  bool coverage_wanted = false;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string value;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (option_value(args, i, "--rules", &value)) {
      rules = value;
    } else if (option_value(args, i, "--filter", &value)) {
      filter = value;
    } else if (option_value(args, i, "--calendar", &value)) {
      calendar = value;
    } else if (option_value(args, i, "--junit", &value)) {
      junit = value;
    } else if (a == "--verbose" || a == "-v") {
      verbose = true;
    } else if (a == "--coverage") {
      coverage_wanted = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return usage_error("test", "unknown option '" + a + "' (or it is missing its value)", kUsage);
    } else {
      positional.push_back(a);
    }
  }
  if (rules.empty() && !positional.empty() && is_rule_set(positional.front())) {
    rules = positional.front();
    positional.erase(positional.begin());
  }
  if (!rules.empty() && !is_rule_set(rules)) {
    return usage_error("test", rules + " is not a rule set directory (no ruleset.yaml)", kUsage);
  }
  if (positional.empty()) return usage_error("test", "no test files given", kUsage);
  std::vector<std::string> paths;
  std::string problem;
  if (!collect_test_files(positional, &paths, &problem))
    return usage_error("test", problem, kUsage);
  if (paths.empty()) return usage_error("test", "no *.test.yaml files found", kUsage);

  // Read every file and load every rule set before running anything, so that a rule set
  // that does not load stops the run before any output.
  const std::string shipped = shipped_rules_directory();
  // Files may name one rule set by different relative paths: load and cover it once, under
  // the first name seen.
  std::map<std::string, std::string> first_name;
  auto same_rule_set = [&first_name](const std::string& dir) {
    if (dir.empty()) return dir;
    std::error_code ec;
    const std::string canonical = fs::weakly_canonical(dir, ec).string();
    return first_name.emplace(ec ? dir : canonical, dir).first->second;
  };
  RuleSets rule_sets(calendar);
  std::vector<TestFile> files;
  std::vector<std::string> file_rules;
  bool load_failed = false;
  for (const auto& path : paths) {
    files.push_back(read_test_file(path));
    TestFile& f = files.back();
    std::string dir = same_rule_set(!rules.empty() ? rules : !f.rules.empty() ? f.rules : shipped);
    if (f.tests.empty() && !f.errors.empty()) {
      dir.clear();  // nothing to run; its `rules:` may be what failed to parse
    } else if (rules.empty() && !f.rules.empty() && !is_rule_set(f.rules)) {
      f.errors.push_back({f.rules_where, "rules: " + f.rules + " is not a rule set directory",
                          "give the directory that holds ruleset.yaml, relative to this file"});
      dir.clear();
    } else if (dir.empty()) {
      f.errors.push_back({{path, 0, 0}, "no rule set", "give RULES or a `rules:` key"});
    } else if (rule_sets.base(dir) == nullptr) {
      load_failed = true;
    }
    file_rules.push_back(dir);
  }
  if (load_failed) return kExitUsage;

  Coverage coverage;
  std::vector<TestRecord> records;
  std::size_t failed = 0;
  bool legend = false;
  auto report = [&](TestRecord record) {
    if (!record.passed) {
      if (!legend) {
        std::cout << "(- expected, + actual)\n";
        legend = true;
      }
      std::cout << "FAIL " << location(record.where) << ": " << record.name << "\n"
                << record.failure;
      ++failed;
    } else if (verbose) {
      std::cout << "PASS " << location(record.where) << ": " << record.name << "\n";
    }
    records.push_back(std::move(record));
  };
  for (std::size_t k = 0; k < files.size(); ++k) {
    const TestFile& f = files[k];
    const std::string& dir = file_rules[k];
    if (!dir.empty()) coverage.add_rule_set(dir, *rule_sets.base(dir));
    if (f.tests.empty() && !f.errors.empty()) {
      report({f.path,
              "(the test file)",
              {f.path, 0, 0},
              false,
              format_errors(f.errors),
              "the test file has errors",
              true});
      continue;
    }
    for (const auto& t : f.tests) {
      if (!filter.empty() && t.name.find(filter) == std::string::npos) continue;
      TestRecord record{f.path, t.name, t.where, false, "", "", false};
      std::vector<TestError> errors = f.errors;
      errors.insert(errors.end(), t.errors.begin(), t.errors.end());
      const RuleSet* rs = nullptr;
      if (errors.empty()) rs = rule_sets.with_calendar(dir, t.calendar, t.calendar_where, &errors);
      if (rs != nullptr) {
        const auto id_errors = check_ids(t, *rs);
        errors.insert(errors.end(), id_errors.begin(), id_errors.end());
      }
      if (!errors.empty()) {
        record.failure = format_errors(errors);
        record.summary = "the test has errors: " + errors.front().message;
        record.test_error = true;
        report(std::move(record));
        continue;
      }
      Outcome outcome = run_one(t, *rs);
      coverage.observe(dir, outcome.result);
      record.passed = outcome.passed;
      record.failure = std::move(outcome.diff);
      record.summary = std::move(outcome.summary);
      report(std::move(record));
    }
  }
  if (records.empty()) {
    std::cerr << "safeguard test: "
              << (filter.empty() ? "the test files hold no tests"
                                 : "no test's name contains '" + filter + "'")
              << "\n";
    return kExitUsage;
  }
  if (coverage_wanted) std::cout << coverage.report();
  std::cout << (records.size() - failed) << " passed, " << failed << " failed\n";
  if (!junit.empty()) {
    std::string reason;
    if (!write_file_atomically(junit, junit_xml(records), &reason)) {
      std::cerr << "safeguard test: cannot write " << junit << ": " << reason << "\n";
      return kExitUsage;
    }
  }
  return failed > 0 ? kExitFailure : kExitOk;
}

}  // namespace safeguard::cli
