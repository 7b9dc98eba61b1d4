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

TEST_CASE("field reads: has(c.x) && c.x != null and !has(c.x) || c.x == null, every way") {
  // With the schema the two forms are answered from the recorded place in one read
  // (cel::PresenceNode); without it, with a rejected value in the document, or explaining,
  // by the && or || of the two tests. All must give the same answers.
  const std::string rules =
      "rules:\n" +
      rule("some.decided", "case.contacts.exists(c, has(c.decision) && c.decision != null)") +
      rule("none.decided", "case.contacts.all(c, !has(c.decision) || c.decision == null)") +
      rule("first.decided", "cel.bind(c, case.contacts[0], has(c.decision) && c.decision != null)");
  struct Case {
    const char* decisions;  // the contacts' decision members
    std::vector<std::string> flags;
    std::vector<std::string> undetermined;
  };
  const std::vector<Case> cases = {
      {R"({"id": "K1", "decision": "nfa"}, {"id": "K2"})", {"first.decided", "some.decided"}, {}},
      {R"({"id": "K1"}, {"id": "K2", "decision": "nfa"})", {"some.decided"}, {}},
      {R"({"id": "K1", "decision": null}, {"id": "K2"})", {"none.decided"}, {}},
      {R"({"id": "K1", "decision": null}, {"id": "K2", "decision": ""})", {"some.decided"}, {}},
      {R"({"id": "K1"}, {"id": "K2", "decision": {"a": null}})", {"some.decided"}, {}},
  };
  for (const bool with_schema : {true, false}) {
    for (const bool explain : {false, true}) {
      const auto rs = load_rules(rules, with_schema);
      for (const Case& c : cases) {
        INFO("schema " << with_schema << ", explain " << explain << ": " << c.decisions);
        const Result r = evaluate(*rs, std::string(R"({"contacts": [)") + c.decisions + "]}",
                                  "2024-06-03", explain);
        if (with_schema && std::string(c.decisions).find("{\"a\"") != std::string::npos) {
          // An object where the schema wants a text: rejected, present and unreadable.
          CHECK(flag_ids(r) == std::vector<std::string>{});
          CHECK(undetermined_ids(r) == std::vector<std::string>{"none.decided", "some.decided"});
          continue;
        }
        CHECK(flag_ids(r) == c.flags);
        CHECK(undetermined_ids(r) == c.undetermined);
      }
    }
  }
}

TEST_CASE("field reads: has(c.x) ? c.x : other and has(c.x) && c.x != null ? c.x : other") {
  // With the schema both are answered from the recorded place (cel::FieldOrNode); without
  // it, with a rejected value in the document, or explaining, by the ?: itself.
  const std::string rules =
      "rules:\n" +
      rule("decisions", "size(case.contacts) > 0",
           "    facts:\n"
           "      plain: 'case.contacts.map(c, has(c.decision) ? c.decision : \"none\")'\n"
           "      not_null: 'case.contacts.map(c, has(c.decision) && c.decision != null ? "
           "c.decision : c.id)'\n");
  struct Case {
    const char* contacts;
    const char* plain;
    const char* not_null;
  };
  const std::vector<Case> cases = {
      {R"({"id": "K1", "decision": "nfa"}, {"id": "K2"}, {"id": "K3", "decision": null})",
       R"(["nfa","none","none"])", R"(["nfa","K2","K3"])"},
      {R"({"id": "K1", "decision": ""})", R"([""])", R"([""])"},
      {R"({"id": "K1"})", R"(["none"])", R"(["K1"])"},
  };
  for (const bool with_schema : {true, false}) {
    for (const bool explain : {false, true}) {
      const auto rs = load_rules(rules, with_schema);
      for (const Case& c : cases) {
        INFO("schema " << with_schema << ", explain " << explain << ": " << c.contacts);
        const Result r = evaluate(*rs, std::string(R"({"contacts": [)") + c.contacts + "]}",
                                  "2024-06-03", explain);
        const Flag* flag = find_flag(r, "decisions");
        REQUIRE(flag != nullptr);
        REQUIRE(flag->facts.size() == 2);
        CHECK(flag->facts[0].value_json == c.plain);
        CHECK(flag->facts[1].value_json == c.not_null);
      }
    }
  }
  // A rejected value (an object where the schema wants a text) in the document: present,
  // and unreadable.
  const auto rs = load_rules(rules, true);
  const Result r = evaluate(
      *rs, R"({"contacts": [{"id": "K1", "decision": "nfa"}, {"id": "K2", "decision": {}}]})",
      "2024-06-03");
  const Flag* flag = find_flag(r, "decisions");
  REQUIRE(flag != nullptr);
  REQUIRE(flag->facts.size() == 2);
  CHECK_FALSE(flag->facts[0].determined);
  CHECK_FALSE(flag->facts[1].determined);
}

