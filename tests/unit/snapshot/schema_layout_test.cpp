// Object layouts recorded by validation (cel::JsonDoc::layout_at), which rules read instead
// of searching an object's keys: for every object and every property of its schema node,
// the recorded place must be exactly what a key search finds, whatever the snapshot's
// mistakes (duplicate keys, wrong types, undeclared members, nulls, missing fields).
#include <catch2/catch.hpp>

#include "schema_test_util.hpp"
#include "snapshot/schema_tree.hpp"

using namespace schema_test;
using safeguard::cel::FieldPosition;
using safeguard::cel::JsonDoc;
using safeguard::cel::kNoTape;

namespace {

const char* const kCase = R"({
  "schema": "safeguarding-case/1",
  "case_id": "C-1",
  "child": {"date_of_birth": "2015-06-01", "education": {"attendance_percent": 91.5}},
  "episode": {"opened_on": "2024-01-10"},
  "contacts": [
    {"id": "K1", "received_at": "2024-03-28T16:05:00Z", "concerns": ["neglect"],
     "decision": {"outcome": "nfa", "decided_at": "2024-03-29T09:00:00Z"}},
    {"id": "K2", "received_at": "2024-04-02T10:00:00Z", "concerns": [], "decision": null,
     "vendor_field": {"id": "not a contact id"}}
  ],
  "plans": [{"id": "P1", "type": "child_in_need", "started_on": "2024-04-15",
             "actions": [{"id": "PA1", "text": "Visit", "due_on": "2024-05-01"}]}],
  "allocated_worker": {"id": "W1", "caseload": 18}
})";

std::string replaced(const std::string& from, const std::string& to) {
  return replace_once(kCase, from, to);
}

struct Checked {
  std::size_t objects = 0;      // objects on the tape
  std::size_t with_layout = 0;  // of which validation recorded a layout
  std::size_t properties = 0;   // properties compared with a key search
};

// Compares every recorded layout with json_find, object by object.
Checked compare_with_search(const ParsedJson& json, const Schema& schema) {
  const JsonDoc* d = json.doc();
  const auto& nodes = schema.tree().nodes;
  Checked checked;
  const auto end = static_cast<std::uint32_t>(safeguard::cel::json_payload(d, 0));
  for (std::uint32_t i = 1; i < end; ++i) {
    if (safeguard::cel::json_type(d, i) != '{') continue;
    ++checked.objects;
    REQUIRE(d->layout_at != nullptr);
    const std::uint32_t offset = d->layout_at[i];
    if (offset == kNoTape) continue;
    ++checked.with_layout;
    const std::uint32_t node = d->layout_words[offset];
    REQUIRE(node < nodes.size());
    const auto& properties = nodes[node].properties;
    for (std::uint32_t p = 0; p < properties.size(); ++p) {
      std::uint32_t recorded = 0;
      REQUIRE(safeguard::cel::json_layout_find(d, i, FieldPosition{node, p}, &recorded));
      std::uint32_t searched = kNoTape;
      if (!safeguard::cel::json_find(d, i, properties[p].name, &searched)) searched = kNoTape;
      INFO("object at tape " << i << ", property " << properties[p].name);
      CHECK(recorded == searched);
      ++checked.properties;
    }
    // Another node's position is never taken for this object's.
    std::uint32_t ignored = 0;
    CHECK_FALSE(safeguard::cel::json_layout_find(d, i, FieldPosition{node + 1, 0}, &ignored));
  }
  return checked;
}

}  // namespace

TEST_CASE("every recorded layout agrees with a key search") {
  const std::string text = GENERATE(
      std::string(kCase),
      // The first of duplicate keys, as a key search finds it.
      replaced(R"("id": "K1", )", R"("id": "K1", "id": "K1-again", )"),
      // A wrong type and a missing required field: still recorded where they are.
      replaced(R"("caseload": 18)", R"("caseload": "many")"), replaced(R"("id": "P1", )", ""),
      // Undeclared members (vendor_field) are not properties; nulls are values.
      replaced(R"("decision": null)", R"("decision": null, "extra": {"decision": 1})"),
      // A nullable object present, and a member declared further down the schema's order.
      replaced(R"("decision": null)", R"("decision": {"outcome": "early_help"})"),
      replaced(R"("case_id": "C-1",)", R"("case_id": "C-1", "visits": [{"date": "2024-05-01"}],)"));
  ParsedJson json;
  validate(case_schema(), text, json);
  const Checked checked = compare_with_search(json, case_schema());
  // The root, child, education, episode, contacts and their decisions, plans, actions and
  // the worker are declared objects: the comparison must have covered them.
  CHECK(checked.with_layout >= 9);
  CHECK(checked.properties > 50);
  // Free-form objects (vendor_field's) have none: rules read them as maps.
  CHECK(checked.with_layout < checked.objects);
}

