// Explain and raised(): a rule that reads another rule's outcome is explained with that
// outcome as the evaluation found it, not by running the other rule again, whose
// definitions and functions would then be listed as if this rule had reached them.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kRules = R"(
definitions:
  police: case.contacts.filter(c, c.source == "police")
functions:
  several(xs): size(xs) > 1
rules:
  - id: contacts.several-police
    title: Several police contacts
    severity: low
    when: several(police)
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
  - id: contacts.young-child-too
    title: And a young child
    severity: high
    when: raised("contacts.several-police") && case.child.age < 5
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
thresholds:
  - id: level.cin.police
    level: child_in_need
    when: raised("contacts.several-police")
)";

const std::string kCase =
    R"({"child": {"age": 3}, "contacts": [{"source": "police"}, {"source": "police"}]})";

std::string withins(const std::vector<ExplainStep>& steps) {
  std::string out;
  for (const auto& s : steps) {
    if (!s.within.empty()) out += s.within + "; ";
  }
  return out;
}

}  // namespace

TEST_CASE("explain: raised() shows the other rule's outcome, not its definitions and functions") {
  const auto rs = load_rules(kRules);
  const Result r = evaluate(*rs, kCase, "2024-06-03", true);
  const Flag* base = find_flag(r, "contacts.several-police");
  const Flag* reader = find_flag(r, "contacts.young-child-too");
  REQUIRE(base != nullptr);
  REQUIRE(reader != nullptr);
  // The rule that calls the function and reads the definition lists them.
  CHECK(withins(base->explain) == "definition police; function several(xs); ");
  // The rule that only reads its outcome lists its own parts.
  REQUIRE(!reader->explain.empty());
  CHECK(reader->explain[0].expression ==
        "raised(\"contacts.several-police\") && case.child.age < 5");
  CHECK(reader->explain[0].outcome == "true");
  CHECK(withins(reader->explain).empty());
  // So does a threshold.
  REQUIRE(r.level.explain.size() == 1);
  CHECK(r.level.explain[0].size() == 1);
  CHECK(withins(r.level.explain[0]).empty());
  CHECK(r.to_json() == evaluate(*rs, kCase, "2024-06-03", true).to_json());
}
