// Case data must never reach an error, warning, explanation or log unless the caller asks
// for values (--show-values). This test fills snapshots and expression variables with
// marker strings, drives them through every error, warning and explain path of the
// library and the CLI, and fails if any marker shows up in any output.
//
//   leak_test SOURCE_DIR [SAFEGUARD_CLI]
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "safeguard/expr.hpp"
#include "safeguard/rule_set.hpp"

namespace fs = std::filesystem;
using namespace safeguard;

namespace {

// Values that appear nowhere in the rule files, so finding one means case data leaked.
const std::vector<std::string> kMarkers = {"ZQXMARK", "1911-11-31", "11:11:61", "73317331",
                                           "Qzx/Vvq"};

int failures = 0;
int outputs_checked = 0;

void check(const std::string& what, const std::string& output) {
  ++outputs_checked;
  for (const std::string& marker : kMarkers) {
    const std::size_t at = output.find(marker);
    if (at != std::string::npos) {
      ++failures;
      const std::size_t from = at > 80 ? at - 80 : 0;
      std::cout << "LEAK in " << what << ": marker '" << marker << "' near: ..."
                << output.substr(from, 200) << "...\n";
    }
  }
}

// Snapshots whose every value a rule reads is a marker, in the shapes that reach
// different error paths: wrong types, invalid dates and date-times, unknown enum values,
// unknown time zones, numbers where strings belong, and text that is not JSON at all.
std::vector<std::string> snapshots() {
  const std::string head =
      R"({"schema": "safeguarding-case/1", "episode": {"opened_on": "1911-11-31"}, )";
  return {
      head + R"("case_id": "ZQXMARK-1", "child": {"date_of_birth": "ZQXMARK-2"},
         "contacts": [{"id": "ZQXMARK-3(", "received_at": "ZQXMARK-4", "source": "ZQXMARK-5",
                       "concerns": ["ZQXMARK-6"], "decision": {"outcome": "ZQXMARK-7", "decided_at": 73317331}}]})",
      head + R"("case_id": "Qzx/Vvq", "child": {"date_of_birth": "1911-11-31"},
         "contacts": [{"id": "ZQXMARK-8", "received_at": "1911-11-11T11:11:61Z", "source": "police"},
                      {"id": 73317331, "received_at": "2024-05-30T10:00:00Z", "source": "school"}]})",
      head +
          R"("case_id": "73317331", "child": {"date_of_birth": 73317331, "disabled": "ZQXMARK-9"},
         "contacts": [{"id": "a", "received_at": "2024-05-30T10:00:00Z", "source": "police", "extra": "ZQXMARK-10"}],
         "ZQXMARK-key-value": "ZQXMARK-11"})",
      head + R"("case_id": "ZQXMARK-12", "case_id": "ZQXMARK-13", "child": {}, "contacts": []})",
      head + R"("case_id": "ZQXMARK-14", "child": {"date_of_birth": "ZQXMARK-15")",  // truncated
      head + "\"case_id\": \"ZQXMARK-16\xff\", \"contacts\": []}",    // invalid UTF-8
      R"({"schema": "safeguarding-case/1", "case_id": ZQXMARK-17})",  // not JSON
      R"(["ZQXMARK-18", "1911-11-31"])",                              // not an object
  };
}

void library_paths(const fs::path& rules_dir) {
  const LoadResult loaded = RuleSet::load(rules_dir.string());
  if (!loaded.ok()) {
    std::cout << "FAIL: the leak rule set does not load:\n" << format(loaded.diagnostics);
    ++failures;
    return;
  }
  int n = 0;
  for (const std::string& snapshot : snapshots()) {
    ++n;
    for (int mode = 0; mode < 4; ++mode) {
      EvalOptions options;
      options.as_of = "2024-06-03";
      options.explain = mode >= 2;
      options.validate = mode % 2 == 0;
      const Result r = loaded.rule_set->evaluate(snapshot, options);
      const std::string what = "snapshot " + std::to_string(n) + " mode " + std::to_string(mode);
      check(what + " json", r.to_json(true));
      check(what + " text", to_text(r));
      check(what + " errors", format(r.errors));
      const SnapshotParse parsed = Snapshot::parse(snapshot);
      if (!parsed.ok()) check(what + " parse error", format(parsed.error));
    }
  }
}

