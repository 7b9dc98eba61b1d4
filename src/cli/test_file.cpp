// Reading *.test.yaml files into the test model, with a located error for every problem.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "cli.hpp"
#include "test_case_json.hpp"
#include "test_model.hpp"

namespace safeguard::cli::test {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string format(const TestError& error) {
  std::string out = error.where.file;
  if (error.where.line > 0) {
    out += ":" + std::to_string(error.where.line) + ":" + std::to_string(error.where.column);
  }
  out += ": error: " + error.message + "\n";
  if (!error.hint.empty()) out += "  hint: " + error.hint + "\n";
  return out;
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best.empty() ? "" : "did you mean '" + best + "'?";
}

bool is_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  const int y = std::stoi(s.substr(0, 4));
  const int m = std::stoi(s.substr(5, 2));
  const int d = std::stoi(s.substr(8, 2));
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

namespace {

const std::vector<std::string> kFileKeys = {"rules", "as_of", "calendar", "cases", "tests"};
const std::vector<std::string> kTestKeys = {"name", "as_of",     "calendar", "case_ref",
                                            "case", "case_file", "patch",    "expect"};
const std::vector<std::string> kExpectKeys = {
    "flags",        "flags_include",        "flags_exclude",        "level",
    "actions",      "actions_include",      "actions_exclude",      "due",
    "undetermined", "undetermined_include", "undetermined_exclude", "messages",
    "violations"};

// Reads one file; all state of the parse lives here.
class Reader {
 public:
  Reader(TestFile* out, const Locator& locator) : out_(out), at_(locator) {}

  void read(const YAML::Node& root);

 private:
  void error(std::vector<TestError>* errors, const YAML::Node& node, std::string message,
             std::string hint = "") {
    errors->push_back({at_.at(node), std::move(message), std::move(hint)});
  }
  void file_error(const YAML::Node& node, std::string message, std::string hint = "") {
    error(&out_->errors, node, std::move(message), std::move(hint));
  }

  // Checks a mapping's keys: known ones only, no duplicates. Returns false if not a mapping.
  bool check_keys(const YAML::Node& map, const std::vector<std::string>& known, const char* what,
                  std::vector<TestError>* errors);
  bool string_of(const YAML::Node& node, std::string* out, const char* what,
                 std::vector<TestError>* errors);
  bool date_of(const YAML::Node& node, std::string* out, std::vector<TestError>* errors);
  void read_test(const YAML::Node& node);
  void read_expect(const YAML::Node& node, TestSpec* test);
  std::optional<IdList> id_list(const YAML::Node& node, const char* key,
                                std::vector<TestError>* errors);
  std::optional<Id> id_of(const YAML::Node& node, const char* what, std::vector<TestError>* errors);

  TestFile* out_;
  const Locator& at_;
  std::string as_of_;
  std::string calendar_;
  Where calendar_where_;
  std::map<std::string, json::value> cases_;
  std::set<std::string> names_;
  YamlBudget budget_;
};

bool Reader::check_keys(const YAML::Node& map, const std::vector<std::string>& known,
                        const char* what, std::vector<TestError>* errors) {
  if (!map.IsMap()) {
    error(errors, map, std::string(what) + " must be a mapping");
    return false;
  }
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      error(errors, it->first, "unknown key '" + key + "' in " + what, did_you_mean(key, known));
    } else if (!seen.insert(key).second) {
      error(errors, it->first, "duplicate key '" + key + "' in " + what);
    }
  }
  return true;
}

bool Reader::string_of(const YAML::Node& node, std::string* out, const char* what,
                       std::vector<TestError>* errors) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    error(errors, node, std::string(what) + " must be non-empty text");
    return false;
  }
  *out = scalar_text(node);
  return true;
}

bool Reader::date_of(const YAML::Node& node, std::string* out, std::vector<TestError>* errors) {
  std::string text;
  if (!string_of(node, &text, "as_of", errors)) return false;
  if (!is_date(text)) {
    error(errors, node, "as_of must be a date YYYY-MM-DD", "write e.g. as_of: 2024-06-03");
    return false;
  }
  *out = text;
  return true;
}