TEST_CASE("a new parse forgets the previous document's layouts") {
  ParsedJson json;
  validate(case_schema(), kCase, json);
  REQUIRE(json.doc()->layout_at != nullptr);
  parse(R"({"schema": "safeguarding-case/1", "case_id": "C-2"})", json);
  CHECK(json.doc()->layout_at == nullptr);
  CHECK(json.doc()->layout_words == nullptr);
}

TEST_CASE("properties alike in their first eight or sixteen bytes are told apart") {
  // Names compared by length and two eight-byte words, then the rest; more than sixteen
  // properties (marked absent one by one, not with the small layouts' fixed fill).
  std::string properties;
  const char* const names[] = {"a",
                               "abcdefgh",
                               "abcdefghX",
                               "abcdefghY",
                               "abcdefghijklmnop",
                               "abcdefghijklmnoq",
                               "abcdefghijklmnopX",
                               "abcdefghijklmnopY",
                               "abcdefghijklmnopqrstuvwxyz0123456789A",
                               "abcdefghijklmnopqrstuvwxyz0123456789B"};
  for (const char* name : names) {
    properties += std::string(properties.empty() ? "" : ",") + "\"" + name +
                  R"(": {"type": "string", "format": "date"})";
  }
  for (int i = 0; i < 10; ++i) {
    properties += ",\"p" + std::to_string(i) + R"(": {"type": "integer"})";
  }
  const auto schema = load(R"({"type": "object", "additionalProperties": false, "required": [
      "abcdefghY", "abcdefghijklmnopY"], "properties": {)" +
                           properties + "}}");
  REQUIRE(schema != nullptr);
  const std::string text = GENERATE(
      std::string(R"({"abcdefghijklmnopY": "2024-01-02", "abcdefghY": "2024-01-03"})"),
      std::string(R"({"a": "2024-01-01", "abcdefghijklmnopX": "2024-01-02",
          "abcdefghijklmnopqrstuvwxyz0123456789B": "2024-01-05", "abcdefghY": "bad",
          "abcdefghijklmnopY": "2024-01-02", "abcdefghijklmnopY": "2024-01-09", "p9": 1})"),
      std::string(R"({"abcdefghijklmnopqrstuvwxyz0123456789C": 1, "abcdefghZ": "2024-01-02",
          "abcdefghijklmnopZ": "x", "abcdefghY": "2024-01-03", "abcdefghijklmnopY": "2024-02-30",
          "abcdefgh": 3, "abcdefghijklmnoq": "2024-01-04"})"),
      // Each key where the schema's order expects one of the same length and first eight,
      // sixteen or thirty-two bytes.
      std::string(
          R"({"abcdefgh": "2024-01-01", "abcdefghY": "bad", "abcdefghijklmnoq": "2024-01-01",
          "abcdefghijklmnopY": "2024-02-30", "abcdefghijklmnopqrstuvwxyz0123456789B": "x"})"));
  ParsedJson json;
  const auto v = summary(validate(*schema, text, json));
  const Checked checked = compare_with_search(json, *schema);
  CHECK(checked.with_layout == 1);
  CHECK(checked.properties == 20);
  // Near misses are extra properties, never taken for declared ones; each declared one gets
  // its own checks.
  std::string all;
  for (const auto& line : v) all += line + "\n";
  const bool near_misses = text.find("Z\"") != std::string::npos;
  CHECK((all.find("schema.additional-property") != std::string::npos) == near_misses);
  CHECK(all.find("schema.required") == std::string::npos);
  CHECK((all.find("schema.format /abcdefghY ") != std::string::npos) ==
        (text.find("\"abcdefghY\": \"bad\"") != std::string::npos));
  CHECK((all.find("schema.format /abcdefghijklmnopY ") != std::string::npos) ==
        (text.find("2024-02-30") != std::string::npos));
  CHECK((all.find("schema.type /abcdefgh ") != std::string::npos) ==
        (text.find("\"abcdefgh\": 3") != std::string::npos));
}

