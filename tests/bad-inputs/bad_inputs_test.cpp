// Runs every entry of the bad-input corpus and compares the first diagnostic it produces
// (kind, stable code and location) with the line recorded for it in expected.txt.
//
//   bad_inputs_test CORPUS_DIR            check every entry; exit 1 on any difference
//   bad_inputs_test CORPUS_DIR --print    print what each entry produces, in the
//                                         expected.txt format (to review, then approve)
//
// The corpus folders, by what an entry is fed to (see README.md):
//   rules/        a rule file, loaded beside base/ruleset.yaml as the only rule file
//   manifests/    a ruleset.yaml, loaded with base/rules.yaml and the base schema
//   calendars/    a calendar file, in the base rule set's calendars/ folder
//   expressions/  a CEL expression, evaluated with base/vars.json as of 2024-06-03
//   snapshots/    a case snapshot, evaluated against base/ as of 2024-06-03
//
// Uses only the public API, as a host would.
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "safeguard/expr.hpp"
#include "safeguard/rule_set.hpp"

namespace fs = std::filesystem;
using namespace safeguard;

namespace {

constexpr const char* kAsOf = "2024-06-03";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "bad_inputs_test: cannot read " << path << "\n";
    std::exit(2);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string location(const Diagnostic& d) {
  std::string out = d.file.empty() ? "-" : d.file;
  if (d.line > 0) out += ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
  return out;
}

// The first error, else the first warning: what a user sees first and must be right.
std::string first_diagnostic(const std::vector<Diagnostic>& diagnostics) {
  for (Severity severity : {Severity::kError, Severity::kWarning}) {
    for (const Diagnostic& d : diagnostics) {
      if (d.severity == severity)
        return std::string(to_string(severity)) + " " + d.code + " " + location(d);
    }
  }
  return "none";
}

// How evaluating a snapshot went: the error that stopped it, else the first schema
// violation, else the first undetermined rule, else "evaluated" and the flags raised.
std::string outcome(const RuleSet& rules, const std::string& snapshot) {
  EvalOptions options;
  options.as_of = kAsOf;
  const Result r = rules.evaluate(snapshot, options);
  if (!r.evaluated) return first_diagnostic(r.errors);
  if (!r.violations.empty()) {
    const Violation& v = r.violations.front();
    return "violation " + v.code + " " + (v.path.empty() ? "/" : v.path);
  }
  if (!r.undetermined.empty()) {
    const Undetermined& u = r.undetermined.front();
    return "undetermined " + u.reason + " " + u.id + (u.path.empty() ? "" : " " + u.path);
  }
  std::string out = "evaluated";
  for (const Flag& f : r.flags) out += " " + f.id;
  return out;
}

// Each configurable limit, lowered far enough that the base inputs meet it: proves that
// the limit is enforced and that Limits really configures it.
constexpr const char* kLimitNames[] = {
    "max_rule_file_bytes", "max_rule_files",           "max_yaml_depth",
    "max_yaml_nodes",      "max_expression_bytes",     "max_expression_depth",
    "max_regex_bytes",     "max_regex_bytes.run-time", "max_snapshot_bytes",
    "max_json_depth",      "max_evaluation_steps",     "max_evaluation_bytes"};

class Corpus {
 public:
  explicit Corpus(fs::path dir) : dir_(std::move(dir)) {
    base_manifest_ = read(dir_ / "base" / "ruleset.yaml");
    base_rules_ = read(dir_ / "base" / "rules.yaml");
    base_schema_ = read(dir_ / "base" / "schema.json");
    vars_ = read(dir_ / "base" / "vars.json");
    base_case_ = read(dir_ / "base" / "case.json");
    std::vector<RuleFileText> files = base_files(base_manifest_ + "files: [rules.yaml]\n");
    files.push_back({"rules.yaml", base_rules_});
    LoadResult loaded = RuleSet::load(std::move(files));
    if (!loaded.ok()) {
      std::cerr << "bad_inputs_test: the base rule set does not load:\n"
                << format(loaded.diagnostics);
      std::exit(2);
    }
    base_ = loaded.rule_set;
  }

  // What the entry at `relative` (e.g. "rules/tabs.yaml") produces, in expected.txt form.

