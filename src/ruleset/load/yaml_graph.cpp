#include "ruleset/load/yaml_graph.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>

namespace safeguard::ruleset {

// Builds the graph from the parser's events the way yaml-cpp's own NodeBuilder builds
// YAML::Node: an anchor names its node from the node's start (so an alias inside it
// refers to it), an alias places the anchored node itself, and a mapping takes its
// members as key, value, key, value.
class YamlGraphBuilder final : public YAML::EventHandler {
 public:
  struct SecondDocument {
    YAML::Mark mark;
  };

  explicit YamlGraphBuilder(YamlGraph& graph) : graph_(graph) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) throw SecondDocument{mark};
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    place(start(mark, anchor, YamlGraphNode::Kind::kNull, std::string()));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    // The parser refuses an alias to an unknown anchor before it reports one.
    if (anchor >= anchors_.size() || anchors_[anchor] == nullptr)
      throw YAML::ParserException(mark, YAML::ErrorMsg::UNKNOWN_ANCHOR);
    place(anchors_[anchor]);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlGraphNode* node = start(mark, anchor, YamlGraphNode::Kind::kScalar, tag);
    node->scalar_ = value;
    place(node);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_.push_back(Open{start(mark, anchor, YamlGraphNode::Kind::kSequence, tag), nullptr});
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open_.push_back(Open{start(mark, anchor, YamlGraphNode::Kind::kMap, tag), nullptr});
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YamlGraphNode* node;
    const YamlGraphNode* key;  // a map's key still waiting for its value
  };

  YamlGraphNode* start(const YAML::Mark& mark, YAML::anchor_t anchor, YamlGraphNode::Kind kind,
                       const std::string& tag) {
    YamlGraphNode& node = graph_.nodes_.emplace_back();
    node.kind_ = kind;
    node.mark_ = mark;
    node.tag_ = tag;
    if (anchor != YAML::NullAnchor) {
      if (anchor >= anchors_.size()) anchors_.resize(anchor + 1, nullptr);
      anchors_[anchor] = &node;
    }
    return &node;
  }

  void close() {
    const YamlGraphNode* done = open_.back().node;
    open_.pop_back();
    place(done);
  }

  void place(const YamlGraphNode* node) {
    if (open_.empty()) {
      graph_.root_ = node;
      return;
    }
    Open& parent = open_.back();
    if (parent.node->kind_ == YamlGraphNode::Kind::kSequence) {
      parent.node->items_.push_back(node);
    } else if (parent.key == nullptr) {
      parent.key = node;
    } else {
      parent.node->members_.emplace_back(parent.key, node);
      parent.key = nullptr;
    }
  }

  YamlGraph& graph_;
  int documents_ = 0;
  std::vector<YamlGraphNode*> anchors_;
  std::vector<Open> open_;
};

YamlGraph::YamlGraph(const std::string& text) {
  std::istringstream stream{text};
  YAML::Parser parser(stream);
  YamlGraphBuilder builder(*this);
  try {
    // The first call reads the first document; the second stops as soon as another starts.
    if (parser.HandleNextDocument(builder)) parser.HandleNextDocument(builder);
  } catch (const YamlGraphBuilder::SecondDocument& second) {
    second_document_offset_ = second.mark.pos >= 0 ? second.mark.pos : 0;
  }
  if (root_ == nullptr) root_ = &nodes_.emplace_back();
}

}  // namespace safeguard::ruleset
