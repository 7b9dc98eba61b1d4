// safeguard test [RULES] TESTS...: runs rule test files (docs/rule-tests.md).
#include <filesystem>
#include <iostream>
#include <map>

#include "cli.hpp"
#include "options.hpp"
#include "safeguard/rule_set.hpp"
#include "test_inputs.hpp"
#include "test_model.hpp"
#include "test_printable.hpp"
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
    "  --calendar NAME    working-day calendar for files and tests that name none\n"
    "  --verbose          also list the tests that passed\n"
    "  --coverage         list per rule how many tests raised it and saw it not raised\n"
    "  --require-coverage fail unless every rule and threshold was seen both raised and not\n"
    "  --junit FILE       write the results as JUnit XML to FILE\n"
    "Exit codes: 0 all tests passed; 1 a test failed (or a test file has errors, or coverage\n"
    "is incomplete with --require-coverage); 2 usage errors, or the rule set does not load.\n";

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

struct Options {
  std::string rules;
  std::string filter;
  std::string calendar;
  std::string junit;
  bool verbose = false;
  bool coverage = false;
  bool require_coverage = false;
  std::vector<std::string> tests;
};

// One run over all the test files: what has been printed and counted so far.
class Run {
 public:
  explicit Run(const Options& options) : options_(options), rule_sets_(options.calendar) {}

  // Reads every file and loads every rule set before running anything, so that a rule set
  // that does not load stops the run before any test output. False if one does not load.
  bool prepare(const std::vector<std::string>& paths);
  void run_all();
  int finish();

 private:
  std::string rule_set_for(const TestFile& file);
  void run_test(const TestFile& file, const std::string& dir, const TestSpec& test);
  void report(TestRecord record);

  const Options& options_;
  RuleSets rule_sets_;
  std::vector<TestFile> files_;
  std::vector<std::string> file_rules_;            // the rule set of each file; "" when it has none
  std::map<std::string, std::string> first_name_;  // canonical rule set path -> name used
  Coverage coverage_;
  std::vector<TestRecord> records_;
  std::size_t failed_ = 0;
};

std::string Run::rule_set_for(const TestFile& file) {
  const std::string shipped = shipped_rules_directory();
  const std::string& dir = !options_.rules.empty() ? options_.rules
                           : !file.rules.empty()   ? file.rules
                                                   : shipped;
  if (dir.empty()) return dir;
  // Files may name one rule set by different relative paths: load and cover it once, under
  // the first name seen.
  std::error_code ec;
  const std::string canonical = fs::weakly_canonical(dir, ec).string();
  return first_name_.emplace(ec ? dir : canonical, dir).first->second;
}

bool Run::prepare(const std::vector<std::string>& paths) {
  bool loaded = true;
  for (const auto& path : paths) {
    files_.push_back(read_test_file(path));
    TestFile& f = files_.back();
    std::string dir;
    if (f.tests.empty() && !f.errors.empty()) {
      // Nothing to run; its `rules:` may be what failed to parse.
    } else if (options_.rules.empty() && !f.rules.empty() && !is_rule_set(f.rules)) {
      f.errors.push_back({f.rules_where, "rules: " + f.rules + " is not a rule set directory",
                          "give the directory that holds ruleset.yaml, relative to this file"});
    } else if ((dir = rule_set_for(f)).empty()) {
      f.errors.push_back(
          TestError{Where{path, 0, 0}, "no rule set", "give RULES or a `rules:` key"});
    } else if (rule_sets_.base(dir) == nullptr) {
      loaded = false;
    } else {
      coverage_.add_rule_set(dir, *rule_sets_.base(dir));
    }
    file_rules_.push_back(dir);
  }
  return loaded;
}

void Run::run_all() {
  for (std::size_t k = 0; k < files_.size(); ++k) {
    const TestFile& f = files_[k];
    if (f.tests.empty() && !f.errors.empty()) {
      TestRecord record{f.path, "(the test file)",       Where{f.path, 0, 0},
                        false,  format_errors(f.errors), "the test file has errors",
                        true};
      report(std::move(record));
      continue;
    }
    for (const auto& t : f.tests) {
      if (t.name.find(options_.filter) != std::string::npos) run_test(f, file_rules_[k], t);
    }
  }
}