TEST_CASE("an alternative tried and given up leaves no layout; the one that matched does") {
  // Probing anyOf's first alternative records the object's members in a layout of its own
  // (written without a test) that is never published; the second alternative, which
  // matches, is recorded for rules. Each object of the list is tried both ways; the last
  // matches neither (each walks all its members and then misses a required one), so no
  // layout may be left for it at all.
  const auto schema = load(R"({"type": "object", "properties": {"items": {"type": "array",
    "items": {"anyOf": [
      {"type": "object", "required": ["kind"], "properties": {
        "id": {"type": "string"}, "kind": {"const": "first"}, "n": {"type": "integer"}}},
      {"type": "object", "required": ["id"], "properties": {
        "n": {"type": "integer"}, "id": {"type": "string"}, "note": {"type": "string"}}}]}}}})");
  REQUIRE(schema != nullptr);
  ParsedJson json;
  const auto violations = validate(*schema, R"({"items": [
      {"id": "a", "n": 1, "note": "second"},
      {"id": "b", "kind": "first", "n": 2},
      {"id": "c", "kind": "other", "n": 3},
      {"n": 4, "id": "d"},
      {"n": 5, "note": "neither"}]})",
                                   json);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].path == "/items/4");
  const Checked checked = compare_with_search(json, *schema);
  CHECK(checked.with_layout == 5);  // the root and the first four items, one layout each
  CHECK(json.doc()->layout_at[at(json, "/items/4")] == kNoTape);
  const auto& nodes = schema->tree().nodes;
  const safeguard::cel::JsonDoc* d = json.doc();
  // Which alternative each item's layout is for: the first only where "kind" is "first".
  for (const auto& [pointer, properties] : std::vector<std::pair<std::string, std::size_t>>{
           {"/items/0", 3}, {"/items/1", 3}, {"/items/2", 3}, {"/items/3", 3}}) {
    const std::uint32_t offset = d->layout_at[at(json, pointer)];
    REQUIRE(offset != kNoTape);
    CHECK(nodes[d->layout_words[offset]].properties.size() == properties);
  }
  const std::uint32_t second = d->layout_words[d->layout_at[at(json, "/items/0")]];
  CHECK(d->layout_words[d->layout_at[at(json, "/items/1")]] != second);
  CHECK(d->layout_words[d->layout_at[at(json, "/items/2")]] == second);
  CHECK(d->layout_words[d->layout_at[at(json, "/items/3")]] == second);
}

TEST_CASE("violations in a list's items carry each item's own index") {
  const auto schema = load(R"({"type": "object", "properties": {"list": {"type": "array",
    "items": {"type": "object", "properties": {"on": {"type": "string", "format": "date"},
      "tags": {"type": "array", "items": {"enum": ["a", "b"]}}}}}}})");
  REQUIRE(schema != nullptr);
  ParsedJson json;
  const auto violations = validate(*schema, R"({"list": [
      {"on": "2024-02-30"}, {"on": "2024-02-29", "tags": ["a", "c", "b", "d"]}, 5,
      {"tags": ["x"]}]})",
                                   json);
  std::vector<std::string> paths;
  for (const auto& v : violations) paths.push_back(v.path);
  CHECK(paths == std::vector<std::string>{"/list/0/on", "/list/1/tags/1", "/list/1/tags/3",
                                          "/list/2", "/list/3/tags/0"});
}

TEST_CASE("layouts stay right while their words grow from one snapshot to the next") {
  // add_layout keeps the room of its words at hand and grows them out of line: each
  // snapshot here needs more words than all before it, with one reused parse.
  ParsedJson json;
  for (const std::size_t visits : {0, 40, 300, 2500, 3}) {
    std::string list;
    for (std::size_t i = 0; i < visits; ++i) {
      if (i > 0) list += ", ";
      list += R"({"date": "2024-05-01", "child_seen": true})";
    }
    const std::string text =
        replaced(R"("case_id": "C-1",)", R"("case_id": "C-1", "visits": [)" + list + "],");
    validate(case_schema(), text, json);
    INFO(visits << " visits");
    const Checked checked = compare_with_search(json, case_schema());
    CHECK(checked.with_layout >= 9 + visits);
  }
}
