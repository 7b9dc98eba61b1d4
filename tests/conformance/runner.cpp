// The CEL conformance runner: runs the tests export.mjs extracted from @bufbuild/cel-spec,
// prints pass counts per file and section, and fails when a test outside the skip list
// fails or a test on the skip list passes (so the list never goes stale).
//
//   conformance_runner <tests.json> <known_failures.txt> [--filter TEXT] [--all] [--markdown]
//
// --filter runs only tests whose file/section/name contains TEXT; --all also details the
// known failures; --markdown prints the README's pass table.
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "run_case.hpp"

namespace json = boost::json;
using safeguard::conformance::CaseResult;

namespace {

struct Options {
  std::string tests_path;
  std::string known_path;
  std::string filter;
  bool all = false;
  bool markdown = false;
};

struct Counts {
  int passed = 0;
  int total = 0;
};

struct Failure {
  std::string id;
  std::string expr;
  CaseResult result;
};

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// known_failures.txt: `file/section/test  # reason`; blank lines and lines starting
// with '#' are ignored.
std::map<std::string, std::string> read_known(const std::string& text) {
  std::map<std::string, std::string> known;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto hash = line.find('#');
    const std::string id = trim(line.substr(0, hash));
    if (id.empty()) continue;
    known[id] = hash == std::string::npos ? "" : trim(line.substr(hash + 1));
  }
  return known;
}

bool parse_args(int argc, char** argv, Options* o) {
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--filter" && i + 1 < argc)
      o->filter = argv[++i];
    else if (arg == "--all")
      o->all = true;
    else if (arg == "--markdown")
      o->markdown = true;
    else if (arg.rfind("--", 0) == 0)
      return false;
    else
      positional.push_back(arg);
  }
  if (positional.size() != 2) return false;
  o->tests_path = positional[0];
  o->known_path = positional[1];
  return true;
}

void print_failure(const Failure& f, const char* reason) {
  std::printf("  %s\n    expr:     %s\n    expected: %s\n    actual:   %s\n", f.id.c_str(),
              f.expr.c_str(), f.result.expected.c_str(), f.result.actual.c_str());
  if (reason != nullptr && *reason != '\0') std::printf("    known:    %s\n", reason);
}

// The README table: per file, passed / protobuf-free / all tests in the file.
void print_markdown(const json::object& doc, const std::map<std::string, Counts>& by_file) {
  std::printf("| file | passed | protobuf-free | all tests |\n|---|---:|---:|---:|\n");
  Counts sum;
  int all = 0;
  for (const json::value& f : doc.at("files").as_array()) {
    const json::object& file = f.as_object();
    const std::string name(file.at("name").as_string());
    const auto total = file.at("total").to_number<int>();
    const Counts c = by_file.count(name) ? by_file.at(name) : Counts{};
    std::printf("| %s | %d | %d | %d |\n", name.c_str(), c.passed, c.total, total);
    sum.passed += c.passed;
    sum.total += c.total;
    all += total;
  }
  std::printf("| **total** | **%d** | **%d** | **%d** |\n", sum.passed, sum.total, all);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_args(argc, argv, &options)) {
    std::fprintf(stderr,
                 "usage: conformance_runner <tests.json> <known_failures.txt> [--filter TEXT] "
                 "[--all] [--markdown]\n");
    return 2;
  }
  std::string tests_text;
  std::string known_text;
  if (!read_file(options.tests_path, &tests_text)) {
    std::fprintf(stderr, "cannot read %s (run export.mjs first)\n", options.tests_path.c_str());
    return 2;
  }
  if (!read_file(options.known_path, &known_text)) {
    std::fprintf(stderr, "cannot read %s\n", options.known_path.c_str());
    return 2;
  }
  json::error_code ec;
  json::value parsed = json::parse(tests_text, ec);
  if (ec || !parsed.is_object()) {
    std::fprintf(stderr, "%s is not valid JSON: %s\n", options.tests_path.c_str(),
                 ec.message().c_str());
    return 2;
  }
  const json::object& doc = parsed.as_object();
  const std::map<std::string, std::string> known = read_known(known_text);

  // Sections in the order the suite lists them.
  std::vector<std::string> order;
  std::map<std::string, Counts> by_section;
  std::map<std::string, Counts> by_file;
  std::vector<Failure> unexpected;
  std::vector<Failure> expected_failures;
  std::set<std::string> seen;
  std::vector<std::string> now_passing;
  for (const json::value& t : doc.at("tests").as_array()) {
    const json::object& test = t.as_object();
    const std::string file(test.at("file").as_string());
    const std::string section = file + "/" + std::string(test.at("section").as_string());
    const std::string id = section + "/" + std::string(test.at("name").as_string());
    seen.insert(id);
    if (!options.filter.empty() && id.find(options.filter) == std::string::npos) continue;
    if (!by_section.count(section)) order.push_back(section);
    Failure f{id, std::string(test.at("expr").as_string()), safeguard::conformance::run_case(test)};
    ++by_section[section].total;
    ++by_file[file].total;
    const bool listed = known.count(id) != 0;
    if (f.result.passed) {
      ++by_section[section].passed;
      ++by_file[file].passed;
      if (listed) now_passing.push_back(id);
    } else if (listed) {
      expected_failures.push_back(std::move(f));
    } else {
      unexpected.push_back(std::move(f));
    }
  }

  if (options.markdown) {
    print_markdown(doc, by_file);
    return 0;
  }
  std::printf("CEL conformance: %s@%s\n", std::string(doc.at("package").as_string()).c_str(),
              std::string(doc.at("version").as_string()).c_str());
  Counts total;
  std::string current_file;
  for (const std::string& section : order) {
    const std::string file = section.substr(0, section.find('/'));
    if (file != current_file) {
      current_file = file;
      const Counts& c = by_file[file];
      std::printf("%-14s %4d/%-4d\n", file.c_str(), c.passed, c.total);
      total.passed += c.passed;
      total.total += c.total;
    }
    const Counts& c = by_section[section];
    std::printf("  %-44s %4d/%-4d\n", section.c_str(), c.passed, c.total);
  }
  std::printf("total          %4d/%-4d (%zu known failures)\n", total.passed, total.total,
              expected_failures.size());

  if (options.all && !expected_failures.empty()) {
    std::printf("\nknown failures:\n");
    for (const Failure& f : expected_failures) print_failure(f, known.at(f.id).c_str());
  }
  // Entries that name no exported test are stale too (renamed upstream, or a typo).
  std::vector<std::string> unknown;
  if (options.filter.empty()) {
    for (const auto& [id, reason] : known) {
      if (!seen.count(id)) unknown.push_back(id);
    }
  }
  if (!unexpected.empty()) {
    std::printf("\n%zu unexpected failure(s):\n", unexpected.size());
    for (const Failure& f : unexpected) print_failure(f, nullptr);
  }
  if (!now_passing.empty()) {
    std::printf("\n%zu test(s) in known_failures.txt now pass; remove them:\n", now_passing.size());
    for (const std::string& id : now_passing) std::printf("  %s\n", id.c_str());
  }
  if (!unknown.empty()) {
    std::printf("\n%zu line(s) in known_failures.txt name no protobuf-free test:\n",
                unknown.size());
    for (const std::string& id : unknown) std::printf("  %s\n", id.c_str());
  }
  const bool ok = unexpected.empty() && now_passing.empty() && unknown.empty();
  std::printf("\n%s\n", ok ? "conformance: OK" : "conformance: FAILED");
  return ok ? 0 : 1;
}
