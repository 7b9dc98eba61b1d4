// Explain: which parts of a raised or undetermined condition held; values only on request.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kRules = R"(
rules:
  - id: child.young-and-disabled
    title: Young disabled child
    severity: high
    when: case.child.age < 5 && case.child.disabled == true
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
  - id: child.contacts
    title: Several contacts
    severity: low
    when: case.contacts.exists(c, c.source == "police")
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
)";

// A definition, a function that reads it and a rule that calls it; tests add a second rule
// that calls the function too.
const char* const kPoliceRules = R"(
definitions:
  police_contacts: case.contacts.filter(c, c.source == "police")
functions:
  at_least(n): size(police_contacts) >= n && n > 0
rules:
  - id: police.one
    title: A police contact
    severity: low
    when: at_least(1)
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of})";

const ExplainStep* find_step(const std::vector<ExplainStep>& steps, const std::string& expression) {
  for (const auto& s : steps) {
    if (s.expression == expression) return &s;
  }
  return nullptr;
}

const std::string kCase =
    R"({"child": {"age": 3, "disabled": true}, "contacts": [{"source": "school-SECRET"}, {"source": "police"}]})";

}  // namespace

TEST_CASE("explain: off by default") {
  const auto rs = load_rules(kRules);
  const Result r = evaluate(*rs, kCase, "2024-06-03");
  REQUIRE(r.flags.size() == 2);
  for (const auto& f : r.flags) CHECK(f.explain.empty());
  CHECK(r.to_json().find("explain") == std::string::npos);
}

TEST_CASE("explain: raised rules show which parts held, without values") {
  const auto rs = load_rules(kRules);
  const Result r = evaluate(*rs, kCase, "2024-06-03", true);
  const Flag* f = find_flag(r, "child.young-and-disabled");
  REQUIRE(f != nullptr);
  REQUIRE(!f->explain.empty());
  CHECK(f->explain[0].expression == "case.child.age < 5 && case.child.disabled == true");
  CHECK(f->explain[0].outcome == "true");
  const ExplainStep* age = find_step(f->explain, "case.child.age < 5");
  REQUIRE(age != nullptr);
  CHECK(age->outcome == "true");
  CHECK(age->value_json.empty());

  // Inside a comprehension: how many items went each way.
  const Flag* c = find_flag(r, "child.contacts");
  REQUIRE(c != nullptr);
  const ExplainStep* police = find_step(c->explain, "c.source == \"police\"");
  REQUIRE(police != nullptr);
  CHECK(police->times_true == 1);
  CHECK(police->times_false == 1);

  // No case data anywhere in the output.
  const std::string json = r.to_json();
  CHECK(json.find("SECRET") == std::string::npos);
  CHECK(json.find("\"value\"") == std::string::npos);
  CHECK(to_text(r).find("SECRET") == std::string::npos);
}

TEST_CASE("explain: undetermined rules show the part that could not be decided") {
  const auto rs = load_rules(kRules);
  const Result r = evaluate(*rs, R"({"child": {"age": 3}, "contacts": []})", "2024-06-03", true);
  const Undetermined* u = find_undetermined(r, "child.young-and-disabled");
  REQUIRE(u != nullptr);
  CHECK(u->path == "/child/disabled");
  const ExplainStep* age = find_step(u->explain, "case.child.age < 5");
  REQUIRE(age != nullptr);
  CHECK(age->outcome == "true");
  const ExplainStep* disabled = find_step(u->explain, "case.child.disabled == true");
  REQUIRE(disabled != nullptr);
  CHECK(disabled->outcome == "undetermined");
}

TEST_CASE("explain: with show_values the values of sub-expressions are included") {
  const auto rs = load_rules(kRules);
  const Result r = evaluate(*rs, kCase, "2024-06-03", true, true);
  const Flag* f = find_flag(r, "child.young-and-disabled");
  REQUIRE(f != nullptr);
  const ExplainStep* age = find_step(f->explain, "case.child.age");
  REQUIRE(age != nullptr);
  CHECK(age->value_json == "3");
  CHECK(r.to_json().find("\"value\":3") != std::string::npos);
}

TEST_CASE("explain: the outcome is the same with and without explain") {
  const auto rs = load_rules(kRules);
  const Result plain = evaluate(*rs, kCase, "2024-06-03");
  const Result explained = evaluate(*rs, kCase, "2024-06-03", true);
  CHECK(flag_ids(plain) == flag_ids(explained));
  CHECK(plain.level.id == explained.level.id);
  CHECK(undetermined_ids(plain) == undetermined_ids(explained));
}

