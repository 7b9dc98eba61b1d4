// Schema::load: the supported keywords, and one test per diagnostic code.
#include <catch2/catch.hpp>

#include "schema_test_util.hpp"

using namespace schema_test;

namespace {

// The single diagnostic a bad schema gives.
Diagnostic only_problem(const std::string& text) {
  std::vector<Diagnostic> diagnostics;
  const auto schema = load(text, &diagnostics);
  CHECK(schema == nullptr);
  REQUIRE(diagnostics.size() == 1);
  return diagnostics[0];
}

}  // namespace

TEST_CASE("the shipped case snapshot schema loads cleanly") {
  std::vector<Diagnostic> diagnostics;
  const auto schema = load(read_text("rules/schema/case-snapshot.schema.json"), &diagnostics);
  CHECK(format(diagnostics).empty());
  CHECK(schema != nullptr);
}

TEST_CASE("every supported keyword and annotation loads") {
  const char* text = R"({
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.invalid/x.json",
    "$comment": "c", "title": "t", "description": "d", "default": {}, "examples": [{}],
    "deprecated": false, "readOnly": false, "writeOnly": false, "x-owner": "team",
    "type": "object",
    "required": ["a"],
    "additionalProperties": false,
    "properties": {
      "a": {"type": ["string", "null"], "format": "date"},
      "b": {"type": "string", "format": "date-time", "minLength": 1, "maxLength": 40,
            "pattern": "^[0-9]"},
      "c": {"type": "integer", "minimum": 0, "maximum": 10, "exclusiveMinimum": -1,
            "exclusiveMaximum": 11.5},
      "d": {"type": "array", "items": {"$ref": "#/$defs/item"}, "minItems": 1, "maxItems": 3},
      "e": {"enum": ["x", 1, null, true, {"k": [1]}]},
      "f": {"const": "fixed"},
      "g": {"anyOf": [{"type": "null"}, {"$ref": "#/definitions/old"}]},
      "h": {"oneOf": [{"type": "string"}, {"type": "number"}]},
      "i": {"allOf": [{"$ref": "#/$defs/item"}, {"required": ["id"]}]},
      "j": {"additionalProperties": {"type": "boolean"}},
      "k": true,
      "l": false,
      "m": {"$ref": "#"}
    },
    "$defs": {"item": {"type": "object", "properties": {"id": {"type": "string"}}}},
    "definitions": {"old": {"type": "object"}}
  })";
  std::vector<Diagnostic> diagnostics;
  const auto schema = load(text, &diagnostics);
  CHECK(format(diagnostics).empty());
  CHECK(schema != nullptr);
}

TEST_CASE("a schema that recurses through properties or items is fine") {
  const auto schema = load(R"({"$ref": "#/$defs/node", "$defs": {"node": {"type": "object",
      "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}})");
  CHECK(schema != nullptr);
}

TEST_CASE("schema.syntax: the text is not JSON, located") {
  const Diagnostic d = only_problem("{\n  \"type\": \"object\",\n}");
  CHECK(d.code == "schema.syntax");
  CHECK(d.file == "test.schema.json");
  CHECK(d.line == 3);
  CHECK(d.column == 1);
  CHECK(d.message.find("the schema is not valid JSON") == 0);
}

TEST_CASE("schema.unsupported-keyword: named, located, with a hint") {
  const std::string text =
      "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"age\": {\"type\": \"integer\", "
      "\"multipleOf\": 2}\n  }\n}";
  const Diagnostic d = only_problem(text);
  CHECK(d.code == "schema.unsupported-keyword");
  CHECK(d.message == "unsupported keyword 'multipleOf', in the schema at #/properties/age");
  CHECK(d.line == 4);
  CHECK(d.column == 32);
  CHECK(d.caret_length == 12);
  CHECK(d.hint.find("does not enforce") != std::string::npos);
  CHECK(format(d) ==
        "test.schema.json:4:32: error: unsupported keyword 'multipleOf', in the schema at "
        "#/properties/age [schema.unsupported-keyword]\n"
        "      \"age\": {\"type\": \"integer\", \"multipleOf\": 2}\n"
        "                                 ^~~~~~~~~~~~\n"
        "  hint: the snapshot validator does not enforce it: remove it, or check it in a rule\n");

  const Diagnostic typo = only_problem(R"({"requried": ["a"]})");
  CHECK(typo.code == "schema.unsupported-keyword");
  CHECK(typo.hint == "did you mean 'required'?");

  CHECK(load(R"({"x-anything": {"goes": 1}})") != nullptr);
}

TEST_CASE("schema.invalid-keyword: malformed keyword values") {
  struct Case {
    const char* text;
    const char* message;
    const char* hint;
  };
  const Case cases[] = {
      {R"({"type": 5})",
       "'type' must be a type name or a non-empty array of type names, in the schema at #", ""},
      {R"({"type": "int"})", "'type' names an unknown type 'int', in the schema at #",
       "did you mean 'integer'?"},
      {R"({"type": ["string", "string"]})",
       "'type' lists the type 'string' twice, in the schema at #", ""},
      {R"({"required": "x"})", "'required' must be an array of property names, in the schema at #",
       ""},
      {R"({"required": ["a", "a"]})", "'required' lists 'a' twice, in the schema at #", ""},
      {R"({"properties": {"a": {"minLength": -1}}})",
       "'minLength' must be a non-negative integer, in the schema at #/properties/a", ""},
      {R"({"maxItems": 1.5})", "'maxItems' must be a non-negative integer, in the schema at #", ""},
      {R"({"minimum": "0"})", "'minimum' must be a number, in the schema at #", ""},
      {R"({"enum": []})", "'enum' must be a non-empty array of values, in the schema at #", ""},
      {R"({"enum": ["a"], "const": "a"})",
       "'const' cannot be combined with 'enum' in one schema, in the schema at #", ""},
      {R"({"items": [{"type": "string"}]})",
       "'items' must be one schema for every item, in the schema at #",
       "tuple validation (an array of schemas, or prefixItems) is not supported"},
      {R"({"anyOf": {}})", "'anyOf' must be a non-empty array of schemas, in the schema at #", ""},
      {R"({"properties": []})",
       "'properties' must be an object whose members are schemas, in the schema at #", ""},
      {R"({"format": 1})", "'format' must be a string, in the schema at #", ""},
      {R"({"$ref": 1})", "'$ref' must be a string such as \"#/$defs/name\", in the schema at #",
       ""},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const Diagnostic d = only_problem(c.text);
    CHECK(d.code == "schema.invalid-keyword");
    CHECK(d.message == c.message);
    CHECK(d.hint == c.hint);
    CHECK(d.line == 1);
  }
}