std::optional<Id> Reader::id_of(const YAML::Node& node, const char* what,
                                std::vector<TestError>* errors) {
  std::string text;
  if (!string_of(node, &text, what, errors)) return std::nullopt;
  return Id{text, at_.at(node)};
}

std::optional<IdList> Reader::id_list(const YAML::Node& node, const char* key,
                                      std::vector<TestError>* errors) {
  IdList list;
  list.where = at_.at(node);
  if (node.IsNull()) return list;  // `flags:` with nothing: the empty set
  if (!node.IsSequence()) {
    error(errors, node, std::string(key) + " must be a list of ids",
          std::string("write ") + key + ": [id, ...]");
    return std::nullopt;
  }
  std::set<std::string> seen;
  for (const auto& item : node) {
    if (auto id = id_of(item, "an id", errors)) {
      if (!seen.insert(id->text).second) {
        error(errors, item, "'" + id->text + "' is listed twice in " + key);
        continue;
      }
      list.ids.push_back(std::move(*id));
    }
  }
  return list;
}

void Reader::read(const YAML::Node& root) {
  if (root.IsNull()) {
    out_->errors.push_back(
        TestError{Where{out_->path, 1, 1}, "the test file is empty", "give a `tests:` list"});
    return;
  }
  if (!check_keys(root, kFileKeys, "the test file", &out_->errors)) return;
  const fs::path dir = fs::path(out_->path).parent_path();
  if (const auto rules = root["rules"]) {
    std::string text;
    if (string_of(rules, &text, "rules", &out_->errors)) {
      out_->rules = (dir / text).lexically_normal().string();
      out_->rules_where = at_.at(rules);
    }
  }
  if (const auto as_of = root["as_of"]) date_of(as_of, &as_of_, &out_->errors);
  if (const auto calendar = root["calendar"]) {
    string_of(calendar, &calendar_, "calendar", &out_->errors);
    calendar_where_ = at_.at(calendar);
  }
  if (const auto cases = root["cases"]) {
    if (!cases.IsMap()) {
      file_error(cases, "cases must be a mapping of names to cases");
    } else {
      for (auto it = cases.begin(); it != cases.end(); ++it) {
        const std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
        if (name.empty()) file_error(it->first, "a case's name must be text");
        if (!it->second.IsMap()) file_error(it->second, "case '" + name + "' must be a mapping");
        if (name.empty() || !it->second.IsMap()) continue;
        if (cases_.count(name) != 0) file_error(it->first, "duplicate case '" + name + "'");
        cases_[name] = yaml_to_json(it->second, at_, &budget_, &out_->errors);
      }
    }
  }
  const auto tests = root["tests"];
  if (!tests) {
    out_->errors.push_back(
        TestError{Where{out_->path, 1, 1}, "the test file has no `tests:` list", ""});
    return;
  }
  if (!tests.IsSequence()) {
    file_error(tests, "tests must be a list");
    return;
  }
  for (const auto& t : tests) read_test(t);
}

