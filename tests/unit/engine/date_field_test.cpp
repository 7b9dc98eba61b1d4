// date(c.x) with c a variable: a text already converted in the evaluation is answered from
// the field's recorded place (DateFieldNode); anything else goes through the ordinary field
// read and call. Both must give the same answers.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

// Each rule reads the receipt dates again, so that all but the first read of each text are
// answered from the frame's converted dates.
const std::string kRules =
    "rules:\n" +
    rule("first", "case.contacts.exists(c, date(c.received_at) == date(\"2024-05-01\"))") +
    rule("again", "case.contacts.exists(c, date(c.received_at) == date(\"2024-05-20\"))",
         "    facts:\n      days: case.contacts.filter(c, has(c.received_at))"
         ".map(c, date(c.received_at))\n") +
    rule("all-before", "case.contacts.all(c, date(c.received_at) <= as_of)") +
    rule("late", "case.contacts.exists(c, date(c.received_at) > date(\"2024-05-10\"))");

}  // namespace

TEST_CASE(
    "date(c.x): converted texts, absent, null and rejected fields, with and without a schema") {
  for (const bool with_schema : {true, false}) {
    INFO(with_schema);
    const auto rs = load_rules(kRules, with_schema);
    // Two readable dates: every rule decided, the later reads of each text short.
    const Result ok = evaluate(*rs, R"({"contacts": [
        {"id": "K1", "received_at": "2024-05-01T10:00:00Z"},
        {"id": "K2", "received_at": "2024-05-20T23:30:00+01:00"}]})",
                               "2024-06-03");
    CHECK(flag_ids(ok) == std::vector<std::string>{"again", "all-before", "first", "late"});
    CHECK(ok.undetermined.empty());
    const Flag* again = find_flag(ok, "again");
    REQUIRE(again != nullptr);
    REQUIRE(again->facts.size() == 1);
    CHECK(again->facts[0].value_json == R"(["2024-05-01","2024-05-20"])");

    // A second contact without received_at, with it null, or with a text that is not a
    // date-time (rejected by the schema, unreadable without one), read after the first
    // contact's date was converted: the rules a date there could change are undetermined,
    // at that field.
    for (const std::string second : {R"({"id": "K2"})", R"({"id": "K2", "received_at": null})",
                                     R"({"id": "K2", "received_at": "soon"})"}) {
      INFO(second);
      const Result r = evaluate(
          *rs,
          R"({"contacts": [{"id": "K1", "received_at": "2024-05-01T10:00:00Z"}, )" + second + "]}",
          "2024-06-03");
      CHECK(flag_ids(r) == std::vector<std::string>{"first"});
      CHECK(undetermined_ids(r) == std::vector<std::string>{"again", "all-before", "late"});
      for (const Undetermined& u : r.undetermined) CHECK(u.path == "/contacts/1/received_at");
    }
  }
}

TEST_CASE("date(c.x): a field of another kind is never read as a converted text") {
  // received_at may be a boolean here, so date() of it has no overload. A boolean's tape word
  // names no text: read as one it would point at the document's first text, the key
  // "2024-05-01", which the rule converts first. The short path must not answer from it.
  const std::string schema = R"({
    "type": "object",
    "properties": {
      "contacts": {"type": "array", "items": {"type": "object", "properties": {
        "received_at": {"type": ["string", "boolean"], "format": "date-time"}}}}}
  })";
  const std::string rules =
      "rules:\n" + rule("key-then-field",
                        "case.exists(k, date(k) == date(\"2024-05-01\")) && "
                        "case.contacts.exists(c, date(c.received_at) == date(\"2024-05-01\"))");
  const auto rs = load_rules_with_schema(rules, schema);
  const Result r =
      evaluate(*rs, R"({"2024-05-01": 1, "contacts": [{"received_at": true}]})", "2024-06-03");
  CHECK(r.flags.empty());
  CHECK(undetermined_ids(r) == std::vector<std::string>{"key-then-field"});
}