TEST_CASE("schema.invalid-schema: a subschema that is neither an object nor a boolean") {
  const Diagnostic d = only_problem(R"({"properties": {"a": 5}})");
  CHECK(d.code == "schema.invalid-schema");
  CHECK(d.message == "expected a schema (an object, true or false) at #/properties/a");
  CHECK(d.column == 22);
}

TEST_CASE("schema.unsupported-format and schema.invalid-pattern") {
  const Diagnostic f = only_problem(R"({"format": "email"})");
  CHECK(f.code == "schema.unsupported-format");
  CHECK(f.message == "format 'email' is not supported, in the schema at #");
  const Diagnostic p = only_problem(R"({"pattern": "(a"})");
  CHECK(p.code == "schema.invalid-pattern");
  CHECK(p.message.find("'pattern' is not usable: invalid regular expression") == 0);
}

TEST_CASE("$ref problems: external, unresolved, cycles") {
  const Diagnostic e = only_problem(R"({"$ref": "other.json#/x"})");
  CHECK(e.code == "schema.external-ref");
  CHECK(e.message == "'$ref' to 'other.json#/x' leaves this document, in the schema at #");

  const Diagnostic u =
      only_problem(R"({"$ref": "#/$defs/contct", "$defs": {"contact": {"type": "object"}}})");
  CHECK(u.code == "schema.unresolved-ref");
  CHECK(u.message ==
        "'$ref' '#/$defs/contct' does not lead to a schema in this document, in the schema at #");
  CHECK(u.hint == "did you mean '#/$defs/contact'?");
  CHECK(u.column == 10);

  const Diagnostic c = only_problem(
      R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}})");
  CHECK(c.code == "schema.ref-cycle");
  CHECK(c.message.find("leads back to") != std::string::npos);

  const Diagnostic self = only_problem(R"({"$ref": "#"})");
  CHECK(self.code == "schema.ref-cycle");
}

TEST_CASE("schema.duplicate-key: a key written twice in the schema") {
  const Diagnostic d = only_problem(R"({"type": "object", "type": "string"})");
  CHECK(d.code == "schema.duplicate-key");
  CHECK(d.message == "the key 'type' appears more than once in the object at #");
}

TEST_CASE("hostile schemas: depth, size and fan-out are bounded") {
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += R"({"properties": {"a": )";
  deep += "{}";
  for (int i = 0; i < 70; ++i) deep += "}}";
  const Diagnostic d = only_problem(deep);
  CHECK(d.code == "schema.too-deep");
  CHECK(d.message.find("(the limit is 64)") != std::string::npos);

  std::string chain = R"({"$ref": "#/$defs/d0", "$defs": {)";
  for (int i = 0; i < 70; ++i) {
    chain +=
        "\"d" + std::to_string(i) + "\": {\"$ref\": \"#/$defs/d" + std::to_string(i + 1) + "\"},";
  }
  chain += R"("d70": {}}})";
  CHECK(only_problem(chain).code == "schema.too-deep");

  // A diamond of allOfs: 2^14 applications of d14 at one value.
  std::string diamond = R"({"$ref": "#/$defs/d0", "$defs": {)";
  for (int i = 0; i < 14; ++i) {
    const std::string next = "\"#/$defs/d" + std::to_string(i + 1) + "\"";
    diamond += "\"d" + std::to_string(i) + "\": {\"allOf\": [{\"$ref\": " + next +
               "}, {\"$ref\": " + next + "}]},";
  }
  diamond += R"("d14": {"type": "string"}}})";
  const Diagnostic x = only_problem(diamond);
  CHECK(x.code == "schema.too-complex");

  std::string wide = R"({"properties": {)";
  for (int i = 0; i < 20001; ++i) wide += (i ? ",\"p" : "\"p") + std::to_string(i) + "\": {}";
  wide += "}}";
  const Diagnostic w = only_problem(wide);
  CHECK(w.code == "schema.too-large");
  CHECK(w.message == "the schema has too many subschemas (the limit is 20000)");

  const Diagnostic huge = only_problem(std::string(5u << 20, ' '));
  CHECK(huge.code == "schema.too-large");
}

TEST_CASE("all problems are collected, not only the first") {
  std::vector<Diagnostic> diagnostics;
  const auto schema =
      load(R"({"type": 5, "properties": {"a": {"format": "uri"}, "b": {"if": {}}}})", &diagnostics);
  CHECK(schema == nullptr);
  CHECK(codes(diagnostics) ==
        "schema.invalid-keyword schema.unsupported-format schema.unsupported-keyword");
}
