// Validation semantics of each supported keyword, on small schemas, and the bounds that
// keep a hostile schema or snapshot from taking unbounded time or stack.
#include <catch2/catch.hpp>

#include "schema_test_util.hpp"

using namespace schema_test;
using Lines = std::vector<std::string>;

namespace {

Lines check(const std::string& schema_text, const std::string& json) {
  const auto schema = load(schema_text);
  REQUIRE(schema != nullptr);
  ParsedJson parsed;
  return summary(validate(*schema, json, parsed));
}

}  // namespace

TEST_CASE("type, including arrays of types and integer/number") {
  CHECK(check(R"({"type": "string"})", R"("x")").empty());
  CHECK(check(R"({"type": "string"})", "1") == Lines{"schema.type  string"});
  CHECK(check(R"({"type": ["string", "null"]})", "null").empty());
  CHECK(check(R"({"type": "integer"})", "3.0").empty());
  CHECK(check(R"({"type": "integer"})", "3.5") == Lines{"schema.type  integer"});
  CHECK(check(R"({"type": "integer"})", "18446744073709551615") == Lines{"schema.range  integer"});
  CHECK(check(R"({"type": "number"})", "18446744073709551615").empty());
  CHECK(check(R"({"type": "boolean"})", "0") == Lines{"schema.type  boolean"});
  CHECK(check(R"({"type": "array"})", "{}") == Lines{"schema.type  array"});
  CHECK(check(R"({"type": ["object", "array"]})", "{}").empty());
}

TEST_CASE("numeric bounds compare exactly, whatever the number's representation") {
  const char* schema = R"({"minimum": 0, "exclusiveMaximum": 10})";
  CHECK(check(schema, "0").empty());
  CHECK(check(schema, "9.999").empty());
  CHECK(check(schema, "10") == Lines{"schema.range  number >= 0 and < 10"});
  CHECK(check(schema, "-0.5") == Lines{"schema.range  number >= 0 and < 10"});
  CHECK(check(R"({"exclusiveMinimum": 9007199254740992})", "9007199254740993").empty());
  CHECK(check(R"({"maximum": 1.5})", "2") == Lines{"schema.range  number <= 1.5"});
  CHECK(check(R"({"maximum": 1.5})", R"("not a number")").empty());  // applies to numbers only
}

TEST_CASE("string length counts characters; pattern searches like ECMA-262") {
  CHECK(check(R"({"maxLength": 2})", R"("é€")").empty());
  CHECK(check(R"({"maxLength": 2})", R"("abc")") ==
        Lines{"schema.length  string of at most 2 characters"});
  CHECK(check(R"({"minLength": 1})", R"("")") ==
        Lines{"schema.length  string of at least 1 character"});
  CHECK(check(R"({"pattern": "[0-9]{3}"})", R"("ab123")").empty());
  CHECK(check(R"({"pattern": "^[0-9]{3}$"})", R"("ab123")") ==
        Lines{"schema.pattern  string matching ^[0-9]{3}$"});
}

TEST_CASE("arrays: items and item counts") {
  const char* schema = R"({"type": "array", "items": {"type": "integer"}, "maxItems": 2})";
  CHECK(check(schema, "[1, 2]").empty());
  CHECK(check(schema, R"([1, "x"])") == Lines{"schema.type /1 integer"});
  CHECK(check(schema, "[1, 2, 3]") == Lines{"schema.item-count  array with at most 2 items"});
}

TEST_CASE("objects: properties, required, additionalProperties") {
  const char* closed = R"({"properties": {"a": {"type": "integer"}}, "required": ["a", "b"],
                          "additionalProperties": false})";
  CHECK(check(closed, R"({"a": 1, "b": 2})") ==
        Lines{"schema.additional-property  only the properties the schema declares"});
  CHECK(check(closed, R"({})") ==
        Lines{"schema.required /a integer", "schema.required /b a value"});
  // Extra properties are reported (once per object), never named, and not marked.
  const auto schema = load(closed);
  ParsedJson json;
  const auto v = validate(*schema, R"({"a": 1, "b": 2, "private-note": 3, "c": 4})", json);
  REQUIRE(v.size() == 1);
  CHECK(v[0].message == "has a property not in the schema");
  CHECK(v[0].path.empty());
  CHECK(json.doc()->invalid_count == 0);

  const char* map = R"({"additionalProperties": {"type": "integer"}})";
  CHECK(check(map, R"({"x": 1})").empty());
  // A violation under a key the schema does not declare is reported at the parent.
  const auto m = load(map);
  const auto mv = validate(*m, R"({"Jane Doe": "x"})", json);
  REQUIRE(mv.size() == 1);
  CHECK(mv[0].path.empty());
  CHECK(mv[0].message == "has the wrong type (inside a property the schema does not declare)");
  CHECK(value_at(json, "/Jane Doe").is_error());
}

TEST_CASE("enum and const compare JSON values, numbers by value") {
  CHECK(check(R"({"enum": [1, "a", null, {"k": [true]}]})", "1.0").empty());
  CHECK(check(R"({"enum": [1, "a", null, {"k": [true]}]})", R"({"k": [true]})").empty());
  CHECK(check(R"({"enum": [1, "a", null, {"k": [true]}]})", "2") ==
        Lines{"schema.enum  one of: 1, a, null, an object"});
  CHECK(check(R"({"const": 0})", "-0").empty());
  CHECK(check(R"({"const": false})", "0") == Lines{"schema.const  false"});
}

