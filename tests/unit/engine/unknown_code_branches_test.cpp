// The cel.unknown-code warning compares text with the codes a schema allows: an
// anyOf/oneOf allows every branch's codes, and a branch open to any text allows all text.
#include <catch2/catch.hpp>

#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

TEST_CASE("unknown-code warning: every anyOf/oneOf branch's codes count, and an open one none") {
  auto diagnostics = [](const std::string& source_schema, const std::string& when) {
    LoadResult loaded =
        RuleSet::load({{"ruleset.yaml", std::string(kManifest) + "schema: case.schema.json\n"},
                       {"case.schema.json",
                        R"({"type": "object", "properties": {"source": )" + source_schema + "}}"},
                       {"rules.yaml", "rules:\n" + rule("r", when)}});
    INFO(format(loaded.diagnostics));
    REQUIRE(loaded.ok());
    return format(loaded.diagnostics);
  };
  const std::string two_enums =
      R"({"anyOf": [{"enum": ["police", "school"]}, {"enum": ["gp", "health"]}]})";
  CHECK(diagnostics(two_enums, "case.source == \"gp\"").find("unknown-code") == std::string::npos);
  CHECK(diagnostics(two_enums, "case.source == \"polise\"").find("unknown-code") !=
        std::string::npos);
  // Any text matching the pattern is allowed too: no list of codes to check against.
  const std::string open =
      R"({"oneOf": [{"enum": ["police", "school"]}, {"type": "string", "pattern": "^other:"}]})";
  CHECK(diagnostics(open, "case.source == \"other:gp\"").find("unknown-code") == std::string::npos);
  // The documented-codes pattern: a oneOf of consts, each with its title.
  const std::string titled =
      R"({"oneOf": [{"const": "police", "title": "Police"}, {"const": "gp", "title": "GP"}]})";
  CHECK(diagnostics(titled, "case.source == \"gp\"").find("unknown-code") == std::string::npos);
  CHECK(diagnostics(titled, "case.source == \"polise\"").find("unknown-code") != std::string::npos);
  const std::string nullable = R"({"anyOf": [{"enum": ["police", "school"]}, {"type": "null"}]})";
  CHECK(diagnostics(nullable, "case.source == \"polise\"").find("unknown-code") !=
        std::string::npos);
}
