// Schema::validate against the shipped case schema: violations by path and expected type,
// marked values that rules read as errors, number normalisation, and no case data in any
// message.
#include <catch2/catch.hpp>

#include "schema_test_util.hpp"
#include "snapshot/schema_tree.hpp"

using namespace schema_test;
using safeguard::cel::ErrorCode;
using safeguard::cel::Value;
using safeguard::cel::ValueKind;

namespace {

const char* const kGoodCase = R"({
  "schema": "safeguarding-case/1",
  "case_id": "C-1001",
  "child": {"date_of_birth": "2015-06-01", "disabled": false,
            "education": {"missing_education": false, "attendance_percent": 91.5}},
  "episode": {"opened_on": "2024-01-10", "closed_on": null},
  "contacts": [
    {"id": "K1", "received_at": "2024-03-28T16:05:00Z", "source": "police",
     "concerns": ["domestic_abuse", "neglect"], "domestic_abuse_risk": "high",
     "decision": {"outcome": "strategy_discussion", "decided_at": "2024-03-29T09:00:00+01:00",
                  "manager_approved": true}},
    {"id": "K2", "received_at": "2024-04-02T10:00:00Z", "source": "school", "concerns": [],
     "decision": null, "vendor_field": {"anything": [1, 2]}}
  ],
  "strategy_discussions": [{"id": "S1", "held_on": "2024-03-29", "contact_id": "K1", "outcome": "s47"}],
  "s47_enquiries": [{"id": "E1", "started_on": "2024-03-29", "outcome": null}],
  "conferences": [{"id": "F1", "type": "initial", "held_on": "2024-04-15", "outcome": "cp_plan"}],
  "assessments": [{"id": "A1", "type": "single", "started_on": "2024-01-11",
                   "evidence_sources": ["child_seen", "home_visit"], "outcome": "cin"}],
  "plans": [{"id": "P1", "type": "child_protection", "category": "neglect",
             "started_on": "2024-04-15", "contingency": "",
             "actions": [{"id": "PA1", "text": "Weekly visit", "due_on": "2024-05-01"},
                         {"id": "PA2", "text": "Nursery place", "owner": "sw", "done_on": null}],
             "reviews": [{"held_on": "2024-07-10", "progress": "static"}]}],
  "visits": [{"date": "2024-04-20", "child_seen": true, "seen_alone": true}],
  "supervision": [{"date": "2024-04-22"}],
  "worker_history": [{"worker_id": "W1", "from": "2024-01-10"}],
  "allocated_worker": {"id": "W1", "caseload": 18, "agency": false},
  "legal": {"written_agreements": [{"started_on": "2024-02-01", "breaches": 2}],
            "legal_planning_meetings": [{"held_on": "2024-05-01", "decision": "pre_proceedings"}],
            "pre_proceedings": {"started_on": "2024-05-10", "plan_in_place": true},
            "care_proceedings": null}
})";

// kGoodCase with `from` replaced by `to` (once).
std::string edited(const std::string& from, const std::string& to) {
  return replace_once(kGoodCase, from, to);
}

void check_marked(const ParsedJson& json, const std::string& pointer, const std::string& message) {
  const Value v = value_at(json, pointer);
  REQUIRE(v.is_error());
  CHECK(v.error->code == ErrorCode::kSchemaMismatch);
  CHECK(std::string(v.error->message) == message);
  CHECK(v.error->tape_index == at(json, pointer));
}

}  // namespace

TEST_CASE("a good snapshot has no violations and nothing marked") {
  ParsedJson json;
  CHECK(validate(case_schema(), kGoodCase, json).empty());
  CHECK(json.doc()->invalid_count == 0);
  CHECK(value_at(json, "/contacts/0/source").str() == "police");
}

TEST_CASE("a wrong type is reported by path and expected type, and the value is marked") {
  ParsedJson json;
  const auto v =
      validate(case_schema(), edited(R"("case_id": "C-1001")", R"("case_id": 1001)"), json);
  REQUIRE(v.size() == 1);
  CHECK(v[0].code == "schema.type");
  CHECK(v[0].path == "/case_id");
  CHECK(v[0].expected == "string");
  CHECK(v[0].message == "has the wrong type");
  check_marked(json, "/case_id", "does not match the schema: expected a string");
  // Everything else is still readable.
  CHECK(value_at(json, "/contacts/0/id").str() == "K1");
  CHECK(json.doc()->invalid_count == 1);
}