void Run::run_test(const TestFile& file, const std::string& dir, const TestSpec& test) {
  TestRecord record{file.path, test.name, test.where, false, "", "", false};
  std::vector<TestError> errors = file.errors;
  errors.insert(errors.end(), test.errors.begin(), test.errors.end());
  const RuleSet* rs = nullptr;
  if (errors.empty())
    rs = rule_sets_.with_calendar(dir, test.calendar, test.calendar_where, &errors);
  if (rs != nullptr) {
    const auto id_errors = check_ids(test, *rs);
    errors.insert(errors.end(), id_errors.begin(), id_errors.end());
  }
  if (!errors.empty()) {
    record.failure = format_errors(errors);
    record.summary = "the test has errors: " + errors.front().message;
    record.test_error = true;
    report(std::move(record));
    return;
  }
  Outcome outcome = run_one(test, *rs);
  coverage_.observe(dir, outcome.result);
  record.passed = outcome.passed;
  record.failure = std::move(outcome.diff);
  record.summary = std::move(outcome.summary);
  report(std::move(record));
}

void Run::report(TestRecord record) {
  if (!record.passed) {
    if (failed_++ == 0) std::cout << "(- expected, + actual)\n";
    // The name and the diff quote the test file, which may hold any text.
    std::cout << "FAIL " << printable(location(record.where)) << ": " << printable(record.name)
              << "\n"
              << printable(record.failure);
  } else if (options_.verbose) {
    std::cout << "PASS " << printable(location(record.where)) << ": " << printable(record.name)
              << "\n";
  }
  records_.push_back(std::move(record));
}

int Run::finish() {
  if (records_.empty()) {
    std::cerr << "safeguard test: "
              << (options_.filter.empty() ? "the test files hold no tests"
                                          : "no test's name contains '" + options_.filter + "'")
              << "\n";
    return kExitUsage;
  }
  if (options_.coverage) std::cout << coverage_.report();
  const std::size_t incomplete = options_.require_coverage ? coverage_.incomplete() : 0;
  if (incomplete > 0) {
    std::cout << "coverage incomplete: " << incomplete
              << " rule(s) or threshold(s) not seen both raised and not raised"
              << (options_.coverage ? "" : " (--coverage lists them)") << "\n";
  }
  std::cout << (records_.size() - failed_) << " passed, " << failed_ << " failed\n";
  if (!options_.junit.empty()) {
    std::string reason;
    if (!write_file_atomically(options_.junit, junit_xml(records_), &reason)) {
      std::cerr << "safeguard test: cannot write " << options_.junit << ": " << reason << "\n";
      return kExitUsage;
    }
  }
  return failed_ > 0 || incomplete > 0 ? kExitFailure : kExitOk;
}

}  // namespace

int run_test(const Args& args) {
  Options options;
  const CommandLine command_line{
      "test",
      kUsage,
      {
          {{"--rules"}, true, store(options.rules)},
          {{"--filter"}, true, store(options.filter)},
          {{"--calendar"}, true, store(options.calendar)},
          {{"--junit"}, true, store(options.junit)},
          {{"-v", "--verbose"}, false, assign(options.verbose, true)},
          {{"--coverage"}, false, assign(options.coverage, true)},
          {{"--require-coverage"}, false, assign(options.require_coverage, true)},
      },
      append_to(options.tests),
      {}};
  if (const int done = command_line.parse(args); done >= 0) return done;
  std::vector<std::string>& tests = options.tests;
  if (options.rules.empty() && !tests.empty() && is_rule_set(tests.front())) {
    options.rules = tests.front();
    tests.erase(tests.begin());
  }
  if (!options.rules.empty() && !is_rule_set(options.rules)) {
    return usage_error("test", options.rules + " is not a rule set directory (no ruleset.yaml)",
                       kUsage);
  }
  if (tests.empty()) return usage_error("test", "no test files given", kUsage);
  std::vector<std::string> paths;
  std::string problem;
  if (!collect_test_files(tests, &paths, &problem)) return usage_error("test", problem, kUsage);
  if (paths.empty()) return usage_error("test", "no *.test.yaml files found", kUsage);
  Run run(options);
  if (!run.prepare(paths)) return kExitUsage;
  run.run_all();
  return run.finish();
}

}  // namespace safeguard::cli