TEST_CASE("field reads: c.x.y and has(c.x.y) through two recorded layouts, every way") {
  // With a schema that records both objects, `c.decision.outcome` and
  // `has(c.decision.outcome)` (c a variable) are answered from the two layouts at once
  // (cel::FieldPathNode); a decision that is absent, null, rejected or not an object, an
  // outcome that is absent, no schema, a rejected value anywhere, or explaining take the
  // ordinary select and has(). All must give the same answers, errors and paths.
  const std::string schema = R"({
  "type": "object",
  "properties": {
    "contacts": {"type": "array", "items": {"type": "object", "properties": {
      "id": {"type": "string"},
      "decision": {"type": ["object", "null"], "properties": {
        "outcome": {"type": ["string", "null"]},
        "approved": {"type": "boolean"}}}}}}}
})";
  const std::string rules =
      "rules:\n" + rule("outcome.nfa", "case.contacts.exists(c, c.decision.outcome == \"nfa\")") +
      rule("has.outcome", "case.contacts.exists(c, has(c.decision.outcome))") +
      rule("all.approved", "case.contacts.all(c, c.decision.approved)") +
      rule("first.outcome",
           "cel.bind(c, case.contacts[0], has(c.decision.outcome) && c.decision.outcome != "
           "\"x\")",
           "    facts:\n"
           "      outcomes: 'case.contacts.map(c, has(c.decision) && c.decision != null && "
           "has(c.decision.outcome) ? c.decision.outcome : \"none\")'\n");
  struct Case {
    const char* contacts;
    std::vector<std::string> flags;
    std::vector<std::string> undetermined;  // "id path reason"
    const char* outcomes;                   // first.outcome's fact, when it is raised
  };
  const std::vector<Case> cases = {
      {R"({"id": "K1", "decision": {"outcome": "nfa", "approved": true}})",
       {"all.approved", "first.outcome", "has.outcome", "outcome.nfa"},
       {},
       R"(["nfa"])"},
      {R"({"id": "K1", "decision": {"outcome": null, "approved": false}},
          {"id": "K2", "decision": {"outcome": "x", "approved": true}})",
       {"has.outcome"},
       {},
       ""},
      {R"({"id": "K1", "decision": {"approved": true}}, {"id": "K2", "decision": null})",
       {},
       {"all.approved /contacts/1/decision null", "has.outcome /contacts/1/decision null",
        "outcome.nfa /contacts/0/decision/outcome missing"},
       ""},
      {R"({"id": "K1"}, {"id": "K2", "decision": {"outcome": "nfa", "approved": true}})",
       {"has.outcome", "outcome.nfa"},
       {"all.approved /contacts/0/decision missing", "first.outcome /contacts/0/decision missing"},
       ""},
      {R"({"id": "K1", "decision": {"outcome": "early_help", "approved": true}},
          {"id": "K2", "decision": {"outcome": "nfa", "approved": true}})",
       {"all.approved", "first.outcome", "has.outcome", "outcome.nfa"},
       {},
       R"(["early_help","nfa"])"},
  };
  const auto described = [](const Result& r) {
    std::vector<std::string> out;
    for (const Undetermined& u : r.undetermined)
      out.push_back(u.id + " " + u.path + " " + u.reason);
    return out;
  };
  for (const bool with_schema : {true, false}) {
    for (const bool explain : {false, true}) {
      const auto rs = load_rules_with_schema(rules, with_schema ? schema : "");
      for (const Case& c : cases) {
        INFO("schema " << with_schema << ", explain " << explain << ": " << c.contacts);
        const Result r = evaluate(*rs, std::string(R"({"contacts": [)") + c.contacts + "]}",
                                  "2024-06-03", explain);
        CHECK(flag_ids(r) == c.flags);
        CHECK(described(r) == c.undetermined);
        if (const Flag* flag = find_flag(r, "first.outcome")) {
          REQUIRE(flag->facts.size() == 1);
          CHECK(flag->facts[0].value_json == c.outcomes);
        }
      }
    }
  }
  // Rejected values: a decision that is a text, an outcome that is a number. The rest of
  // the document is read as before, and the rejected values are present and unreadable.
  const auto rs = load_rules_with_schema(rules, schema);
  const Result r = evaluate(*rs,
                            R"({"contacts": [{"id": "K1", "decision": {"outcome": 7,
      "approved": true}}, {"id": "K2", "decision": "nfa"}]})",
                            "2024-06-03");
  CHECK(flag_ids(r) == std::vector<std::string>{"has.outcome"});
  CHECK(described(r) ==
        std::vector<std::string>{"all.approved /contacts/1/decision schema-mismatch",
                                 "first.outcome /contacts/0/decision/outcome schema-mismatch",
                                 "outcome.nfa /contacts/0/decision/outcome schema-mismatch"});
}