TEST_CASE("impossible and malformed dates are format violations") {
  for (const char* bad :
       {"2023-02-29", "2024-13-01", "2024-04-31", "24-01-10", "2024-01-10T00:00:00Z", "1900-02-29",
        "0000-01-10", "2024-00-10", "2024-01-00", "2024-0a-10", "2024/01/10", "2024-01-1 "}) {
    INFO(bad);
    ParsedJson json;
    const auto v = validate(
        case_schema(),
        edited(R"("opened_on": "2024-01-10")", std::string(R"("opened_on": ")") + bad + "\""),
        json);
    REQUIRE(v.size() == 1);
    CHECK(v[0].code == "schema.format");
    CHECK(v[0].path == "/episode/opened_on");
    CHECK(v[0].expected == "date (YYYY-MM-DD)");
    CHECK(v[0].message == "is not a valid date (YYYY-MM-DD)");
    check_marked(json, "/episode/opened_on",
                 "does not match the schema: expected a date (YYYY-MM-DD)");
  }
  ParsedJson json;
  const auto v =
      validate(case_schema(), edited(R"("closed_on": null)", R"("closed_on": "2024-13-01")"), json);
  CHECK(summary(v) ==
        std::vector<std::string>{"schema.format /episode/closed_on date (YYYY-MM-DD) or null"});
  for (const char* good : {"2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2023-12-31"}) {
    INFO(good);
    CHECK(validate(case_schema(),
                   edited(R"("closed_on": null)", std::string(R"("closed_on": ")") + good + "\""),
                   json)
              .empty());
  }
}

TEST_CASE("date-times must be RFC 3339") {
  ParsedJson json;
  const auto v = validate(
      case_schema(),
      edited(R"("received_at": "2024-03-28T16:05:00Z")", R"("received_at": "2024-03-28 16:05")"),
      json);
  CHECK(summary(v) ==
        std::vector<std::string>{"schema.format /contacts/0/received_at date-time (RFC 3339)"});
  check_marked(json, "/contacts/0/received_at",
               "does not match the schema: expected a date-time (RFC 3339)");
  for (const char* bad :
       {"2024-02-30T10:00:00Z", "2023-02-29T10:00:00+01:00", "2024-03-28T24:00:00Z",
        "2024-03-28T16:60:00Z", "2024-03-28T16:05:61Z", "2024-03-28T16:05:00+24:00",
        "2024-03-28T16:05:00+01:60", "0000-03-28T16:05:00Z", "2024-03-28T16:05:00",
        "2024-03-28T16:05:0aZ", "2024-03-28T16:05:00+0100", "2024-03-28",
        // A leap second only at 23:59:60 in UTC (JSON-Schema-Test-Suite's format cases).
        "1998-12-31T23:58:60Z", "1998-12-31T22:59:60Z", "1998-12-31T23:59:61Z",
        "1998-12-31T23:59:60+01:00", "1998-12-31T16:59:60-08:00"}) {
    INFO(bad);
    CHECK(summary(validate(case_schema(),
                           edited(R"("received_at": "2024-03-28T16:05:00Z")",
                                  std::string(R"("received_at": ")") + bad + "\""),
                           json)) ==
          std::vector<std::string>{"schema.format /contacts/0/received_at date-time (RFC 3339)"});
  }
  for (const char* good :
       {"2024-03-28T16:05:00+01:00", "2024-02-29T23:59:59-12:30", "2024-03-28T16:05:00.25Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1998-12-31T23:59:60Z",
        "1998-12-31T15:59:60.123-08:00", "2017-01-01T00:59:60+01:00"}) {
    INFO(good);
    CHECK(validate(case_schema(),
                   edited(R"("received_at": "2024-03-28T16:05:00Z")",
                          std::string(R"("received_at": ")") + good + "\""),
                   json)
              .empty());
  }
}

TEST_CASE("enum violations, also inside lists, mark the value") {
  ParsedJson json;
  const auto v =
      validate(case_schema(), edited(R"("source": "police")", R"("source": "postman")"), json);
  REQUIRE(v.size() == 1);
  CHECK(v[0].code == "schema.enum");
  CHECK(v[0].path == "/contacts/0/source");
  CHECK(v[0].expected == "one of: police, school, health, family, self, anonymous, other");
  CHECK(v[0].message == "is not one of the allowed values");
  check_marked(json, "/contacts/0/source",
               "does not match the schema: expected one of: police, school, health, family, "
               "self, anonymous, other");

  const auto c = validate(case_schema(), edited(R"("neglect"])", R"("neglekt"])"), json);
  REQUIRE(c.size() == 1);
  CHECK(c[0].path == "/contacts/0/concerns/1");
  CHECK(value_at(json, "/contacts/0/concerns/0").str() == "domestic_abuse");
  CHECK(value_at(json, "/contacts/0/concerns/1").is_error());

  const auto n =
      validate(case_schema(), edited(R"("outcome": null)", R"("outcome": "icpc")"), json);
  CHECK(n.empty());
  const auto s =
      validate(case_schema(), edited(R"("safeguarding-case/1")", R"("safeguarding-case/2")"), json);
  CHECK(summary(s) == std::vector<std::string>{R"(schema.const /schema "safeguarding-case/1")"});
}

