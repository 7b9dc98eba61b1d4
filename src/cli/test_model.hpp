// The rule-test file model (docs/rule-tests.md): what `safeguard test` reads from a
// *.test.yaml file, with the file position of everything it may have to complain about.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace safeguard::cli::test {

// A position in a test file; line and column are 1-based, the column counted in code points.
struct Where {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// A located problem in a test file: "file:line:col: error: message", then the hint.
struct TestError {
  Where where;
  std::string message;
  std::string hint;
};

std::string format(const TestError& error);

// An id (flag, rule, threshold, level, action) as written, with its position.
struct Id {
  std::string text;
  Where where;
};

struct IdList {
  Where where;  // the key
  std::vector<Id> ids;
};

struct DueExpectation {
  Id action;
  std::optional<std::string> date;  // none: the action must have no due date
};

struct MessageExpectation {
  Id flag;
  std::string substring;
};

struct Expectation {
  Where where;
  std::optional<IdList> flags, flags_include, flags_exclude;
  std::optional<IdList> actions, actions_include, actions_exclude;
  std::optional<IdList> undetermined, undetermined_include, undetermined_exclude;
  std::optional<Id> level;
  std::vector<DueExpectation> due;
  std::vector<MessageExpectation> messages;
  std::optional<std::uint64_t> violations;
};

struct TestSpec {
  std::string name;
  Where where;  // the test's `name:` (or its mapping when the name is missing)
  std::string as_of;
  std::string calendar;  // "" = the rule set's default
  Where calendar_where;
  std::string case_json;  // the case after the patch, as JSON text
  Expectation expect;
  std::vector<TestError> errors;  // when not empty, the test fails without running
};

struct TestFile {
  std::string path;   // as given or found
  std::string rules;  // the `rules:` key resolved against the file's directory, or ""
  Where rules_where;
  std::vector<TestSpec> tests;
  // Problems with the file as a whole (YAML syntax, top-level keys): every test in it fails.
  std::vector<TestError> errors;
};

// Reads and parses a test file. Never throws for bad input: problems land in `errors`.
TestFile read_test_file(const std::string& path);
// The same for a file's text already in memory; `path` locates errors and resolves the
// file's relative references (case_file, rules).
TestFile read_test_text(const std::string& path, const std::string& text);

// Closest candidate by edit distance, as " did you mean 'x'?" advice, or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// Whether `text` is a valid calendar date "YYYY-MM-DD".
bool is_date(const std::string& text);

}  // namespace safeguard::cli::test
