// Determinism: the same rule files, snapshot, as-of date and calendar give byte-identical
// JSON, whatever order the files were given or listed in.
#include <filesystem>
#include <fstream>

#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kA = R"yaml(
params:
  days: 1
rules:
  - id: a.first
    title: First
    severity: medium
    when: case.contacts.exists(c, as_of > add_working_days(date(c.received_at), params.days))
    facts:
      count: size(case.contacts)
    message: "{count} contact(s)"
    actions:
      - {id: shared-action, text: Shared, owner: team_manager, due: as_of}
      - {id: a-action, text: A, owner: social_worker, due: 'add_days(as_of, 5)'}
)yaml";

const char* const kB = R"(
rules:
  - id: b.second
    title: Second
    severity: medium
    when: raised("a.first") && case.child.missing == true
    actions:
      - {id: shared-action, text: Shared, owner: team_manager, due: 'add_days(as_of, 1)'}
thresholds:
  - id: level.cin.b
    level: child_in_need
    when: raised("a.first")
  - id: level.cin.a
    level: child_in_need
    when: size(case.contacts) > 0
  - id: level.cp
    level: child_protection
    when: case.child.injury == true
)";

const char* const kCase =
    R"({"contacts": [{"received_at": "2024-03-28T09:00:00Z"}, {"received_at": "2024-05-01T09:00:00Z"}],
        "child": {}})";

std::string run(std::vector<RuleFileText> files, bool explain) {
  LoadResult loaded = RuleSet::load(std::move(files));
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  EvalOptions options;
  options.as_of = "2024-06-03";
  options.explain = explain;
  return loaded.rule_set->evaluate(kCase, options).to_json(true);
}

}  // namespace

TEST_CASE("determinism: two loads and evaluations give byte-identical JSON") {
  for (const bool explain : {false, true}) {
    const std::string first =
        run({{"ruleset.yaml", kManifest}, {"a.yaml", kA}, {"b.yaml", kB}}, explain);
    const std::string second =
        run({{"ruleset.yaml", kManifest}, {"a.yaml", kA}, {"b.yaml", kB}}, explain);
    CHECK(first == second);
  }
}

TEST_CASE("determinism: the order files are given in does not matter") {
  const std::string forward =
      run({{"ruleset.yaml", kManifest}, {"a.yaml", kA}, {"b.yaml", kB}}, true);
  const std::string backward =
      run({{"b.yaml", kB}, {"a.yaml", kA}, {"ruleset.yaml", kManifest}}, true);
  CHECK(forward == backward);
}

TEST_CASE("determinism: the result's content is in a fixed order") {
  LoadResult loaded = RuleSet::load({{"ruleset.yaml", kManifest}, {"a.yaml", kA}, {"b.yaml", kB}});
  REQUIRE(loaded.ok());
  EvalOptions options;
  options.as_of = "2024-06-03";
  const Result r = loaded.rule_set->evaluate(kCase, options);
  REQUIRE(r.evaluated);
  CHECK(r.level.id == "child_in_need");
  CHECK(r.level.reasons == std::vector<std::string>{"level.cin.b", "level.cin.a"});  // file order
  CHECK(undetermined_ids(r) == std::vector<std::string>{"b.second", "level.cp"});
  REQUIRE(r.actions.size() == 2);
  CHECK(r.actions[0].id == "shared-action");
  CHECK(r.actions[1].id == "a-action");
}

TEST_CASE("determinism: directory listing order does not change the rule set or its output") {
  namespace fs = std::filesystem;
  const fs::path base = fresh_temp_dir("safeguard-engine-determinism-test");
  // The same files created in opposite orders, so the directory lists them differently
  // on file systems that list in creation order.
  fs::create_directories(base / "one");
  fs::create_directories(base / "two");
  std::ofstream(base / "one" / "ruleset.yaml") << kManifest;
  std::ofstream(base / "one" / "a.yaml") << kA;
  std::ofstream(base / "one" / "b.yaml") << kB;
  std::ofstream(base / "two" / "b.yaml") << kB;
  std::ofstream(base / "two" / "a.yaml") << kA;
  std::ofstream(base / "two" / "ruleset.yaml") << kManifest;
  LoadResult one = RuleSet::load((base / "one").string());
  LoadResult two = RuleSet::load((base / "two").string());
  fs::remove_all(base);
  REQUIRE(one.ok());
  REQUIRE(two.ok());
  CHECK(one.rule_set->info().fingerprint == two.rule_set->info().fingerprint);
  EvalOptions options;
  options.as_of = "2024-06-03";
  options.explain = true;
  // Rule files are named relative to the rule set, so where it lies does not matter either.
  CHECK(one.rule_set->evaluate(kCase, options).to_json() ==
        two.rule_set->evaluate(kCase, options).to_json());
  CHECK(one.rule_set->rules()[0].file == "a.yaml");
}

TEST_CASE("fingerprint: stable for the same files, different when any byte changes") {
  auto fingerprint = [](std::vector<RuleFileText> files) {
    LoadResult loaded = RuleSet::load(std::move(files));
    REQUIRE(loaded.ok());
    return loaded.rule_set->info().fingerprint;
  };
  const std::string base =
      fingerprint({{"ruleset.yaml", kManifest}, {"a.yaml", kA}, {"b.yaml", kB}});
  CHECK(base.size() == 64);
  CHECK(base.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(fingerprint({{"b.yaml", kB}, {"ruleset.yaml", kManifest}, {"a.yaml", kA}}) == base);
  // One changed parameter, or the same text under another file name, is another rule set.
  std::string changed = kA;
  changed.replace(changed.find("days: 1"), 7, "days: 2");
  CHECK(fingerprint({{"ruleset.yaml", kManifest}, {"a.yaml", changed}, {"b.yaml", kB}}) != base);
  CHECK(fingerprint({{"ruleset.yaml", kManifest}, {"a2.yaml", kA}, {"b.yaml", kB}}) != base);
}