  // Entries too large to commit, made in memory: "synthetic/FOLDER/NAME".
  static std::string synthetic(const std::string& relative) {
    if (relative == "synthetic/rules/too-large.yaml")
      return "# " + std::string(1u << 20, 'x') + "\n";
    if (relative == "synthetic/snapshots/too-large.json") {
      return "{\"schema\": \"" + std::string(16u << 20, 'x') + "\"}";
    }
    std::cerr << "bad_inputs_test: no such synthetic entry: " << relative << "\n";
    std::exit(2);
  }

  std::string run(const std::string& relative) const {
    if (relative.rfind("limits/", 0) == 0) return run_limit(relative.substr(7));
    const bool made = relative.rfind("synthetic/", 0) == 0;
    const std::string text = made ? synthetic(relative) : read(dir_ / relative);
    const std::string entry = made ? relative.substr(relative.find('/') + 1) : relative;
    const std::string folder = entry.substr(0, entry.find('/'));
    const std::string name = fs::path(entry).filename().string();
    if (folder == "rules") {
      std::vector<RuleFileText> files = base_files(base_manifest_ + "files: [" + name + "]\n");
      files.push_back({name, text});
      // A rule file that loads is also evaluated: some inputs only bite at run time.
      const LoadResult loaded = RuleSet::load(std::move(files));
      std::string out = first_diagnostic(loaded.diagnostics);
      if (loaded.ok()) out += " | " + outcome(*loaded.rule_set, base_case_);
      return out;
    }
    if (folder == "manifests") {
      std::vector<RuleFileText> files = base_files(text);
      files.push_back({"rules.yaml", base_rules_});
      return first_diagnostic(RuleSet::load(std::move(files)).diagnostics);
    }
    if (folder == "calendars") {
      std::vector<RuleFileText> files =
          base_files(base_manifest_ + "calendars: calendars\nfiles: [rules.yaml]\n");
      files.push_back({"rules.yaml", base_rules_});
      files.push_back({"calendars/" + name, text});
      return first_diagnostic(RuleSet::load(std::move(files)).diagnostics);
    }
    if (folder == "expressions") {
      ExprOptions options;
      options.as_of = kAsOf;
      const ExprResult r = evaluate_expression(text, vars_, options);
      static const char* const kStatus[] = {"ok", "input-error", "parse-error", "check-error",
                                            "eval-error"};
      std::string out = kStatus[static_cast<int>(r.status)];
      if (!r.diagnostics.empty())
        out += " " + r.diagnostics.front().code + " " + location(r.diagnostics.front());
      return out;
    }
    if (folder == "snapshots") return outcome(*base_, text);
    std::cerr << "bad_inputs_test: no such corpus folder: " << folder << "\n";
    std::exit(2);
  }

  std::string run_limit(const std::string& name) const {
    Limits limits;
    std::string expression;
    if (name == "max_rule_file_bytes") limits.max_rule_file_bytes = 100;
    if (name == "max_rule_files") limits.max_rule_files = 0;
    if (name == "max_yaml_depth") limits.max_yaml_depth = 2;
    if (name == "max_yaml_nodes") limits.max_yaml_nodes = 30;
    if (name == "max_expression_bytes") limits.max_expression_bytes = 40;
    if (name == "max_expression_depth") limits.max_expression_depth = 3;
    if (name == "max_regex_bytes") {
      limits.max_regex_bytes = 3;
      expression = "s.matches('abcd')";
    }
    if (name == "max_regex_bytes.run-time") {
      limits.max_regex_bytes = 3;
      expression = "s.matches(s)";
    }
    if (name == "max_snapshot_bytes") limits.max_snapshot_bytes = 100;
    if (name == "max_json_depth") limits.max_json_depth = 1;
    if (name == "max_evaluation_steps") limits.max_evaluation_steps = 1;
    if (name == "max_evaluation_bytes") {
      limits.max_evaluation_bytes = 1000;
      expression = "xs.map(x, 'abc' + s).size()";
    }
    if (!expression.empty()) {
      ExprOptions options;
      options.limits = limits;
      const ExprResult r = evaluate_expression(expression, vars_, options);
      return r.diagnostics.empty()
                 ? "ok"
                 : r.diagnostics.front().code + " " + location(r.diagnostics.front());
    }
    LoadOptions options;
    options.limits = limits;
    std::vector<RuleFileText> files = base_files(base_manifest_ + "files: [rules.yaml]\n");
    files.push_back({"rules.yaml", base_rules_});
    const LoadResult loaded = RuleSet::load(std::move(files), options);
    if (!loaded.ok()) return first_diagnostic(loaded.diagnostics);
    return outcome(*loaded.rule_set, base_case_);
  }

  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const char* folder : {"rules", "manifests", "calendars", "expressions", "snapshots"}) {
      if (!fs::is_directory(dir_ / folder)) continue;
      for (const auto& e : fs::directory_iterator(dir_ / folder)) {
        if (e.is_regular_file())
          out.push_back(std::string(folder) + "/" + e.path().filename().string());
      }
    }
    std::sort(out.begin(), out.end());
    out.push_back("synthetic/rules/too-large.yaml");
    out.push_back("synthetic/snapshots/too-large.json");
    for (const char* limit : kLimitNames) out.push_back(std::string("limits/") + limit);
    return out;
  }

 private:
  std::vector<RuleFileText> base_files(std::string manifest) const {
    return {{"ruleset.yaml", std::move(manifest)}, {"schema.json", base_schema_}};
  }

  fs::path dir_;
  std::string base_manifest_, base_rules_, base_schema_, vars_, base_case_;
  std::shared_ptr<const RuleSet> base_;
};

