// schema.invalid-default where "type" is not beside the default: a default beside a $ref
// has the target's type to keep, and one on an enum the types of the enum's values, since
// rules read the default as a value of the field's type.
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

}  // namespace

TEST_CASE("schema.invalid-default: beside a $ref, the target's type") {
  const std::string defs = R"("$defs": {"visits": {"type": "array", "items": {"type": "object"}}})";
  const auto bad =
      problems(R"({"type": "object", )" + defs +
               R"(, "properties": {"visits": {"$ref": "#/$defs/visits", "default": "none"}}})");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].code == "schema.invalid-default");
  CHECK(problems(R"({"type": "object", )" + defs +
                 R"(, "properties": {"visits": {"$ref": "#/$defs/visits", "default": []}}})")
            .empty());
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