TEST_CASE("missing required properties are reported at their own path, nothing marked") {
  ParsedJson json;
  const auto v = validate(case_schema(), edited(R"({"opened_on": "2024-01-10", )", "{"), json);
  REQUIRE(v.size() == 1);
  CHECK(v[0].code == "schema.required");
  CHECK(v[0].path == "/episode/opened_on");
  CHECK(v[0].expected == "date (YYYY-MM-DD)");
  CHECK(v[0].message == "is missing (required)");
  CHECK(json.doc()->invalid_count == 0);

  const auto d =
      validate(case_schema(),
               edited(R"("decision": null)", R"("decision": {"manager_approved": false})"), json);
  CHECK(summary(d) ==
        std::vector<std::string>{
            "schema.required /contacts/1/decision/outcome one of: nfa, information_advice, "
            "early_help, statutory_assessment, strategy_discussion",
            "schema.required /contacts/1/decision/decided_at date-time (RFC 3339)"});
}

TEST_CASE("nested violations in lists of lists carry full paths") {
  ParsedJson json;
  const auto v = validate(
      case_schema(),
      edited(R"("owner": "sw", "done_on": null)", R"("owner": 7, "done_on": "2024-02-30")"), json);
  CHECK(summary(v) == std::vector<std::string>{
                          "schema.type /plans/0/actions/1/owner string or null",
                          "schema.format /plans/0/actions/1/done_on date (YYYY-MM-DD) or null"});
  CHECK(value_at(json, "/plans/0/actions/1/owner").is_error());
  CHECK(value_at(json, "/plans/0/actions/1/done_on").is_error());
  CHECK(value_at(json, "/plans/0/actions/1/text").str() == "Nursery place");
}

TEST_CASE("numbers: a number field is always a double, an integer field always an int") {
  ParsedJson json;
  const auto v = validate(
      case_schema(), edited(R"("attendance_percent": 91.5)", R"("attendance_percent": 95)"), json);
  CHECK(v.empty());
  const Value percent = value_at(json, "/child/education/attendance_percent");
  CHECK(percent.kind == ValueKind::kDouble);
  CHECK(percent.d == 95.0);

  CHECK(validate(case_schema(), edited(R"("caseload": 18)", R"("caseload": 18.0)"), json).empty());
  const Value caseload = value_at(json, "/allocated_worker/caseload");
  CHECK(caseload.kind == ValueKind::kInt);
  CHECK(caseload.i == 18);

  const auto frac =
      validate(case_schema(), edited(R"("caseload": 18)", R"("caseload": 18.5)"), json);
  CHECK(summary(frac) ==
        std::vector<std::string>{"schema.type /allocated_worker/caseload integer >= 0 or null"});
  CHECK(value_at(json, "/allocated_worker/caseload").is_error());

  const auto negative =
      validate(case_schema(), edited(R"("caseload": 18)", R"("caseload": -1)"), json);
  CHECK(summary(negative) ==
        std::vector<std::string>{"schema.range /allocated_worker/caseload integer >= 0 or null"});
  const auto over =
      validate(case_schema(),
               edited(R"("attendance_percent": 91.5)", R"("attendance_percent": 100.5)"), json);
  CHECK(summary(over) ==
        std::vector<std::string>{
            "schema.range /child/education/attendance_percent number >= 0 and <= 100 or null"});
  const auto huge =
      validate(case_schema(), edited(R"("caseload": 18)", R"("caseload": 1e300)"), json);
  CHECK(huge.at(0).code == "schema.range");
  CHECK(huge.at(0).message == "is outside the range of a 64-bit integer");
}

