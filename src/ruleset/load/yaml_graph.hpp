// A YAML document as yaml-cpp's parser reports it, built in one parse.
//
// A rule or calendar file holds one document. YAML::Load reads the first document only and
// would drop the rest without a word, and YAML::LoadAll never returns on some malformed
// input (a stray ',' at the top level starts an empty document that consumes nothing,
// forever). So the loader used to parse every file twice: once with a handler that stops
// where a second document starts, then with YAML::Load. The graph is built from the
// parser's events as YAML::Load's builder builds its nodes, and the same parse then stops
// at a second document: one parse, half the cost (the shipped rule pack and its calendars
// took 450 million instructions to load, over 40% of them in the first parse).
//
// The graph keeps what YAML::Node gives: marks, tags, scalars, items and members in file
// order (a repeated key stays, for the caller to report), and aliases that share the
// anchored node, so an alias bomb stays small here and a node that refers to itself makes
// a cycle. Walk it under a node budget and a depth limit (yaml_tree.cpp). Used only inside
// the loader: yaml-cpp types do not leave it.
#pragma once

#include <yaml-cpp/mark.h>

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace safeguard::ruleset {

class YamlGraphNode {
 public:
  enum class Kind : std::uint8_t { kNull, kScalar, kSequence, kMap };

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_scalar() const { return kind_ == Kind::kScalar; }
  bool is_sequence() const { return kind_ == Kind::kSequence; }
  bool is_map() const { return kind_ == Kind::kMap; }
  // Where the node starts; for an alias, where the anchored node starts. A null mark for
  // the empty document.
  const YAML::Mark& mark() const { return mark_; }
  // yaml-cpp's tag: "?" for a plain node, "!" for a quoted scalar, empty for a null.
  const std::string& tag() const { return tag_; }
  const std::string& scalar() const { return scalar_; }
  const std::vector<const YamlGraphNode*>& items() const { return items_; }
  const std::vector<std::pair<const YamlGraphNode*, const YamlGraphNode*>>& members() const {
    return members_;
  }

 private:
  friend class YamlGraphBuilder;
  Kind kind_ = Kind::kNull;
  YAML::Mark mark_ = YAML::Mark::null_mark();
  std::string tag_;
  std::string scalar_;
  std::vector<const YamlGraphNode*> items_;
  std::vector<std::pair<const YamlGraphNode*, const YamlGraphNode*>> members_;
};

class YamlGraph {
 public:
  // Parses the first document of `text`. Throws what yaml-cpp throws for malformed text
  // (YAML::ParserException, YAML::DeepRecursion) met before a second document starts.
  explicit YamlGraph(const std::string& text);
  YamlGraph(const YamlGraph&) = delete;
  YamlGraph& operator=(const YamlGraph&) = delete;

  // The first document's root; a null node when the text holds no document.
  const YamlGraphNode& root() const { return *root_; }
  // Where a second document starts (after '---' or '...', or at a stray ',' that yaml-cpp
  // takes for one), or -1 when there is none. Nothing of it is read.
  std::int64_t second_document_offset() const { return second_document_offset_; }

 private:
  friend class YamlGraphBuilder;
  std::deque<YamlGraphNode> nodes_;  // stable addresses for the graph's pointers
  const YamlGraphNode* root_ = nullptr;
  std::int64_t second_document_offset_ = -1;
};

}  // namespace safeguard::ruleset
