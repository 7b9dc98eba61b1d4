// schema.invalid-default: a default is a value the property's schema accepts. Its type also
// where "type" is not beside it (a default beside a $ref has the target's type to keep, one
// on an enum the types of the enum's values), since rules read the default as a value of
// the field's type; and every other constraint (format, enum, range, ...) at load.
#include <catch2/catch.hpp>

#include "schema_test_util.hpp"

using namespace schema_test;

namespace {

std::vector<Diagnostic> problems(const std::string& text) {
  std::vector<Diagnostic> diagnostics;
  const auto schema = load(text, &diagnostics);
  CHECK((schema == nullptr) == !diagnostics.empty());
  return diagnostics;
}

// A schema whose property x is a $ref to `target` (in $defs) with `default_json` beside it.
std::vector<Diagnostic> ref_with_default(const std::string& target,
                                         const std::string& default_json) {
  return problems(R"({"type": "object", "$defs": {"t": )" + target +
                  R"(}, "properties": {"x": {"$ref": "#/$defs/t", "default": )" + default_json +
                  "}}}");
}

}  // namespace

TEST_CASE("schema.invalid-default: beside a $ref, the target's type") {
  const std::string visits = R"({"type": "array", "items": {"type": "object"}})";
  const auto bad = ref_with_default(visits, R"("none")");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].code == "schema.invalid-default");
  CHECK(ref_with_default(visits, "[]").empty());
}

TEST_CASE("schema.invalid-default: on an enum without type, the values' types") {
  const auto bad = problems(
      R"({"type": "object", "properties": {"source": {"enum": ["police", "school"], "default": 3}}})");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].code == "schema.invalid-default");
  CHECK(
      problems(
          R"({"type": "object", "properties": {"source": {"enum": ["police", null], "default": null}}})")
          .empty());
}

TEST_CASE("schema.invalid-default: beside anyOf/oneOf without type, any branch's types") {
  const auto bad = problems(
      R"({"type": "object", "properties": {"visits": {"anyOf": [{"type": "array"}, {"type": "null"}], "default": "none"}}})");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].code == "schema.invalid-default");
  CHECK(
      problems(
          R"({"type": "object", "properties": {"visits": {"oneOf": [{"type": "array"}, {"type": "null"}], "default": []}}})")
          .empty());
  // A branch open to anything leaves nothing to check against.
  CHECK(
      problems(
          R"({"type": "object", "properties": {"x": {"anyOf": [{"type": "array"}, {}], "default": "none"}}})")
          .empty());
}

TEST_CASE(
    "schema.invalid-default: a diamond of anyOfs under a default is checked in bounded time") {
  // 40 levels of anyOf, each naming the next level twice: 2^40 paths through the branches.
  std::string defs;
  for (int i = 0; i < 40; ++i) {
    const std::string next = "{\"$ref\": \"#/$defs/d" + std::to_string(i + 1) + "\"}";
    defs += "\"d" + std::to_string(i) + "\": {\"anyOf\": [" + next + ", " + next + "]}, ";
  }
  defs += R"("d40": {"type": "string"})";
  std::vector<Diagnostic> diagnostics;
  const auto schema = load(R"({"type": "object", "$defs": {)" + defs +
                               R"(}, "properties": {"x": {"anyOf": [{"$ref": "#/$defs/d0"}],
                                   "default": "a"}}})",
                           &diagnostics);
  // It comes back, and the schema's shape is what is reported (the default is not judged).
  CHECK(schema == nullptr);
  REQUIRE(diagnostics.size() == 1);
  CHECK((diagnostics[0].code == "schema.too-deep" || diagnostics[0].code == "schema.too-complex"));
}

TEST_CASE("schema.invalid-default: a default of the right type must also pass the schema") {
  const auto one = [](const std::string& property) {
    return problems(R"({"type": "object", "properties": {"x": )" + property + "}}");
  };
  const auto expect_error = [&](const std::string& property, const std::string& says) {
    const auto found = one(property);
    INFO(property);
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "schema.invalid-default");
    CHECK(found[0].message.find(says) != std::string::npos);
    CHECK(found[0].message.find("/properties/x") != std::string::npos);
  };
  expect_error(R"({"type": "string", "format": "date", "default": "2024-13-45"})", "date");
  // The format's message names the format once, with or without null beside it.
  CHECK(one(R"({"type": ["string", "null"], "format": "date", "default": "2024-13-45"})")
            .at(0)
            .message.find("(expected") == std::string::npos);
  expect_error(R"({"type": "string", "enum": ["police", "school"], "default": "polise"})",
               "police");
  expect_error(R"({"type": "string", "pattern": "^C[0-9]+$", "default": "X1"})", "pattern");
  expect_error(R"({"type": "string", "minLength": 2, "default": "a"})", "2");
  expect_error(R"({"type": "integer", "minimum": 0, "default": -1})", "0");
  expect_error(R"({"type": "integer", "default": 2.5})", "type");
  expect_error(R"({"type": "array", "minItems": 1, "default": []})", "1");
  expect_error(R"({"const": "fixed", "default": "other"})", "fixed");

  CHECK(one(R"({"type": "string", "format": "date", "default": "2024-02-29"})").empty());
  CHECK(one(R"({"type": "string", "enum": ["police", "school"], "default": "school"})").empty());
  CHECK(one(R"({"type": "integer", "minimum": 0, "default": 0})").empty());
  CHECK(one(R"({"type": ["string", "null"], "format": "date", "default": null})").empty());
  CHECK(one(R"({"type": "array", "items": {"type": "string"}, "default": []})").empty());
}

TEST_CASE("schema.invalid-default: beside a $ref, checked against the target") {
  const std::string day = R"({"type": "string", "format": "date"})";
  const auto bad = ref_with_default(day, R"("soon")");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].code == "schema.invalid-default");
  CHECK(ref_with_default(day, R"("2024-06-03")").empty());
}

TEST_CASE("schema.invalid-default: {} stands in for an object even when it has required members") {
  CHECK(problems(R"({"type": "object", "properties": {"legal": {"type": "object", "default": {},
                     "required": ["status"], "properties": {"status": {"type": "string"}}}}})")
            .empty());
}