TEST_CASE("duplicate keys: reported, and every occurrence marked") {
  ParsedJson json;
  const auto v =
      validate(case_schema(),
               edited(R"("case_id": "C-1001")", R"("case_id": "C-1001", "case_id": "C-2")"), json);
  CHECK(summary(v) ==
        std::vector<std::string>{"schema.duplicate-key /case_id each key at most once"});
  CHECK(v.at(0).message == "appears more than once in its object");
  check_marked(json, "/case_id",
               "does not match the schema: its key appears more than once in the same object");

  // An undeclared key is never named.
  const auto u = validate(
      case_schema(),
      edited(R"("disabled": false)", R"("nickname": 1, "disabled": false, "nickname": 2)"), json);
  CHECK(summary(u) ==
        std::vector<std::string>{"schema.duplicate-key /child each key at most once"});
  CHECK(u.at(0).message == "is an object with a key that appears more than once");
}

TEST_CASE("duplicate keys out of the expected order: short and long, declared or not") {
  // Keys the member loop does not expect where they are, so that match_key looks them up:
  // declared ones of up to sixteen bytes and longer, undeclared ones of 2, 16 and 17 bytes,
  // each repeated; the root's and a contact's.
  ParsedJson json;
  const auto v =
      validate(case_schema(),
               edited(R"("case_id": "C-1001")",
                      R"("case_id": "C-1001", "supervision": [], "strategy_discussions": [],
                "zz": 1, "a_sixteen_byte_k": 1, "seventeen_bytes_k": 1, "zz": 2,
                "seventeen_bytes_k": 2, "a_sixteen_byte_k": 2)"),
               json);
  // The undeclared keys' repeats are one violation of the object, never naming a key.
  CHECK(summary(v) ==
        std::vector<std::string>{"schema.duplicate-key  each key at most once",
                                 "schema.duplicate-key /strategy_discussions each key at most once",
                                 "schema.duplicate-key /supervision each key at most once"});
  const auto c =
      validate(case_schema(),
               edited(R"("source": "police",)",
                      R"("source": "police", "domestic_abuse_risk": "low", "id": "K9",)"),
               json);
  CHECK(summary(c) ==
        std::vector<std::string>{
            "schema.duplicate-key /contacts/0/id each key at most once",
            "schema.duplicate-key /contacts/0/domestic_abuse_risk each key at most once",
            "schema.enum /contacts/0/domestic_abuse_risk one of: standard, medium, high, null"});
}

namespace {

// An object schema of 70 properties: p00, p03, ... dates; p01, p04, ... integers; p02,
// p05, ... strings "a" or "b". Past the 64th, a property is never the member loop's guess
// (its `seen` bit would not fit): its key is looked up, and reported the same.
std::string seventy_properties() {
  std::string text = R"({"type": "object", "additionalProperties": false,
    "required": ["p01", "p64", "p65", "p68"], "properties": {)";
  for (int i = 0; i < 70; ++i) {
    const std::string name = (i < 10 ? "\"p0" : "\"p") + std::to_string(i) + "\"";
    text += (i ? ", " : "") + name + ": ";
    text += i % 3 == 0   ? R"({"type": "string", "format": "date"})"
            : i % 3 == 1 ? R"({"type": "integer"})"
                         : R"({"enum": ["a", "b"]})";
  }
  return text + "}}";
}

std::string member(int i, const std::string& value) {
  return (i < 10 ? "\"p0" : "\"p") + std::to_string(i) + "\": " + value;
}

std::string good_value(int i) {
  return i % 3 == 0 ? "\"2024-02-28\"" : i % 3 == 1 ? std::to_string(i) : "\"b\"";
}

}  // namespace

TEST_CASE("an object of more than 64 properties: several violations, in document order") {
  const auto schema = load(seventy_properties());
  REQUIRE(schema != nullptr);
  ParsedJson json;
  // A small object (its duplicates found as the members go): properties 60 to 69 in the
  // schema's order, 64 absent, 66 twice, 67 and 68 wrong, an extra key.
  std::string small = "{";
  for (int i = 60; i < 70; ++i) {
    if (i == 64) continue;
    const std::string value = i == 67 ? "\"x\"" : i == 68 ? "\"c\"" : good_value(i);
    small += member(i, value) + ", ";
    if (i == 66) small += member(66, "\"2024-03-01\"") + ", ";
  }
  small += R"("zz": 1})";
  CHECK(summary(validate(*schema, small, json)) ==
        std::vector<std::string>{
            "schema.duplicate-key /p66 each key at most once",
            "schema.additional-property  only the properties the schema declares",
            "schema.required /p01 integer", "schema.required /p64 integer",
            "schema.type /p67 integer", "schema.enum /p68 one of: a, b"});
  CHECK(value_at(json, "/p65").str() == "b");
  CHECK(value_at(json, "/p66").is_error());
  CHECK(value_at(json, "/p69").str() == "2024-02-28");

  // A large one (its duplicates found by sorting): all 70, 3 and 65 wrong, 69 twice.
  std::string large = "{";
  for (int i = 0; i < 70; ++i) {
    large += member(i, i == 3 ? "\"2023-02-29\"" : i == 65 ? "\"2024-04-31\"" : good_value(i));
    large += ", ";
  }
  large += member(69, "\"a\"") + "}";
  CHECK(summary(validate(*schema, large, json)) ==
        std::vector<std::string>{"schema.duplicate-key /p69 each key at most once",
                                 "schema.format /p03 date (YYYY-MM-DD)",
                                 "schema.enum /p65 one of: a, b",
                                 "schema.format /p69 date (YYYY-MM-DD)"});
  CHECK(value_at(json, "/p64").i == 64);
  CHECK(value_at(json, "/p66").str() == "2024-02-28");
}

