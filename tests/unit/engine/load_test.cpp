// Loading: from memory and from a directory; a rule set with any error is never returned,
// not even in part.
#include <filesystem>
#include <fstream>

#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kGood = R"(
rules:
  - id: child.flag
    title: Flag
    severity: low
    when: case.flag == true
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
)";

bool has_code(const std::vector<Diagnostic>& ds, const std::string& code) {
  for (const auto& d : ds) {
    if (d.code == code) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("load: in-memory files give a rule set with the manifest's name and levels") {
  LoadResult loaded = RuleSet::load({{"ruleset.yaml", kManifest}, {"a.yaml", kGood}});
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  CHECK(loaded.rule_set->info().name == "test");
  CHECK(loaded.rule_set->info().version == "1.2");
  CHECK(loaded.rule_set->info().fingerprint.size() == 64);
  CHECK(loaded.rule_set->levels() ==
        std::vector<std::string>{"universal", "early_help", "child_in_need", "child_protection"});
  const auto rules = loaded.rule_set->rules();
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].id == "child.flag");
  CHECK(rules[0].file == "a.yaml");
  CHECK(rules[0].line == 3);
}

TEST_CASE("load: one broken file means no rule set at all, and every error is reported") {
  const std::string broken = R"(
rules:
  - id: other.flag
    title: Other
    severty: low
    when: case.flag == 1 +
)";
  LoadResult loaded =
      RuleSet::load({{"ruleset.yaml", kManifest}, {"a.yaml", kGood}, {"b.yaml", broken}});
  CHECK_FALSE(loaded.ok());
  CHECK(loaded.rule_set == nullptr);
  CHECK(has_errors(loaded.diagnostics));
  CHECK(has_code(loaded.diagnostics, "rule.unknown-key"));
  CHECK(has_code(loaded.diagnostics, "cel.syntax"));
  for (const auto& d : loaded.diagnostics) {
    CHECK(d.file == "b.yaml");
    CHECK(d.line > 0);
  }
}

TEST_CASE("load: a YAML syntax error in one file still reports errors in the others") {
  LoadResult loaded = RuleSet::load(
      {{"ruleset.yaml", kManifest}, {"a.yaml", "rules: [\n"}, {"b.yaml", "rulez: []\n"}});
  CHECK_FALSE(loaded.ok());
  CHECK(has_code(loaded.diagnostics, "yaml.syntax"));
  CHECK(has_code(loaded.diagnostics, "file.unknown-key"));
}

TEST_CASE("load: warnings alone do not stop a load, unless they are made errors") {
  const std::vector<RuleFileText> files = {
      {"ruleset.yaml", kManifest}, {"a.yaml", std::string("params:\n  unused_weeks: 6\n") + kGood}};
  LoadResult loaded = RuleSet::load(files);
  CHECK(loaded.ok());
  CHECK(has_code(loaded.diagnostics, "param.unused"));
  CHECK_FALSE(has_errors(loaded.diagnostics));

  LoadOptions strict;
  strict.warnings_as_errors = true;
  LoadResult refused = RuleSet::load(files, strict);
  CHECK_FALSE(refused.ok());
}

TEST_CASE("load: no manifest is an error that says what a rule set is") {
  LoadResult loaded = RuleSet::load({{"a.yaml", kGood}});
  CHECK_FALSE(loaded.ok());
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "manifest.missing");
}

TEST_CASE("load: a ruleset.yaml that is not a file says so, not that there is none") {
  namespace fs = std::filesystem;
  const fs::path dir = fresh_temp_dir("safeguard-engine-load-manifest-dir-test");
  fs::create_directories(dir / "ruleset.yaml");
  LoadResult loaded = RuleSet::load(dir.string());
  fs::remove_all(dir);
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "manifest.missing");
  CHECK(loaded.diagnostics[0].message == "the manifest (ruleset.yaml) is not a regular file");
}

TEST_CASE("load: a path that is not a directory is named as such") {
  namespace fs = std::filesystem;
  const fs::path dir = fresh_temp_dir("safeguard-engine-load-root-test");
  fs::create_directories(dir);
  std::ofstream(dir / "ruleset.yaml") << kManifest;
  // The manifest's own path, as people often give it, and a path that does not exist.
  LoadResult file = RuleSet::load((dir / "ruleset.yaml").string());
  LoadResult absent = RuleSet::load((dir / "rulez").string());
  fs::remove_all(dir);
  REQUIRE(file.diagnostics.size() == 1);
  CHECK(file.diagnostics[0].code == "manifest.missing");
  CHECK(file.diagnostics[0].message.find("is a file, not a rule set directory") !=
        std::string::npos);
  CHECK(file.diagnostics[0].file == (dir / "ruleset.yaml").string());
  REQUIRE(absent.diagnostics.size() == 1);
  CHECK(absent.diagnostics[0].message.find("does not exist") != std::string::npos);
  CHECK(absent.diagnostics[0].hint == "give the directory that holds ruleset.yaml");
}

