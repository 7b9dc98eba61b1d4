// A schema's "default" is what rules read for a field a snapshot leaves out: the snapshot
// contract's "absent means empty" for lists, written once in the schema.
#include <catch2/catch.hpp>

#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kSchemaWithDefaults = R"({
  "type": "object",
  "$defs": {"visits": {"type": "array", "items": {"type": "object", "properties": {
    "date": {"type": "string", "format": "date"}}}}},
  "properties": {
    "contacts": {"type": "array", "default": [], "items": {"type": "object", "properties": {
      "id": {"type": "string"},
      "concerns": {"type": "array", "default": [], "items": {"type": "string"}}}}},
    "visits": {"$ref": "#/$defs/visits", "default": []},
    "child": {"type": "object", "properties": {
      "disabled": {"type": "boolean", "default": false},
      "school": {"type": "string", "default": "none recorded"},
      "attendance": {"type": "number", "default": 100}}}
  }
})";

LoadResult load_with_schema(const std::string& schema, const std::string& rules) {
  return RuleSet::load({{"ruleset.yaml", std::string(kManifest) + "schema: case.schema.json\n"},
                        {"case.schema.json", schema},
                        {"rules.yaml", rules}});
}

std::shared_ptr<const RuleSet> load_defaults(const std::string& rules) {
  return load_rules_with_schema(rules, kSchemaWithDefaults);
}

}  // namespace

TEST_CASE("schema defaults: an absent list reads as empty, a present one as itself") {
  const auto rs =
      load_defaults("rules:\n" + rule("contacts.none", "size(case.contacts) == 0") +
                    rule("contacts.neglect", "case.contacts.exists(c, \"neglect\" in c.concerns)") +
                    rule("visits.none", "case.visits.all(v, date(v.date) < as_of)"));
  const Result absent = evaluate(*rs, "{}", "2024-06-03");
  CHECK(absent.undetermined.empty());
  CHECK(flag_ids(absent) == std::vector<std::string>{"contacts.none", "visits.none"});

  // A contact without concerns has none; another's concerns still count.
  const Result present = evaluate(
      *rs, R"({"contacts": [{"id": "K1"}, {"id": "K2", "concerns": ["neglect"]}], "visits": []})",
      "2024-06-03");
  CHECK(present.undetermined.empty());
  CHECK(flag_ids(present) == std::vector<std::string>{"contacts.neglect", "visits.none"});
}

TEST_CASE("schema defaults: has() still tells absent from present, and null is not absent") {
  const auto rs = load_defaults("rules:\n" + rule("contacts.recorded", "has(case.contacts)") +
                                rule("contacts.none", "size(case.contacts) == 0"));
  CHECK(evaluate(*rs, "{}", "2024-06-03").flags.size() == 1);  // contacts.none only
  CHECK(flag_ids(evaluate(*rs, "{}", "2024-06-03")) == std::vector<std::string>{"contacts.none"});
  // null where the schema wants a list is a violation: the rule that reads it cannot decide.
  const Result null_list = evaluate(*rs, R"({"contacts": null})", "2024-06-03");
  CHECK(undetermined_ids(null_list) == std::vector<std::string>{"contacts.none"});
  CHECK(null_list.undetermined[0].path == "/contacts");
}

TEST_CASE("schema defaults: booleans, numbers and text") {
  const auto rs =
      load_defaults("rules:\n" + rule("child.not-disabled", "case.child.disabled == false") +
                    rule("child.no-school", "case.child.school == \"none recorded\"") +
                    rule("child.attending", "case.child.attendance >= 90.0"));
  CHECK(flag_ids(evaluate(*rs, R"({"child": {}})", "2024-06-03")) ==
        std::vector<std::string>{"child.attending", "child.no-school", "child.not-disabled"});
  CHECK(flag_ids(
            evaluate(*rs,
                     R"({"child": {"disabled": true, "school": "Elm Primary", "attendance": 80}})",
                     "2024-06-03"))
            .empty());
  // The object holding the field must itself be there: no default for `child`.
  const Result no_child = evaluate(*rs, "{}", "2024-06-03");
  CHECK(no_child.undetermined.size() == 3);
}

TEST_CASE(
    "schema defaults: an empty object stands in for an absent one, its fields' defaults too") {
  LoadResult loaded =
      load_with_schema(R"({"type": "object", "properties": {
      "legal": {"type": "object", "default": {}, "properties": {
        "agreements": {"type": "array", "default": [], "items": {"type": "object"}},
        "stage": {"type": ["string", "null"], "default": null}}}}})",
                       "rules:\n" + rule("legal.none", "size(case.legal.agreements) == 0") +
                           rule("legal.no-stage", "case.legal.stage == null"));
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  const Result r = evaluate(*loaded.rule_set, "{}", "2024-06-03");
  CHECK(r.undetermined.empty());
  CHECK(flag_ids(r) == std::vector<std::string>{"legal.no-stage", "legal.none"});
}

TEST_CASE("schema defaults: a default the engine cannot stand in is a located load error") {
  const LoadResult list = load_with_schema(
      R"({"type": "object", "properties": {"contacts": {"type": "array", "default": [1]}}})",
      "rules:\n" + rule("r", "size(case.contacts) > 0"));
  REQUIRE_FALSE(list.ok());
  CHECK(format(list.diagnostics)
            .find("'default' must be [], {}, null, true, false, a number or a string") !=
        std::string::npos);

  const LoadResult mistyped = load_with_schema(
      R"({"type": "object", "properties": {"contacts": {"type": "array", "default": "none"}}})",
      "rules:\n" + rule("r", "size(case.contacts) > 0"));
  REQUIRE_FALSE(mistyped.ok());
  CHECK(mistyped.diagnostics[0].code == "schema.invalid-default");
  CHECK(mistyped.diagnostics[0].line == 1);
}