TEST_CASE("explain: a part that ran several times shows its last value, not a later failure") {
  const auto rs = load_rules(
      "rules:\n" + rule("contacts.future", "case.contacts.exists(c, date(c.received_at) > as_of)"));
  const Result r = evaluate(*rs, R"({"contacts": [{"received_at": "2024-01-02T09:00:00Z"}, {}]})",
                            "2024-06-03", true, true);
  const Undetermined* u = find_undetermined(r, "contacts.future");
  REQUIRE(u != nullptr);
  const ExplainStep* date = find_step(u->explain, "date(c.received_at)");
  REQUIRE(date != nullptr);
  CHECK(date->value_json == "\"2024-01-02\"");
  CHECK(date->times_undetermined == 1);
}

TEST_CASE("explain: the thresholds that set the level show which parts held") {
  const auto rs = load_rules(std::string(kRules) + R"(
thresholds:
  - id: level.cin.young-disabled
    level: child_in_need
    when: case.child.age < 5 && case.child.disabled == true
  - id: level.eh.police
    level: early_help
    when: case.contacts.exists(c, c.source == "police")
)");
  const Result plain = evaluate(*rs, kCase, "2024-06-03");
  CHECK(plain.level.explain.empty());
  CHECK(plain.to_json().find("explain") == std::string::npos);

  const Result r = evaluate(*rs, kCase, "2024-06-03", true);
  REQUIRE(r.level.id == "child_in_need");
  REQUIRE(r.level.reasons == std::vector<std::string>{"level.cin.young-disabled"});
  // One explanation per reason; the early-help match is not a reason, so not explained.
  REQUIRE(r.level.explain.size() == 1);
  const ExplainStep* age = find_step(r.level.explain[0], "case.child.age < 5");
  REQUIRE(age != nullptr);
  CHECK(age->outcome == "true");
  const std::string json = r.to_json();
  CHECK(json.find(
            R"("reasons":["level.cin.young-disabled"],"explain":{"level.cin.young-disabled":[)") !=
        std::string::npos);
  CHECK(json.find("SECRET") == std::string::npos);
  const std::string text = to_text(r);
  CHECK(text.find("    level.cin.young-disabled:\n      [held]    case.child.age < 5 && "
                  "case.child.disabled == true\n") != std::string::npos);
}

TEST_CASE("explain: definitions and functions a condition reaches are explained for that rule") {
  // Two rules call the same function with different arguments, and read the same
  // definition: each rule's explanation shows what the function did for its own call.
  const auto rs = load_rules(std::string(kPoliceRules) + R"(
  - id: police.two
    title: Two police contacts
    severity: low
    when: at_least(2)
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
)");
  const Result r = evaluate(*rs, kCase, "2024-06-03", true);
  const Flag* one = find_flag(r, "police.one");
  REQUIRE(one != nullptr);
  CHECK(find_flag(r, "police.two") == nullptr);
  const auto undetermined_or_missing = [&](const std::string& id) {
    for (const auto& u : r.undetermined)
      if (u.id == id) return true;
    return false;
  };
  CHECK_FALSE(undetermined_or_missing("police.two"));

  // The condition itself first, then the function and the definition it reached.
  REQUIRE(!one->explain.empty());
  CHECK(one->explain[0].expression == "at_least(1)");
  CHECK(one->explain[0].within.empty());
  const ExplainStep* body = find_step(one->explain, "size(police_contacts) >= n && n > 0");
  REQUIRE(body != nullptr);
  CHECK(body->within == "function at_least(n)");
  CHECK(body->outcome == "true");
  // Once, for this rule's call: police.two's call (which did not hold) is not mixed in.
  CHECK(body->times_true + body->times_false + body->times_undetermined == 1);
  const ExplainStep* police = find_step(one->explain, "c.source == \"police\"");
  REQUIRE(police != nullptr);
  CHECK(police->within == "definition police_contacts");
  CHECK(police->times_true == 1);
  CHECK(police->times_false == 1);

  // JSON names where each part is written; text lists the parts under it.
  const std::string json = r.to_json();
  const std::string within_step = R"x({"expression":"size(police_contacts) >= n && n > 0",)x"
                                  R"x("within":"function at_least(n)","outcome":"true"})x";
  CHECK(json.find(within_step) != std::string::npos);
  CHECK(json.find("SECRET") == std::string::npos);
  const std::string text = to_text(r);
  CHECK(text.find("in function at_least(n):\n") != std::string::npos);
  CHECK(text.find("in definition police_contacts:\n") != std::string::npos);
}