void Reader::read_test(const YAML::Node& node) {
  TestSpec test;
  test.where = at_.at(node);
  std::vector<TestError>* errors = &test.errors;
  test.as_of = as_of_;
  test.calendar = calendar_;
  test.calendar_where = calendar_where_;
  if (!check_keys(node, kTestKeys, "a test", errors)) {
    test.name = "test #" + std::to_string(out_->tests.size() + 1);
    out_->tests.push_back(std::move(test));
    return;
  }
  if (const auto name = node["name"]) {
    test.where = at_.at(name);
    if (string_of(name, &test.name, "name", errors) && !names_.insert(test.name).second) {
      error(errors, name, "another test in this file is named '" + test.name + "'",
            "test names must be unique within a file");
    }
  } else {
    error(errors, node, "a test needs a `name:`");
  }
  if (test.name.empty()) test.name = "test #" + std::to_string(out_->tests.size() + 1);
  if (const auto as_of = node["as_of"]) date_of(as_of, &test.as_of, errors);
  if (test.as_of.empty() && !node["as_of"]) {
    error(errors, node, "test '" + test.name + "' has no as_of date",
          "give `as_of:` in the test or at the top of the file");
  }
  if (const auto calendar = node["calendar"]) {
    string_of(calendar, &test.calendar, "calendar", errors);
    test.calendar_where = at_.at(calendar);
  }

  // The case: exactly one of case_ref, case, case_file; then the patch.
  int sources = 0;
  const std::size_t errors_before = errors->size();
  json::value the_case;
  for (const char* key : {"case_ref", "case", "case_file"}) {
    const auto source = node[key];
    if (!source) continue;
    if (++sources > 1) {
      error(errors, source, "give only one of case_ref, case and case_file");
      continue;
    }
    const std::string k = key;
    if (k == "case") {
      if (!source.IsMap()) {
        error(errors, source, "case must be a mapping (the case snapshot)");
      } else {
        the_case = yaml_to_json(source, at_, &budget_, errors);
      }
    } else if (k == "case_ref") {
      std::string ref;
      if (!string_of(source, &ref, "case_ref", errors)) continue;
      const auto found = cases_.find(ref);
      if (found == cases_.end()) {
        std::vector<std::string> names;
        for (const auto& c : cases_) names.push_back(c.first);
        error(errors, source, "no case named '" + ref + "' in this file's `cases:`",
              did_you_mean(ref, names));
      } else {
        the_case = found->second;
      }
    } else {
      std::string file;
      if (!string_of(source, &file, "case_file", errors)) continue;
      const fs::path dir = fs::path(out_->path).parent_path();
      read_case_file((dir / file).lexically_normal().string(), at_.at(source), &the_case, errors);
    }
  }
  if (sources == 0) {
    error(errors, node, "test '" + test.name + "' has no case",
          "give one of case_ref, case or case_file");
  }
  if (const auto patch = node["patch"])
    merge_patch(the_case, yaml_to_json(patch, at_, &budget_, errors));
  if (sources > 0 && errors->size() == errors_before && !the_case.is_object()) {
    error(errors, node, "test '" + test.name + "': the case is not a mapping");
  }
  test.case_json = json::serialize(the_case);
  budget_.case_bytes += test.case_json.size();
  if (budget_.case_bytes > YamlBudget::kMaxCaseBytes) {
    error(errors, node,
          "the test file's cases add up to too much JSON (the limit is " +
              std::to_string(YamlBudget::kMaxCaseBytes) + " bytes)",
          "split the test file");
    test.case_json.clear();
  }

  if (const auto expect = node["expect"]) {
    read_expect(expect, &test);
  } else {
    error(errors, node, "test '" + test.name + "' has no `expect:`",
          "say what the rules should do, e.g. expect: {flags: []}");
  }
  out_->tests.push_back(std::move(test));
}