TEST_CASE("the member loop's guess: each property's place and seen bit, worked out at load") {
  const auto schema = load(seventy_properties());
  REQUIRE(schema != nullptr);
  const auto& tree = schema->tree();
  const auto& members = tree.nodes[tree.root].members;
  REQUIRE(members.size() == 71);  // and the sentinel
  for (std::uint32_t i = 0; i < 70; ++i) {
    CHECK(members[i].position == i);
    // Past the 64th, no `seen` bit: never the guess (its size matches no key).
    CHECK(members[i].bit == (i < 64 ? std::uint64_t{1} << i : 0));
    CHECK(members[i].size == (i < 64 ? 3u : 0xFFFFFFFFu));
  }
  CHECK(members[70].bit == 0);
  CHECK(members[70].size == 0xFFFFFFFFu);
}

TEST_CASE("the tape types that pass in place, as bits of their letters") {
  using safeguard::snapshot::schema::tape_type_bit;
  const std::string types = "ntf\"lud{[r";
  for (char a : types) {
    for (char b : types) CHECK((tape_type_bit(a) == tape_type_bit(b)) == (a == b));
  }
  const auto schema = load(R"({"type": "object", "properties": {"i": {"type": "integer"},
    "n": {"type": "null"}, "b": {"type": "boolean"}, "s": {"type": "string"}, "x": {},
    "d": {"type": "number"}, "o": {"type": "object"}}})");
  REQUIRE(schema != nullptr);
  const auto& members = schema->tree().nodes[schema->tree().root].members;
  const auto bits = [](const std::string& letters) {
    std::uint64_t mask = 0;
    for (char t : letters) mask |= tape_type_bit(t);
    return mask;
  };
  CHECK(members[0].check.accept == bits("l"));  // not 'u' (past int64) nor 'd'
  CHECK(members[1].check.accept == bits("n"));
  CHECK(members[2].check.accept == bits("tf"));
  CHECK(members[3].check.accept == bits("\""));
  CHECK(members[4].check.accept == bits("ntf\"l"));
  CHECK(members[5].check.accept == 0);  // numbers are normalised the general way
  CHECK(members[6].check.accept == 0);
  ParsedJson json;
  CHECK(summary(validate(*schema,
                         R"({"i": 9223372036854775808, "n": false, "b": null, "s": 1,
                             "x": 1.5, "d": 2, "o": "x"})",
                         json)) ==
        std::vector<std::string>{"schema.range /i integer", "schema.type /n null",
                                 "schema.type /b boolean", "schema.type /s string",
                                 "schema.type /o object"});
  CHECK(value_at(json, "/x").d == 1.5);
  CHECK(value_at(json, "/d").d == 2.0);
}

