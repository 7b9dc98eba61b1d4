// Message templates and facts: what a raised flag says.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

TEST_CASE("messages: templates show facts, params and computed values") {
  const auto rs = load_rules(R"(
params:
  decision_working_days: 1
rules:
  - id: front-door.decision-overdue
    title: Contact waiting too long for a decision
    severity: high
    category: front-door
    when: case.contacts.exists(c, !has(c.decision))
    facts:
      count: size(case.contacts.filter(c, !has(c.decision)))
      oldest: case.contacts.filter(c, !has(c.decision)).map(c, date(c.received_at))[0]
    message: "{count} contact(s) undecided since {oldest}; the standard is {params.decision_working_days} working day(s), due {add_working_days(oldest, params.decision_working_days)} {{not a fact}}"
    actions:
      - {id: decide-contact, text: Decide, owner: team_manager, due: as_of}
    source: Working Together 2023
)");
  const Result r =
      evaluate(*rs, R"({"contacts": [{"id": "K1", "received_at": "2024-03-28T09:00:00Z"},
                                                  {"id": "K2", "received_at": "2024-03-29T09:00:00Z", "decision": "nfa"}]})",
               "2024-06-03");
  REQUIRE(r.flags.size() == 1);
  const Flag& f = r.flags[0];
  // 2024-03-29 and 2024-04-01 are bank holidays in England.
  CHECK(f.message ==
        "1 contact(s) undecided since 2024-03-28; the standard is 1 working day(s), due 2024-04-02 "
        "{not a fact}");
  REQUIRE(f.facts.size() == 2);
  CHECK(f.facts[0].name == "count");
  CHECK(f.facts[0].value_json == "1");
  CHECK(f.facts[1].name == "oldest");
  CHECK(f.facts[1].value_json == "\"2024-03-28\"");
  CHECK(f.title == "Contact waiting too long for a decision");
  CHECK(f.severity == "high");
  CHECK(f.category == "front-door");
  CHECK(f.source == "Working Together 2023");
  CHECK(f.file == "rules.yaml");
  CHECK(f.line == 5);
  const std::string json = r.to_json();
  CHECK(json.find(R"("facts":{"count":1,"oldest":"2024-03-28"})") != std::string::npos);
}

TEST_CASE("messages: a fact that cannot be computed shows as unknown, the flag still stands") {
  const auto rs = load_rules(R"(
rules:
  - id: child.flag
    title: Flag
    severity: low
    when: case.flag == true
    facts:
      age: case.child.age
    message: "age {age}"
    actions:
      - {id: act, text: Act, owner: social_worker}
)");
  const Result r = evaluate(*rs, R"({"flag": true})", "2024-06-03");
  REQUIRE(r.flags.size() == 1);
  CHECK(r.flags[0].message == "age (unknown)");
  REQUIRE(r.flags[0].facts.size() == 1);
  CHECK_FALSE(r.flags[0].facts[0].determined);
  CHECK(r.flags[0].facts[0].value_json == "null");
  // In JSON an unknown fact is told apart from a fact whose value is null.
  CHECK(r.to_json().find(R"("facts":{"age":null},"facts_undetermined":["age"],)") !=
        std::string::npos);
  const Result known = evaluate(*rs, R"({"flag": true, "child": {"age": null}})", "2024-06-03");
  REQUIRE(known.flags.size() == 1);
  CHECK(known.flags[0].facts[0].determined);
  CHECK(known.to_json().find("facts_undetermined") == std::string::npos);
}

TEST_CASE("messages: flags are ordered by severity, then id") {
  const auto rs =
      load_rules("rules:\n" + rule("b.low", "true", "", "low") + rule("a.low", "true", "", "low") +
                 rule("z.critical", "true", "", "critical") + rule("m.high", "true", "", "high"));
  CHECK(flag_ids(evaluate(*rs, "{}", "2024-06-03")) ==
        std::vector<std::string>{"z.critical", "m.high", "a.low", "b.low"});
}

TEST_CASE("messages: an optional shows what it holds, or none, as a value or null would") {
  const auto rs = load_rules(R"(
rules:
  - id: child.flag
    title: Flag
    severity: low
    when: case.flag == true
    facts:
      school: case.?child.?school
      missing: case.?child.?unknown
      first: '[case.?child.?school, optional.none()]'
    message: "school {school}; other {missing}; list {first}; inline {case.?child.?school}"
    actions:
      - {id: act, text: Act, owner: social_worker}
)");
  const Result r =
      evaluate(*rs, R"({"flag": true, "child": {"school": "Oak Primary"}})", "2024-06-03");
  REQUIRE(r.flags.size() == 1);
  CHECK(r.flags[0].message ==
        "school Oak Primary; other none; list Oak Primary, none; inline Oak Primary");
  REQUIRE(r.flags[0].facts.size() == 3);
  CHECK(r.flags[0].facts[0].value_json == "\"Oak Primary\"");
  CHECK(r.flags[0].facts[1].value_json == "null");
}
