// YamlGraph against what the loader read before it: a first parse with a handler that stops
// where a second document starts, then YAML::Load (yaml-cpp's own node builder). Over every
// YAML file of the repository and some thousands of random texts made of YAML's tokens
// (anchors, aliases, tags, directives, document markers, flow and block collections, block
// scalars, stray commas), both must agree on everything the loader reads: kind, mark, tag,
// scalar, items and members in order, which nodes are shared (aliases, cycles), where a
// second document starts, and the exception for malformed text.
#include <catch2/catch.hpp>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "../read_text.hpp"
#include "ruleset/load/yaml_graph.hpp"

namespace fs = std::filesystem;
using safeguard::ruleset::YamlGraph;
using safeguard::ruleset::YamlGraphNode;

namespace {

// What the loader did before YamlGraph, kept here as the reference.
struct Reference {
  std::optional<YAML::Node> root;  // nothing when the text could not be read
  std::string error;               // yaml-cpp's message then
  std::int64_t second = -1;
};

class StopAtSecond final : public YAML::EventHandler {
 public:
  struct Found {
    YAML::Mark mark;
  };
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) throw Found{mark};
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  int documents_ = 0;
};

Reference read_before(const std::string& text) {
  Reference out;
  try {
    std::istringstream stream{text};
    YAML::Parser parser(stream);
    StopAtSecond stop;
    while (parser.HandleNextDocument(stop)) {
    }
    out.root = YAML::Load(text);
  } catch (const StopAtSecond::Found& found) {
    out.second = found.mark.pos;
    out.root = YAML::Node();  // the first document is not compared then
  } catch (const YAML::Exception& e) {
    out.error = e.what();
  }
  return out;
}

// Walks both graphs together; `why` says where they first differ.
class Walk {
 public:
  bool same(const YAML::Node& n, const YamlGraphNode& g, const std::string& at) {
    if (++visited_ > 20000) return true;  // cycles and alias fans: enough seen
    for (const auto& [node, graph] : pairs_) {
      const bool a = node.is(n);
      const bool b = graph == &g;
      if (a != b) return differ(at, "sharing");
      if (a) return true;
    }
    pairs_.emplace_back(n, &g);
    if (kind_of(n) != g.kind()) return differ(at, "kind");
    const YAML::Mark m = n.Mark();
    if (m.pos != g.mark().pos || m.line != g.mark().line || m.column != g.mark().column)
      return differ(at, "mark");
    if (n.Tag() != g.tag()) return differ(at, "tag");
    if (n.IsScalar() && n.Scalar() != g.scalar()) return differ(at, "scalar");
    if (n.IsSequence()) {
      if (n.size() != g.items().size()) return differ(at, "items");
      std::size_t i = 0;
      for (const auto& item : n) {
        if (!same(item, *g.items()[i], at + "[" + std::to_string(i) + "]")) return false;
        ++i;
      }
    }
    if (n.IsMap()) {
      std::size_t i = 0;
      for (const auto& member : n) {
        if (i >= g.members().size()) return differ(at, "members");
        const std::string here = at + "." + std::to_string(i);
        if (!same(member.first, *g.members()[i].first, here + "k")) return false;
        if (!same(member.second, *g.members()[i].second, here + "v")) return false;
        ++i;
      }
      if (i != g.members().size()) return differ(at, "members");
    }
    return true;
  }
  const std::string& why() const { return why_; }

 private:
  static YamlGraphNode::Kind kind_of(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Scalar:
        return YamlGraphNode::Kind::kScalar;
      case YAML::NodeType::Sequence:
        return YamlGraphNode::Kind::kSequence;
      case YAML::NodeType::Map:
        return YamlGraphNode::Kind::kMap;
      default:
        return YamlGraphNode::Kind::kNull;
    }
  }
  bool differ(const std::string& at, const char* what) {
    why_ = std::string(what) + " at " + at;
    return false;
  }
  std::vector<std::pair<YAML::Node, const YamlGraphNode*>> pairs_;
  std::string why_;
  int visited_ = 0;
};

// "" when YamlGraph reads `text` as the loader did before, else how it differs.
std::string compare(const std::string& text) {
  const Reference before = read_before(text);
  std::optional<YamlGraph> graph;
  std::string error;
  try {
    graph.emplace(text);
  } catch (const YAML::Exception& e) {
    error = e.what();
  }
  if (!before.root || !graph) {
    if (before.root.has_value() != graph.has_value() || before.error != error)
      return "error: '" + before.error + "' before, '" + error + "' now";
    return "";
  }
  if (before.second != graph->second_document_offset()) return "second document";
  if (before.second >= 0) return "";
  Walk walk;
  return walk.same(*before.root, graph->root(), "$") ? "" : walk.why();
}

}  // namespace

TEST_CASE("yaml graph reads every YAML file of the repository as the loader did before") {
  int files = 0;
  for (const char* dir : {"rules", "tests", "examples", "docs"}) {
    for (const auto& entry :
         fs::recursive_directory_iterator(fs::path(SAFEGUARD_SOURCE_DIR) / dir)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
      ++files;
      INFO(entry.path().string());
      CHECK(compare(safeguard::test::read_text(entry.path())) == "");
    }
  }
  CHECK(files > 100);
}

TEST_CASE("yaml graph reads random YAML-token texts as the loader did before") {
  const std::vector<std::string> tokens = {"a",        "b",           ": ",
                                           "- ",       "&x ",         "&y ",
                                           "*x",       "*y",          "!t ",
                                           "!!str ",   "!!null ",     "!!map ",
                                           "!!seq ",   "~",           "null",
                                           "\"q\"",    "'s'",         "[",
                                           "]",        "{",           "}",
                                           ", ",       "? ",          "\n",
                                           "\n  ",     "\n    ",      "---\n",
                                           "...\n",    "# c\n",       "|\n  t\n",
                                           ">\n  t\n", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n",
                                           "1",        " ",           "&x",
                                           "*x "};
  std::mt19937 random(20261207);
  std::uniform_int_distribution<std::size_t> length(1, 25);
  std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
  int differing = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (std::size_t n = length(random); n > 0; --n) text += tokens[pick(random)];
    const std::string why = compare(text);
    if (why.empty()) continue;
    if (++differing <= 5) FAIL_CHECK("'" << text << "': " << why);
  }
  CHECK(differing == 0);
}