TEST_CASE("the member loop's guess behind a property already seen: a repeated key is reported") {
  const auto schema = load(seventy_properties());
  REQUIRE(schema != nullptr);
  ParsedJson json;
  // p03 by lookup (the guess is p01's successor), p02 by lookup (the guess is then p03, seen
  // already), then p03 again where the guess is: compared with the earlier keys and reported;
  // p04 after it is the guess again; p63 (the last with a bit) twice in a row. The repeated
  // keys' values are checked too (both wrong).
  const std::string text = "{" + member(1, good_value(1)) + ", " + member(3, good_value(3)) + ", " +
                           member(2, good_value(2)) + ", " + member(3, "\"2024-02-30\"") + ", " +
                           member(4, good_value(4)) + ", " + member(63, good_value(63)) + ", " +
                           member(63, "\"x\"") + ", " + member(64, good_value(64)) + ", " +
                           member(65, good_value(65)) + ", " + member(68, good_value(68)) + "}";
  CHECK(summary(validate(*schema, text, json)) ==
        std::vector<std::string>{"schema.duplicate-key /p03 each key at most once",
                                 "schema.duplicate-key /p63 each key at most once",
                                 "schema.format /p03 date (YYYY-MM-DD)",
                                 "schema.format /p63 date (YYYY-MM-DD)"});
  CHECK(value_at(json, "/p02").str() == "b");
  CHECK(value_at(json, "/p03").is_error());
  CHECK(value_at(json, "/p04").i == 4);
  CHECK(value_at(json, "/p63").is_error());
  CHECK(value_at(json, "/p64").i == 64);
}

TEST_CASE("the root must be an object; violations are capped but every value is marked") {
  ParsedJson json;
  CHECK(summary(validate(case_schema(), "[1]", json)) ==
        std::vector<std::string>{"schema.type  object"});

  std::string many = R"({"schema": "safeguarding-case/1", "case_id": "c",
                        "episode": {"opened_on": "2024-01-01"}, "supervision": [)";
  for (int i = 0; i < 50; ++i) many += std::string(i ? "," : "") + R"({"date": "2024-02-30"})";
  many += "]}";
  parse(many, json);
  const auto v = case_schema().validate(json, 10);
  CHECK(v.size() == 10);
  CHECK(json.doc()->invalid_count == 50);
}

TEST_CASE("no message or path carries a value from the snapshot") {
  const std::string marker = "SECRET-7f3a";
  std::string text = kGoodCase;
  auto replace = [&text](const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
  };
  replace(R"("case_id": "C-1001")", R"("case_id": {"name": "SECRET-7f3a"})");
  replace(R"("source": "police")", R"("source": "SECRET-7f3a")");
  replace(R"("opened_on": "2024-01-10")", R"("opened_on": "SECRET-7f3a")");
  replace(R"("disabled": false)",
          R"("SECRET-7f3a": 1, "SECRET-7f3a": 2, "disabled": "SECRET-7f3a")");
  replace(R"("caseload": 18)", R"("caseload": "SECRET-7f3a")");
  ParsedJson json;
  const auto v = validate(case_schema(), text, json);
  CHECK(v.size() == 6);
  for (const auto& violation : v) {
    for (const std::string* s :
         {&violation.path, &violation.expected, &violation.message, &violation.code}) {
      CHECK(s->find(marker) == std::string::npos);
    }
  }
  const auto* d = json.doc();
  for (std::uint32_t i = 0; i < d->invalid_count; ++i) {
    CHECK(std::string(d->invalid_errors[i].message).find(marker) == std::string::npos);
  }
}

TEST_CASE("check_duplicate_keys works without a schema and never names the key") {
  ParsedJson json;
  parse(R"({"a": {"b": [{"k": 1, "x": 0, "k": 2, "k": 3}]}, "c": 1})", json);
  const auto v = safeguard::snapshot::check_duplicate_keys(json, 100);
  CHECK(summary(v) ==
        std::vector<std::string>{"schema.duplicate-key /a/b/0 each key at most once"});
  CHECK(value_at(json, "/a/b/0/k").is_error());
  CHECK(json.doc()->invalid_count == 3);
  CHECK(value_at(json, "/a/b/0/x").i == 0);
  CHECK(value_at(json, "/c").i == 1);

  // Large objects take the sorting path.
  std::string big = "{";
  for (int i = 0; i < 100; ++i) big += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  big += "\"k7\": 0}";
  parse(big, json);
  CHECK(summary(safeguard::snapshot::check_duplicate_keys(json, 100)) ==
        std::vector<std::string>{"schema.duplicate-key  each key at most once"});
  CHECK(value_at(json, "/k7").is_error());
  CHECK(value_at(json, "/k8").i == 8);
}

TEST_CASE("validating a copy rewrites the copy's numbers, never the original's") {
  ParsedJson original;
  parse(edited(R"("attendance_percent": 91.5)", R"("attendance_percent": 95)"), original);
  ParsedJson copy;
  copy.copy_from(original);
  CHECK(case_schema().validate(copy).empty());
  CHECK(value_at(copy, "/child/education/attendance_percent").kind == ValueKind::kDouble);
  CHECK(value_at(original, "/child/education/attendance_percent").kind == ValueKind::kInt);
}