// expected.txt: "ENTRY  OUTCOME" per line (two or more spaces between); '#' starts a comment.
std::map<std::string, std::string> read_expected(const fs::path& path) {
  std::map<std::string, std::string> out;
  std::istringstream in(read(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t gap = line.find("  ");
    if (gap == std::string::npos) {
      std::cerr << "bad_inputs_test: expected.txt: no outcome on line: " << line << "\n";
      std::exit(2);
    }
    const std::size_t start = line.find_first_not_of(' ', gap);
    out[line.substr(0, gap)] = line.substr(start);
  }
  return out;
}

// Runs every entry on a thread with a small stack, so that a recursion too deep for a
// host's worker thread fails here (SECURITY.md promises 1 MiB is enough; sanitizers make
// frames several times larger, so they get more).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::size_t kStackBytes = std::size_t{16} << 20;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr std::size_t kStackBytes = std::size_t{16} << 20;
#else
constexpr std::size_t kStackBytes = std::size_t{1} << 20;
#endif
#else
constexpr std::size_t kStackBytes = std::size_t{1} << 20;
#endif

struct Run {
  int argc;
  char** argv;
  int status = 2;
};

int run_main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bad_inputs_test CORPUS_DIR [--print]\n";
    return 2;
  }
  const fs::path dir = argv[1];
  const bool print = argc > 2 && std::string(argv[2]) == "--print";
  const Corpus corpus(dir);
  const std::vector<std::string> entries = corpus.entries();
  if (print) {
    for (const std::string& e : entries) {
      const auto start = std::chrono::steady_clock::now();
      std::cout << e << std::string(e.size() < 44 ? 46 - e.size() : 2, ' ') << corpus.run(e)
                << "\n";
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
      if (ms.count() > 200) std::cerr << "slow: " << e << " " << ms.count() << " ms\n";
    }
    return 0;
  }
  const std::map<std::string, std::string> expected = read_expected(dir / "expected.txt");
  int failures = 0;
  for (const std::string& e : entries) {
    const std::string actual = corpus.run(e);
    const auto it = expected.find(e);
    if (it == expected.end()) {
      std::cout << "FAIL " << e << ": not in expected.txt (produces: " << actual << ")\n";
      ++failures;
    } else if (it->second != actual) {
      std::cout << "FAIL " << e << "\n  expected: " << it->second << "\n  actual:   " << actual
                << "\n";
      ++failures;
    }
  }
  for (const auto& [e, outcome] : expected) {
    if (std::find(entries.begin(), entries.end(), e) == entries.end()) {
      std::cout << "FAIL " << e << ": listed in expected.txt but the file is missing\n";
      ++failures;
    }
  }
  std::cout << entries.size() << " bad inputs, " << failures << " failed (stack "
            << (kStackBytes >> 10) << " KiB)\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Run run{argc, argv};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kStackBytes);
  pthread_t thread;
  const auto body = [](void* p) -> void* {
    Run* r = static_cast<Run*>(p);
    r->status = run_main(r->argc, r->argv);
    return nullptr;
  };
  if (pthread_create(&thread, &attr, body, &run) != 0) {
    std::cerr << "bad_inputs_test: cannot start a thread\n";
    return 2;
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return run.status;
}