void expression_paths() {
  const std::string vars = R"({"v": "ZQXMARK-20", "d": "1911-11-31", "t": "1911-11-11T11:11:61Z",
      "z": "Qzx/Vvq", "n": "73317331", "m": {"k": "ZQXMARK-21"}, "xs": ["ZQXMARK-22"]})";
  const std::vector<std::string> expressions = {
      "int(v)",
      "uint(n + 'x')",
      "double(v)",
      "date(d)",
      "date(v)",
      "timestamp(t)",
      "timestamp(v)",
      "duration(v)",
      "{'a': 1}[v]",
      "m[v]",
      "m[n]",
      "xs[int(n)]",
      "v.matches(v + '(')",
      "v.matches(z + '[')",
      "timestamp('2024-01-01T00:00:00Z').getHours(z)",
      "date(timestamp('2024-01-01T00:00:00Z'), v)",
      "add_working_days(date(d), 1)",
      "add_working_days(as_of, 1, v)",
      "bool(v)",
      "timestamp(v) > timestamp(t)",
      "v + 1",
      "dyn(v) + 1",
      "dyn(v) > 1",
      "xs.all(x, int(x) > 0)",
      "xs.exists(x, date(x) > as_of)",
      "dyn(m).k.nope",
      "type(v) == int ? 1 : int(v)",
      "string(bytes(v)[0])",
  };
  for (const std::string& e : expressions) {
    ExprOptions options;
    options.as_of = "2024-06-03";
    const ExprResult r = evaluate_expression(e, vars, options);
    if (r.ok()) {
      std::cout << "FAIL: '" << e << "' was expected to fail and gave " << r.type << "\n";
      ++failures;
    }
    check("expression '" + e + "'", format(r.diagnostics));
  }
  // Variables that are not valid JSON: the error must not quote them.
  for (const std::string& bad :
       {std::string(R"({"v": "ZQXMARK-23)"), std::string(R"({"v": ZQXMARK-24})"),
        std::string("[\"ZQXMARK-25\"]")}) {
    check("bad variables", format(evaluate_expression("1", bad, {}).diagnostics));
  }
}

// Runs the CLI with its output (both streams) captured. A crash, an exit code other than
// 0, 1 or 2, or a sanitizer report (the asan-ubsan build runs this test with
// LeakSanitizer on) is a failure too: this doubles as the leak check of the CLI paths.
std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return "popen failed";
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), p)) > 0) out.append(buffer.data(), n);
  const int status = ::pclose(p);
  const bool exited = status != -1 && WIFEXITED(status);
  if (!exited || WEXITSTATUS(status) > 2 || out.find("Sanitizer") != std::string::npos ||
      out.find("runtime error:") != std::string::npos) {
    ++failures;
    std::cout << "FAIL: " << command << " ended badly (status " << status << "):\n"
              << out.substr(0, 3000) << "\n";
  }
  return out;
}

void cli_paths(const std::string& cli, const fs::path& rules_dir) {
  const fs::path dir = fs::temp_directory_path() / ("safeguard-leak-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<std::string> files;
  int n = 0;
  for (const std::string& snapshot : snapshots()) {
    const fs::path file = dir / ("case" + std::to_string(++n) + ".json");
    std::ofstream(file, std::ios::binary) << snapshot;
    files.push_back(file.string());
  }
  std::string all;
  for (const std::string& f : files) all += " '" + f + "'";
  const std::string rules = " --rules '" + rules_dir.string() + "' --as-of 2024-06-03";
  for (const char* format : {"text", "json"}) {
    for (const char* extra : {"", " --explain", " --no-validate --explain"}) {
      const std::string command =
          "'" + cli + "' eval" + rules + " --format " + format + extra + all;
      check(command, run(command));
    }
  }
  std::ofstream(dir / "vars.json") << R"({"v": "ZQXMARK-30", "d": "1911-11-31"})";
  for (const char* e : {"int(v)", "date(d)", "{'a': 1}[v]", "v + 1", "v.matches(v + '(')"}) {
    const std::string command = "'" + cli + "' expr --as-of 2024-06-03 --vars-file '" +
                                (dir / "vars.json").string() + "' \"" + e + "\"";
    check(command, run(command));
  }
  check("expr --vars", run("'" + cli + "' expr --vars '{\"v\": ZQXMARK-31}' 'v'"));
  // check: a good rule set, and a broken one (an alias bomb, invalid UTF-8, a CEL error).
  check("check", run("'" + cli + "' check '" + rules_dir.string() + "'"));
  const fs::path broken = dir / "broken";
  fs::create_directories(broken);
  fs::copy_file(rules_dir / "ruleset.yaml", broken / "ruleset.yaml");
  fs::copy_file(rules_dir / "schema.json", broken / "schema.json");
  std::ofstream(broken / "leak.yaml", std::ios::binary)
      << "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, "
         "*b, *b, *b, *b]\n"
         "rules:\n  - id: leak.x\n    title: \"\xff\"\n    when: 1 +\n";
  check("check broken", run("'" + cli + "' check '" + broken.string() + "'"));
  fs::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: leak_test SOURCE_DIR [SAFEGUARD_CLI]\n";
    return 2;
  }
  const fs::path rules_dir = fs::path(argv[1]) / "tests" / "leak" / "rules";
  library_paths(rules_dir);
  expression_paths();
  if (argc > 2) cli_paths(argv[2], rules_dir);
  std::cout << outputs_checked << " outputs checked, " << failures << " problems\n";
  return failures == 0 ? 0 : 1;
}
