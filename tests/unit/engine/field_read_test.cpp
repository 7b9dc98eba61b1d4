// Field reads and has() on snapshot objects: a field found where validation recorded it, in
// a document without rejected values, is read on a short path; anything else (a rejected
// value anywhere in the document, no recorded layout, a map built by the rules) takes the
// general one. Both must give the same answers.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const std::string kRules = "rules:\n" + rule("has.name", "has(case.child.name)") +
                           rule("has.born", "has(case.child.date_of_birth)") +
                           rule("disabled", "case.child.disabled == true") +
                           rule("named.alex", "case.child.name == \"Alex\"") +
                           rule("built.has", "has({\"a\": case.child}.a.disabled)");

std::vector<std::string> flags_of(const RuleSet& rs, const std::string& snapshot) {
  return flag_ids(evaluate(rs, snapshot, "2024-06-03"));
}

}  // namespace

TEST_CASE("field reads: present, null and absent fields, with and without a schema") {
  for (const bool with_schema : {true, false}) {
    INFO(with_schema);
    const auto rs = load_rules(kRules, with_schema);
    CHECK(
        flags_of(*rs, R"({"child": {"name": "Alex", "date_of_birth": null, "disabled": true}})") ==
        std::vector<std::string>{"built.has", "disabled", "has.name", "named.alex"});
    CHECK(flags_of(*rs, R"({"child": {"name": "Sam", "date_of_birth": "2015-03-01"}})") ==
          std::vector<std::string>{"has.born", "has.name"});
    // Null counts as absent for has(), on the snapshot and through a map built around it.
    CHECK(flags_of(*rs, R"({"child": {"name": "Sam", "disabled": null}})") ==
          std::vector<std::string>{"has.name"});
    CHECK(flags_of(*rs, R"({"child": {}})").empty());
  }
}

TEST_CASE("field reads: a value the schema rejects is present, and unreadable") {
  const auto rs = load_rules(kRules, true);
  // `name` must be a string: null is rejected, so it is not "absent" but a value that cannot
  // be read, and every other field of the document is still read as it is.
  const Result r = evaluate(
      *rs, R"({"child": {"name": null, "date_of_birth": null, "disabled": true}})", "2024-06-03");
  CHECK(flag_ids(r) == std::vector<std::string>{"built.has", "disabled", "has.name"});
  REQUIRE(r.undetermined.size() == 1);
  CHECK(r.undetermined[0].id == "named.alex");
  CHECK(r.undetermined[0].path == "/child/name");
  // The same document shape with a rejected value elsewhere reads these fields alike.
  const Result other = evaluate(
      *rs, R"({"child": {"name": "Alex", "date_of_birth": 7, "disabled": true}})", "2024-06-03");
  CHECK(flag_ids(other) ==
        std::vector<std::string>{"built.has", "disabled", "has.born", "has.name", "named.alex"});
  CHECK(other.undetermined.empty());
}

TEST_CASE("field reads: through variables (loop, binding), on snapshot objects and built maps") {
  const std::string rules =
      "rules:\n" +
      rule("contacts.nfa", "case.contacts.exists(c, has(c.decision) && c.decision == \"nfa\")") +
      rule("contacts.ids", "case.contacts.map(c, c.id) == [\"K1\", \"K2\"]") +
      rule("bound.alex", "cel.bind(ch, case.child, has(ch.name) && ch.name == \"Alex\")") +
      rule("built.maps",
           "[{\"a\": 1}, {\"b\": 2}].filter(m, has(m.a)).map(m, m.a) == [1] && "
           "[{\"b\": 2}].all(m, !has(m.a))") +
      rule("contacts.received", "case.contacts.exists(c, c.received_at != \"\")");
  for (const bool with_schema : {true, false}) {
    INFO(with_schema);
    const auto rs = load_rules(rules, with_schema);
    const Result r =
        evaluate(*rs,
                 R"({"child": {"name": "Alex"}, "contacts": [{"id": "K1", "decision": null},
            {"id": "K2", "decision": "nfa"}]})",
                 "2024-06-03");
    CHECK(flag_ids(r) ==
          std::vector<std::string>{"bound.alex", "built.maps", "contacts.ids", "contacts.nfa"});
    REQUIRE(r.undetermined.size() == 1);
    CHECK(r.undetermined[0].id == "contacts.received");  // no contact has received_at
    CHECK(r.undetermined[0].reason == "missing");
    const Result none =
        evaluate(*rs, R"({"child": {"name": "Sam"}, "contacts": [{"id": "K1"}]})", "2024-06-03");
    CHECK(flag_ids(none) == std::vector<std::string>{"built.maps"});
  }
}
