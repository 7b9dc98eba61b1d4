// One JsonParser parses documents of every length in turn (batch keeps one per thread): its
// padded copy of the text is reused, and only grows, so each document must be read as
// itself whatever longer or shorter one was parsed before it.
#include <catch2/catch.hpp>

#include <string>

#include "cel/value/json.hpp"
#include "snapshot/parsed_json.hpp"

using safeguard::snapshot::JsonError;
using safeguard::snapshot::JsonLimits;
using safeguard::snapshot::JsonParser;
using safeguard::snapshot::ParsedJson;

namespace {

// The string member `key` of the parsed root object, or "(none)".
std::string member(const ParsedJson& json, const char* key) {
  std::uint32_t at = 0;
  if (!safeguard::cel::json_find(json.doc(), json.doc()->root, key, &at)) return "(none)";
  return std::string(safeguard::cel::json_string(json.doc(), at));
}

}  // namespace

TEST_CASE("a reused parser reads each document as itself, after longer and shorter ones") {
  JsonParser parser(JsonLimits{1u << 20, 100});
  JsonError error;
  ParsedJson json;
  const std::string long_text = R"({"a":")" + std::string(5000, 'x') + R"(","b":"tail"})";
  REQUIRE(parser.parse(long_text, json, &error));
  CHECK(member(json, "a") == std::string(5000, 'x'));
  CHECK(member(json, "b") == "tail");

  // Shorter: the longer document's bytes still lie past its end in the parser's copy.
  REQUIRE(parser.parse(R"({"a":"short"})", json, &error));
  CHECK(member(json, "a") == "short");
  CHECK(member(json, "b") == "(none)");

  // A prefix of the document before: what follows it in the copy would complete it.
  error = JsonError();
  CHECK_FALSE(parser.parse(R"({"a":"sh)", json, &error));
  CHECK_FALSE(error.message.empty());
  CHECK_FALSE(parser.parse(R"({"a":"short")", json, &error));
  CHECK_FALSE(parser.parse("", json, &error));

  // And valid documents of every length in between, in turn, each read alone.
  for (std::size_t n : {4000u, 10u, 4999u, 0u, 6000u, 1u, 20u}) {
    const std::string text = R"({"a":")" + std::string(n, 'y') + R"("})";
    REQUIRE(parser.parse(text, json, &error));
    CHECK(member(json, "a") == std::string(n, 'y'));
    CHECK(member(json, "b") == "(none)");
  }
  REQUIRE(parser.parse("[]", json, &error));
  CHECK_FALSE(json.root_is_object());
}
