// Small in-memory rule sets for the engine's tests: a manifest with four levels, an
// optional snapshot schema, and rule files given as YAML text.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "safeguard/rule_set.hpp"

namespace safeguard::testing {

inline const char* const kManifest =
    "ruleset: test\n"
    "version: \"1.2\"\n"
    "levels: [universal, early_help, child_in_need, child_protection]\n"
    "calendar: england-and-wales\n";

// A schema for the fields the tests read, so that mistyped values are caught.
inline const char* const kSchema = R"({
  "type": "object",
  "properties": {
    "episode": {"type": "object", "properties": {
      "opened_on": {"type": "string", "format": "date"},
      "closed_on": {"type": ["string", "null"], "format": "date"}}},
    "child": {"type": "object", "properties": {
      "name": {"type": "string"},
      "date_of_birth": {"type": ["string", "null"], "format": "date"},
      "disabled": {"type": ["boolean", "null"]},
      "missing_episodes": {"type": ["integer", "null"]}}},
    "contacts": {"type": "array", "items": {"type": "object", "properties": {
      "id": {"type": "string"},
      "received_at": {"type": "string", "format": "date-time"},
      "decision": {"type": ["string", "null"]}}}}
  }
})";

// Loads `rules` (one rule file, "rules.yaml") under the standard manifest with `schema`
// as its snapshot schema (none when empty), failing the test with the diagnostics when it
// does not load.
inline std::shared_ptr<const RuleSet> load_rules_with_schema(const std::string& rules,
                                                             const std::string& schema) {
  std::vector<RuleFileText> files;
  std::string manifest = kManifest;
  if (!schema.empty()) {
    manifest += "schema: case.schema.json\n";
    files.push_back({"case.schema.json", schema});
  }
  files.push_back({"ruleset.yaml", manifest});
  files.push_back({"rules.yaml", rules});
  LoadResult loaded = RuleSet::load(std::move(files));
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  return loaded.rule_set;
}

// The same with the standard schema above, or none.
inline std::shared_ptr<const RuleSet> load_rules(const std::string& rules,
                                                 bool with_schema = false) {
  return load_rules_with_schema(rules, with_schema ? kSchema : "");
}

inline Result evaluate(const RuleSet& rs, const std::string& json, const std::string& as_of,
                       bool explain = false, bool show_values = false) {
  EvalOptions options;
  options.as_of = as_of;
  options.explain = explain;
  options.show_values = show_values;
  Result r = rs.evaluate(json, options);
  INFO(format(r.errors));
  REQUIRE(r.evaluated);
  return r;
}

// A fresh directory under the system's temporary directory, unique to this run, so that
// test programs of several build trees can run at once.
inline std::filesystem::path fresh_temp_dir(const std::string& name) {
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / (name + "-" + std::to_string(stamp));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::vector<std::string> flag_ids(const Result& r) {
  std::vector<std::string> out;
  for (const auto& f : r.flags) out.push_back(f.id);
  return out;
}

inline std::vector<std::string> undetermined_ids(const Result& r) {
  std::vector<std::string> out;
  for (const auto& u : r.undetermined) out.push_back(u.id);
  return out;
}

inline const Undetermined* find_undetermined(const Result& r, const std::string& id) {
  for (const auto& u : r.undetermined) {
    if (u.id == id) return &u;
  }
  return nullptr;
}

inline const Flag* find_flag(const Result& r, const std::string& id) {
  for (const auto& f : r.flags) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

// A rule with the given id, condition and extra YAML lines (indented four spaces).
inline std::string rule(const std::string& id, const std::string& when,
                        const std::string& extra = "", const std::string& severity = "medium") {
  return "  - id: " + id + "\n    title: Rule " + id + "\n    severity: " + severity +
         "\n    when: '" + when + "'\n" + "    actions:\n      - {id: act-" + id +
         ", text: Act, owner: social_worker, due: as_of}\n" + extra;
}

}  // namespace safeguard::testing