TEST_CASE("field reads: date(c.x) == date(c.x) is whether the date can be read, every way") {
  // With the schema, `date(c.x) == date(c.x)` (the same recorded field on both sides) reads
  // the date once (cel::DateReadsNode); the same test with dyn() around one side is the
  // ordinary equality. Each rule below comes as "<name>.fused" and "<name>.plain": both
  // must be raised together, or undetermined with the same path and reason.
  const auto pair = [](const std::string& name, const std::string& when) {
    std::string plain = when;
    const std::string right = "== date(";
    const std::size_t at = plain.find(right);
    const std::size_t close = plain.find(')', at);
    plain = plain.substr(0, at) + "== dyn(" + plain.substr(at + 3, close - at - 2) + ")" +
            plain.substr(close + 1);
    return rule(name + ".fused", when) + rule(name + ".plain", plain);
  };
  const std::string rules =
      "rules:\n" +
      pair("some", "case.contacts.exists(c, date(c.received_at) == date(c.received_at))") +
      pair("every", "case.contacts.all(c, date(c.received_at) == date(c.received_at))") +
      pair("unreadable",
           "case.contacts.exists(c, !is_true(date(c.received_at) == date(c.received_at)))") +
      pair("born", "cel.bind(ch, case.child, date(ch.date_of_birth) == date(ch.date_of_birth))");
  const char* const snapshots[] = {
      R"({"child": {"date_of_birth": "2015-03-01"}, "contacts": [{"id": "K1",
          "received_at": "2024-01-02T10:00:00Z"}]})",
      R"({"child": {"date_of_birth": null}, "contacts": [{"id": "K1"},
          {"id": "K2", "received_at": "2024-01-02T10:00:00Z"}]})",
      R"({"child": {}, "contacts": [{"id": "K1"}]})",
      // Rejected by the schema: a date-time that is no date-time, a number, null.
      R"({"child": {"date_of_birth": "2015-02-30"}, "contacts": [{"id": "K1",
          "received_at": "2024-13-02T10:00:00Z"}, {"id": "K2", "received_at": 7}]})",
      R"({"child": {"date_of_birth": "2015-03-01"}, "contacts": [{"id": "K1",
          "received_at": null}, {"id": "K2", "received_at": "2024-01-02T10:00:00Z"}]})",
  };
  for (const bool with_schema : {true, false}) {
    for (const bool explain : {false, true}) {
      const auto rs = load_rules(rules, with_schema);
      for (const char* snapshot : snapshots) {
        INFO("schema " << with_schema << ", explain " << explain << ": " << snapshot);
        const Result r = evaluate(*rs, snapshot, "2024-06-03", explain);
        for (const char* name : {"some", "every", "unreadable", "born"}) {
          INFO(name);
          const std::string fused = std::string(name) + ".fused";
          const std::string plain = std::string(name) + ".plain";
          CHECK((find_flag(r, fused) != nullptr) == (find_flag(r, plain) != nullptr));
          std::vector<std::string> u_fused;
          std::vector<std::string> u_plain;
          for (const Undetermined& u : r.undetermined) {
            if (u.id == fused) u_fused.push_back(u.path + " " + u.reason + " " + u.message);
            if (u.id == plain) u_plain.push_back(u.path + " " + u.reason + " " + u.message);
          }
          CHECK(u_fused == u_plain);
        }
      }
    }
  }
  // What the rules say on the first two snapshots, with the schema.
  const auto rs = load_rules(rules, true);
  CHECK(flag_ids(evaluate(*rs, snapshots[0], "2024-06-03")) ==
        std::vector<std::string>{"born.fused", "born.plain", "every.fused", "every.plain",
                                 "some.fused", "some.plain"});
  const Result second = evaluate(*rs, snapshots[1], "2024-06-03");
  CHECK(flag_ids(second) == std::vector<std::string>{"some.fused", "some.plain", "unreadable.fused",
                                                     "unreadable.plain"});
  CHECK(undetermined_ids(second) ==
        std::vector<std::string>{"born.fused", "born.plain", "every.fused", "every.plain"});
}
