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

TEST_CASE("date(c.x): a date validation checked reads as the date parser reads it") {
  // With the schema, each text below is marked checked by validation and read without a
  // parse (cel::json_checked_date_days); without it, every read converts the text. Both, and
  // explain (which never takes the short path), must give the same days.
  const std::string schema = R"({
    "type": "object",
    "properties": {
      "contacts": {"type": "array", "items": {"type": "object", "properties": {
        "received_at": {"type": "string", "format": "date-time"},
        "on": {"type": ["string", "null"], "format": "date"}}}}}
  })";
  const std::string rules =
      "rules:\n" + rule("days", "case.contacts.size() > 0",
                        "    facts:\n"
                        "      received: case.contacts.map(c, date(c.received_at))\n"
                        "      on: case.contacts.filter(c, has(c.on)).map(c, date(c.on))\n"
                        "      later: case.contacts.filter(c, has(c.on)).map(c, date(c.on) > "
                        "date(c.received_at))\n");
  const std::string snapshot = R"({"contacts": [
      {"received_at": "2024-02-29T00:00:00Z", "on": "2024-02-29"},
      {"received_at": "0001-01-01T00:00:00Z", "on": "0001-01-01"},
      {"received_at": "9999-12-31T23:59:59.999+14:00", "on": "9999-12-31"},
      {"received_at": "2024-03-28t23:30:00-01:00", "on": "2024-03-29"},
      {"received_at": "1900-03-01T12:00:00Z", "on": "1900-02-28"},
      {"received_at": "2000-02-29T12:00:00.5Z", "on": null},
      {"received_at": "1970-01-01T00:00:00Z", "on": "1969-12-31"}]})";
  const char* const received =
      R"(["2024-02-29","0001-01-01","9999-12-31","2024-03-28","1900-03-01","2000-02-29",)"
      R"("1970-01-01"])";
  const char* const on =
      R"(["2024-02-29","0001-01-01","9999-12-31","2024-03-29","1900-02-28","1969-12-31"])";
  const char* const later = "[false,false,false,true,false,false]";
  for (const bool with_schema : {true, false}) {
    for (const bool explain : {false, true}) {
      INFO("schema " << with_schema << ", explain " << explain);
      const auto rs = load_rules_with_schema(rules, with_schema ? schema : "");
      const Result r = evaluate(*rs, snapshot, "2024-06-03", explain);
      CHECK(r.undetermined.empty());
      const Flag* days = find_flag(r, "days");
      REQUIRE(days != nullptr);
      REQUIRE(days->facts.size() == 3);
      CHECK(days->facts[0].value_json == received);
      CHECK(days->facts[1].value_json == on);
      CHECK(days->facts[2].value_json == later);
    }
  }
}