void Reader::read_expect(const YAML::Node& node, TestSpec* test) {
  std::vector<TestError>* errors = &test->errors;
  Expectation& e = test->expect;
  e.where = at_.at(node);
  if (!check_keys(node, kExpectKeys, "expect", errors)) return;
  if (node.size() == 0) {
    error(errors, node, "expect names no expectation", "give at least one of flags, level, ...");
    return;
  }
  const std::pair<const char*, std::optional<IdList>*> lists[] = {
      {"flags", &e.flags},
      {"flags_include", &e.flags_include},
      {"flags_exclude", &e.flags_exclude},
      {"actions", &e.actions},
      {"actions_include", &e.actions_include},
      {"actions_exclude", &e.actions_exclude},
      {"undetermined", &e.undetermined},
      {"undetermined_include", &e.undetermined_include},
      {"undetermined_exclude", &e.undetermined_exclude},
  };
  for (const auto& [key, slot] : lists) {
    if (const auto list = node[key]) *slot = id_list(list, key, errors);
  }
  if (const auto level = node["level"]) e.level = id_of(level, "level", errors);
  if (const auto due = node["due"]) {
    if (!due.IsMap()) {
      error(errors, due, "due must map action ids to dates", "write due: {action-id: 2024-04-03}");
    } else {
      for (auto it = due.begin(); it != due.end(); ++it) {
        auto action = id_of(it->first, "an action id", errors);
        if (!action) continue;
        DueExpectation d{*action, std::nullopt};
        if (!it->second.IsNull()) {
          std::string date;
          if (!it->second.IsScalar() || !is_date(it->second.Scalar())) {
            error(errors, it->second, "the due date of '" + action->text + "' must be YYYY-MM-DD",
                  "or null for an action with no due date");
            continue;
          }
          d.date = it->second.Scalar();
        }
        e.due.push_back(std::move(d));
      }
    }
  }
  if (const auto messages = node["messages"]) {
    if (!messages.IsMap()) {
      error(errors, messages, "messages must map flag ids to text the message contains");
    } else {
      for (auto it = messages.begin(); it != messages.end(); ++it) {
        auto flag = id_of(it->first, "a flag id", errors);
        std::string text;
        if (!flag || !string_of(it->second, &text, "the expected message text", errors)) continue;
        e.messages.push_back({*flag, text});
      }
    }
  }
  if (const auto violations = node["violations"]) {
    const std::string& text = violations.IsScalar() ? violations.Scalar() : "";
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
        text.size() > 9) {
      error(errors, violations, "violations must be a whole number (0 or more)");
    } else {
      e.violations = std::stoull(text);
    }
  }
}

// Where a second YAML document starts in `text`, or -1. YAML::Load reads the first document
// only: the suites of a file that holds two (`---` between them) would be left out without
// a word, their tests never run, and the run would pass. The handler stops the parse where
// the second starts (a stray ',' at the top level starts one too, to yaml-cpp).
class SecondDocumentFinder final : public YAML::EventHandler {
 public:
  static std::int64_t find(const std::string& text) {
    std::istringstream stream{text};
    YAML::Parser parser(stream);
    SecondDocumentFinder finder;
    try {
      while (parser.HandleNextDocument(finder)) {
      }
    } catch (const Found& found) {
      return found.mark.pos >= 0 ? found.mark.pos : 0;
    }
    return -1;
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) throw Found{mark};
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  struct Found {
    YAML::Mark mark;
  };
  int documents_ = 0;
};

}  // namespace

TestFile read_test_file(const std::string& path) {
  std::string text;
  std::string reason;
  if (!read_file(path, &text, &reason)) {
    TestFile out;
    out.path = path;
    out.errors.push_back(
        TestError{Where{path, 0, 0}, "cannot read the test file: it " + reason, ""});
    return out;
  }
  return read_test_text(path, text);
}

TestFile read_test_text(const std::string& path, const std::string& text) {
  TestFile out;
  out.path = path;
  const Locator locator(path, text);
  try {
    if (const std::int64_t second = SecondDocumentFinder::find(text); second >= 0) {
      const auto at = static_cast<std::size_t>(second);
      if (at < text.size() && text[at] == ',') {
        out.errors.push_back({locator.at_offset(static_cast<long>(at)),
                              "invalid YAML: a ',' outside a [ ] or { } list",
                              "put a value with a comma in quotes, or remove the stray ','"});
      } else {
        out.errors.push_back(
            {locator.at_offset(static_cast<long>(at)),
             "a test file holds one YAML document; found another after '---' or '...'",
             "put every test in the one `tests:` list, or the second document in a file of "
             "its own"});
      }
      return out;
    }
    const YAML::Node root = YAML::Load(text);
    Reader(&out, locator).read(root);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's guard against a stack overflow; its own message is only "bad file".
    out.errors.push_back({locator.at_offset(e.mark.pos),
                          "YAML nesting is too deep (the limit is " +
                              std::to_string(YamlBudget::kMaxDepth) + " levels)",
                          ""});
  } catch (const YAML::Exception& e) {
    out.errors.push_back({locator.at_offset(e.mark.pos), "invalid YAML: " + e.msg, ""});
  }
  return out;
}

}  // namespace safeguard::cli::test
