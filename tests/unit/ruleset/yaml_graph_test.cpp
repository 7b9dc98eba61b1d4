// YamlGraph reads a file's first document in one parse and stops where a second one
// starts, giving what YAML::Node gave the loader before (marks, tags, shared aliases,
// repeated keys in order). The bad-input corpus checks the loader's diagnostics on top of
// it; these check the graph itself.
#include <catch2/catch.hpp>

#include <yaml-cpp/exceptions.h>

#include "ruleset/load/yaml_graph.hpp"

using safeguard::ruleset::YamlGraph;
using safeguard::ruleset::YamlGraphNode;

TEST_CASE("yaml graph: a mapping keeps its members, marks and tags in file order") {
  const YamlGraph g("a: 1\nb: 'x'\na: [2, ~]\nc:\n");
  const YamlGraphNode& root = g.root();
  REQUIRE(root.is_map());
  CHECK(g.second_document_offset() == -1);
  CHECK(root.mark().pos == 0);
  const auto& m = root.members();
  REQUIRE(m.size() == 4);  // the repeated key stays, for the loader to report
  CHECK(m[0].first->scalar() == "a");
  CHECK(m[0].second->scalar() == "1");
  CHECK(m[0].second->tag() == "?");  // plain
  CHECK(m[1].second->scalar() == "x");
  CHECK(m[1].second->tag() == "!");  // quoted
  CHECK(m[1].second->mark().pos == 8);
  CHECK(m[1].second->mark().line == 1);
  CHECK(m[1].second->mark().column == 3);
  CHECK(m[2].first->scalar() == "a");
  REQUIRE(m[2].second->is_sequence());
  REQUIRE(m[2].second->items().size() == 2);
  CHECK(m[2].second->items()[0]->scalar() == "2");
  // yaml-cpp's parser reports a plain `~` (or null) as a null, as does an empty value.
  CHECK(m[2].second->items()[1]->is_null());
  CHECK(m[3].second->is_null());
  CHECK(m[3].second->tag().empty());
}

TEST_CASE("yaml graph: an alias is the anchored node itself") {
  const YamlGraph g("base: &b {x: 1}\nuse: *b\nself: &s [*s]\n");
  const auto& m = g.root().members();
  REQUIRE(m.size() == 3);
  CHECK(m[1].second == m[0].second);  // shared, not copied: an alias bomb stays small
  CHECK(m[1].second->mark().pos == m[0].second->mark().pos);
  // A node that holds an alias to itself is a cycle, as in YAML::Node; the tree built from
  // the graph stops it at the depth limit.
  const YamlGraphNode* self = m[2].second;
  REQUIRE(self->is_sequence());
  REQUIRE(self->items().size() == 1);
  CHECK(self->items()[0] == self);
}

TEST_CASE("yaml graph: an empty text is one null document with no mark") {
  for (const char* text : {"", "# only a comment\n", "---\n"}) {
    const YamlGraph g(text);
    CHECK(g.root().is_null());
    CHECK(g.second_document_offset() == -1);
  }
  CHECK(YamlGraph("").root().mark().is_null());
}

TEST_CASE("yaml graph: a second document is found where it starts, and not read") {
  SECTION("after ---") {
    const YamlGraph g("a: 1\n---\nb: [\n");  // the second document is broken: never parsed
    CHECK(g.root().is_map());
    CHECK(g.second_document_offset() == 5);
  }
  SECTION("after ...") {
    const YamlGraph g("a: 1\n...\nb: 2\n");
    CHECK(g.second_document_offset() == 9);
  }
  SECTION("a stray ',' that yaml-cpp takes for endless empty documents") {
    // YAML::LoadAll never returns on this text (each document consumes nothing).
    const YamlGraph g(",\n");
    CHECK(g.second_document_offset() == 0);
  }
}

TEST_CASE("yaml graph: malformed text throws what yaml-cpp throws") {
  CHECK_THROWS_AS(YamlGraph("a: [1, 2\n"), YAML::ParserException);
  CHECK_THROWS_AS(YamlGraph("a: *nowhere\n"), YAML::ParserException);
}