TEST_CASE("$ref, allOf, anyOf, oneOf") {
  const char* defs = R"("$defs": {"d": {"type": "string", "format": "date"}})";
  CHECK(check(std::string(R"({"$ref": "#/$defs/d", )") + defs + "}", R"("2024-02-30")") ==
        Lines{"schema.format  date (YYYY-MM-DD)"});
  CHECK(check(R"({"allOf": [{"minimum": 1}, {"maximum": 3}]})", "4") ==
        Lines{"schema.range  number <= 3"});

  // A nullable object written as anyOf: a problem inside the object is reported as such.
  const char* nullable = R"({"anyOf": [{"type": "null"}, {"$ref": "#/$defs/o"}],
      "$defs": {"o": {"type": "object", "properties": {"on": {"format": "date"}}}}})";
  CHECK(check(nullable, "null").empty());
  CHECK(check(nullable, R"({"on": "2024-01-01"})").empty());
  CHECK(check(nullable, R"({"on": "2024-01-32"})") == Lines{"schema.format /on date (YYYY-MM-DD)"});
  CHECK(check(nullable, "7") == Lines{"schema.no-alternative  null, or object"});

  const char* exclusive = R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})";
  CHECK(check(exclusive, "-1").empty());
  CHECK(check(exclusive, "1.5").empty());
  CHECK(check(exclusive, "1") == Lines{"schema.one-of  integer, or number >= 0"});
  CHECK(check(R"({"type": "string", "anyOf": [{"maxLength": 1}, {"pattern": "^x"}]})", R"("ab")") ==
        Lines{"schema.no-alternative  string"});
}

TEST_CASE("alternatives normalise numbers only through the branch that matched") {
  const auto schema =
      load(R"({"properties": {"n": {"anyOf": [{"type": "string"}, {"type": "number"}]}}})");
  ParsedJson json;
  CHECK(validate(*schema, R"({"n": 3})", json).empty());
  CHECK(value_at(json, "/n").kind == safeguard::cel::ValueKind::kDouble);
}

TEST_CASE("false schemas reject everything, true schemas nothing") {
  CHECK(check(R"({"properties": {"a": false, "b": true}})", R"({"a": 1, "b": 2})") ==
        Lines{"schema.false /a nothing (the schema is false)"});
}

TEST_CASE("a hostile schema meets the step budget, a deep snapshot the frame limit") {
  // Every level applies S twice, so a value nested n deep would be checked 2^n times.
  const auto schema = load(R"({"$ref": "#/$defs/r", "$defs": {
      "r": {"allOf": [{"$ref": "#/$defs/s"}, {"$ref": "#/$defs/s"}]},
      "s": {"properties": {"a": {"$ref": "#/$defs/r"}}}}})");
  REQUIRE(schema != nullptr);
  std::string deep;
  for (int i = 0; i < 60; ++i) deep += R"({"a": )";
  deep += "1";
  for (int i = 0; i < 60; ++i) deep += "}";
  ParsedJson json;
  const auto v = validate(*schema, deep, json);
  REQUIRE(!v.empty());
  CHECK(v.back().code == "schema.too-complex");
  CHECK(v.back().path.empty());
  CHECK(safeguard::cel::json_value(json.doc(), json.doc()->root).is_error());

  const auto recursive = load(R"({"$ref": "#/$defs/n", "$defs": {"n": {"type": "object",
      "properties": {"a": {"$ref": "#/$defs/n"}}}}})");
  std::string nested;
  for (int i = 0; i < 400; ++i) nested += R"({"a": )";
  nested += "{}";
  for (int i = 0; i < 400; ++i) nested += "}";
  safeguard::snapshot::JsonParser parser(safeguard::snapshot::JsonLimits{1u << 20, 1000});
  safeguard::snapshot::JsonError error;
  REQUIRE(parser.parse(nested, json, &error));
  const auto d = recursive->validate(json);
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "schema.too-deep");
}

TEST_CASE("duplicate keys inside values the schema leaves free-form are still found") {
  const auto schema = load(R"({"properties": {"meta": {"type": "object"},
                                              "tags": {"type": "array"},
                                              "info": {"properties": {"a": {}}}}})");
  ParsedJson json;
  const auto v = validate(*schema,
                          R"({"meta": {"a": {"x": 1, "x": 2}}, "tags": [{"k": 1, "k": 1}],
                              "info": {"a": 1, "a": 2, "b": {"y": 1, "y": 1}}})",
                          json);
  CHECK(summary(v) == Lines{"schema.duplicate-key /meta each key at most once",
                            "schema.duplicate-key /tags each key at most once",
                            "schema.duplicate-key /info/a each key at most once"});
  CHECK(v[0].message == "contains an object with a key that appears more than once");
  CHECK(value_at(json, "/meta/a/x").is_error());
  CHECK(value_at(json, "/tags/0/k").is_error());
  CHECK(value_at(json, "/info/a").is_error());
  // "b" is not declared: rules cannot read it, so what is inside is not checked.
  CHECK(!value_at(json, "/info/b/y").is_error());
}

TEST_CASE("a large object's duplicate keys are found by sorting") {
  std::string properties, members;
  for (int i = 0; i < 40; ++i) {
    properties +=
        (i ? "," : "") + std::string("\"p") + std::to_string(i) + "\": {\"type\": \"integer\"}";
    members += "\"p" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  }
  const auto schema = load("{\"properties\": {" + properties + "}}");
  ParsedJson json;
  const auto v = validate(*schema, "{" + members + "\"p3\": 3, \"zz\": 1, \"zz\": 2}", json);
  CHECK(summary(v) == Lines{"schema.duplicate-key /p3 each key at most once",
                            "schema.duplicate-key  each key at most once"});
  CHECK(value_at(json, "/p3").is_error());
  CHECK(value_at(json, "/p4").i == 4);
}
