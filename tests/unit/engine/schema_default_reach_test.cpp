// Where a schema "default" reaches and where it must not: through function parameters and
// comprehension variables the same as in a rule, but never in place of a required field,
// whose absence is a violation a rule must not decide around.
#include <catch2/catch.hpp>

#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kSchema = R"({
  "type": "object",
  "properties": {
    "visits": {"type": "array", "default": [], "items": {"type": "object", "properties": {
      "seen_alone": {"type": "boolean", "default": false}}}},
    "child": {"type": "object", "required": ["name"], "properties": {
      "name": {"type": "string", "default": "unknown"},
      "disabled": {"type": "boolean", "default": false}}}
  }
})";

std::shared_ptr<const RuleSet> load(const std::string& rules) {
  return load_rules_with_schema(rules, kSchema);
}

}  // namespace

TEST_CASE("schema defaults: a required field's default does not stand in for it") {
  const auto rs = load("rules:\n" + rule("child.unnamed", "case.child.name == \"unknown\"") +
                       rule("child.not-disabled", "!case.child.disabled"));
  const Result r = evaluate(*rs, R"({"child": {}})", "2024-06-03");
  // The snapshot breaks the contract (schema.required): the rule reading the field cannot
  // decide; an optional field's default still applies.
  CHECK(undetermined_ids(r) == std::vector<std::string>{"child.unnamed"});
  CHECK(flag_ids(r) == std::vector<std::string>{"child.not-disabled"});
  CHECK(flag_ids(evaluate(*rs, R"({"child": {"name": "unknown"}})", "2024-06-03")) ==
        std::vector<std::string>{"child.not-disabled", "child.unnamed"});
}

TEST_CASE("schema defaults: read the same in a comprehension and a function parameter") {
  const auto rs = load(
      "functions:\n  alone(v): v.seen_alone\n"
      "rules:\n" +
      rule("visits.never-alone", "case.visits.all(v, !v.seen_alone)") +
      rule("visits.never-alone-fn", "case.visits.all(v, !alone(v))") +
      rule("visits.first-not-alone", "size(case.visits) > 0 && !alone(case.visits[0])"));
  const Result r = evaluate(*rs, R"({"child": {"name": "A"}, "visits": [{}]})", "2024-06-03");
  CHECK(r.undetermined.empty());
  CHECK(flag_ids(r) == std::vector<std::string>{"visits.first-not-alone", "visits.never-alone",
                                                "visits.never-alone-fn"});
}