TEST_CASE("explain: a schema default standing in for a left-out field is marked as such") {
  const char* const schema = R"({"type": "object", "properties": {
    "visits": {"type": "array", "default": [], "items": {"type": "object", "properties": {
      "date": {"type": "string", "format": "date"},
      "seen_alone": {"type": "boolean", "default": false}}}}}})";
  const auto rs = load_rules_with_schema(
      "rules:\n" + rule("visits.none-alone", "case.visits.all(v, v.seen_alone == false)") +
          rule("visits.none", "size(case.visits) == 0"),
      schema);

  // Two of three visits leave seen_alone out; the third says false itself.
  const Result r = evaluate(
      *rs,
      R"({"visits": [{"date": "2024-01-01"}, {"date": "2024-02-01", "seen_alone": false}, {"date": "2024-03-01"}]})",
      "2024-06-03", true, true);
  const Flag* f = find_flag(r, "visits.none-alone");
  REQUIRE(f != nullptr);
  const ExplainStep* seen = find_step(f->explain, "v.seen_alone");
  REQUIRE(seen != nullptr);
  CHECK(seen->times_false == 3);
  CHECK(seen->times_default == 2);
  const ExplainStep* comparison = find_step(f->explain, "v.seen_alone == false");
  REQUIRE(comparison != nullptr);
  CHECK(comparison->times_default == 0);  // a value computed from a default is the rule's own
  CHECK(r.to_json().find("\"times_default\":2") != std::string::npos);
  CHECK(to_text(r).find("(2 times not in the snapshot: the schema's default)") !=
        std::string::npos);

  // A whole list left out: the empty list is the schema's.
  const Result empty = evaluate(*rs, "{}", "2024-06-03", true, true);
  const Flag* none = find_flag(empty, "visits.none");
  REQUIRE(none != nullptr);
  const ExplainStep* visits = find_step(none->explain, "case.visits");
  REQUIRE(visits != nullptr);
  CHECK(visits->value_json == "[]");
  CHECK(visits->times_default == 1);
  CHECK(to_text(empty).find("= []  (once not in the snapshot: the schema's default)") !=
        std::string::npos);

  // Given by the snapshot, nothing is marked.
  const Result given = evaluate(*rs, R"({"visits": []})", "2024-06-03", true, true);
  const Flag* given_none = find_flag(given, "visits.none");
  REQUIRE(given_none != nullptr);
  const ExplainStep* given_visits = find_step(given_none->explain, "case.visits");
  REQUIRE(given_visits != nullptr);
  CHECK(given_visits->times_default == 0);
  CHECK(given.to_json().find("times_default") == std::string::npos);
}

TEST_CASE(
    "explain: in text, a part written over several lines keeps its later lines under "
    "its first") {
  const auto rs = load_rules(R"(
rules:
  - id: child.young-and-disabled
    title: Young disabled child
    severity: high
    when: >
      case.child.age < 5 &&
        case.child.disabled == true
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
)");
  const Result r = evaluate(*rs, kCase, "2024-06-03", true);
  REQUIRE(find_flag(r, "child.young-and-disabled") != nullptr);
  // The flag's steps are listed under "    " + 9 columns of id and severity; the part's
  // first line starts after "[held]    ", and its second line starts there too.
  const std::string text = to_text(r);
  const std::string first = "[held]    case.child.age < 5 &&\n";
  const std::size_t at = text.find(first);
  REQUIRE(at != std::string::npos);
  const std::size_t line_start = text.rfind('\n', at) + 1;
  const std::string column(at + 10 - line_start, ' ');
  const std::string second = column + "  case.child.disabled == true";
  CHECK(text.compare(at + first.size(), second.size(), second) == 0);
}

TEST_CASE("explain: each explanation counts only its own run, on a thread that explains many") {
  // One Recorder per thread serves every explanation and clears only the parts the last
  // run reached: two raised rules reaching the same function and definition, explained one
  // after the other, and the same case again, each count what their own run did.
  const auto rs = load_rules(std::string(kPoliceRules) + R"(
  - id: police.some
    title: Some police contact
    severity: low
    when: at_least(1) || at_least(2)
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
)");
  const Result first = evaluate(*rs, kCase, "2024-06-03", true);
  for (const char* id : {"police.one", "police.some"}) {
    INFO(id);
    const Flag* f = find_flag(first, id);
    REQUIRE(f != nullptr);
    const ExplainStep* body = find_step(f->explain, "size(police_contacts) >= n && n > 0");
    REQUIRE(body != nullptr);
    CHECK(body->times_true == 1);
    CHECK(body->times_false == 0);
    const ExplainStep* police = find_step(f->explain, "c.source == \"police\"");
    REQUIRE(police != nullptr);
    CHECK(police->times_true == 1);
    CHECK(police->times_false == 1);
  }
  // A part the second rule did not reach is not carried over from the first: here none,
  // and the same case on the same thread explains the same again.
  CHECK(evaluate(*rs, kCase, "2024-06-03", true).to_json() == first.to_json());
  const auto other = load_rules(kRules);
  const Result between = evaluate(*other, kCase, "2024-06-03", true);
  CHECK(find_flag(between, "child.contacts") != nullptr);
  CHECK(evaluate(*rs, kCase, "2024-06-03", true).to_json() == first.to_json());
}