TEST_CASE("load: a directory loads like the same files in memory") {
  namespace fs = std::filesystem;
  const fs::path dir = fresh_temp_dir("safeguard-engine-load-test");
  fs::create_directories(dir);
  std::ofstream(dir / "ruleset.yaml") << kManifest;
  std::ofstream(dir / "a.yaml") << kGood;
  LoadResult from_disk = RuleSet::load(dir.string());
  LoadResult from_memory = RuleSet::load({{"ruleset.yaml", kManifest}, {"a.yaml", kGood}});
  fs::remove_all(dir);
  INFO(format(from_disk.diagnostics));
  REQUIRE(from_disk.ok());
  REQUIRE(from_memory.ok());
  CHECK(from_disk.rule_set->info().fingerprint == from_memory.rule_set->info().fingerprint);
}

TEST_CASE("load: a parsed snapshot evaluates like its text, any number of times") {
  const auto rs = load_rules(kGood);
  SnapshotParse parsed = Snapshot::parse(R"({"flag": true})");
  REQUIRE(parsed.ok());
  EvalOptions options;
  options.as_of = "2024-06-03";
  const Result from_text = rs->evaluate(R"({"flag": true})", options);
  const Result first = rs->evaluate(*parsed.snapshot, options);
  const Result second = rs->evaluate(*parsed.snapshot, options);
  REQUIRE(first.evaluated);
  CHECK(first.to_json() == from_text.to_json());
  CHECK(second.to_json() == from_text.to_json());
  options.as_of = "2024-01-01";
  CHECK(rs->evaluate(*parsed.snapshot, options).as_of == "2024-01-01");

  CHECK_FALSE(Snapshot::parse("[1, 2]").ok());
  CHECK(Snapshot::parse("[1, 2]").error.code == "snapshot.not-object");
  CHECK_FALSE(Snapshot::parse("{").ok());
}

TEST_CASE("load: evaluation input errors give a result that says why, not an exception") {
  const auto rs = load_rules(kGood);
  EvalOptions options;
  options.as_of = "2024-02-30";
  Result bad_date = rs->evaluate("{}", options);
  CHECK_FALSE(bad_date.evaluated);
  REQUIRE(bad_date.errors.size() == 1);
  CHECK(bad_date.errors[0].code == "input.as-of");
  options.as_of = "2024-06-03";
  Result not_json = rs->evaluate("{\"flag\": tru}", options);
  CHECK_FALSE(not_json.evaluated);
  CHECK(not_json.errors[0].code == "snapshot.json");
  Result array = rs->evaluate("[]", options);
  CHECK_FALSE(array.evaluated);
  CHECK(array.errors[0].code == "snapshot.not-object");
}

TEST_CASE("load: diagnostics come file by file, top to bottom, whichever stage found them") {
  const std::string rules = R"(
rules:
  - id: child.flag
    title: Flag
    severty: low
    when: case.flag == params.limit
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
)";
  LoadResult loaded = RuleSet::load({{"ruleset.yaml", kManifest}, {"a.yaml", rules}});
  REQUIRE(loaded.diagnostics.size() == 2);
  CHECK(loaded.diagnostics[0].code == "rule.unknown-key");  // found while reading the file
  CHECK(loaded.diagnostics[0].line == 5);
  CHECK(loaded.diagnostics[1].code == "cel.unknown-field");  // found while linking
  CHECK(loaded.diagnostics[1].line == 6);
}

TEST_CASE("load: a file that does not parse does not make others' references to it errors") {
  const std::string reader = R"(
rules:
  - id: reader.rule
    title: Reader
    severity: low
    when: raised("broken.rule")
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
)";
  LoadResult loaded = RuleSet::load(
      {{"ruleset.yaml", kManifest},
       {"a.yaml", "rules:\n  - id: broken.rule\n    title: [unclosed\n    severity: low\n"},
       {"b.yaml", reader}});
  CHECK_FALSE(loaded.ok());
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "yaml.syntax");
  CHECK(loaded.diagnostics[0].file == "a.yaml");
}
