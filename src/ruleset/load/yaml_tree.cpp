#include "ruleset/load/yaml_tree.hpp"

#include <yaml-cpp/yaml.h>

namespace safeguard::ruleset {

const YamlNode* YamlNode::find(const std::string& key) const {
  for (const auto& [k, v] : members) {
    if (k.is_scalar() && k.scalar == key) return &v;
  }
  return nullptr;
}

const char* YamlNode::kind_name() const {
  switch (kind) {
    case Kind::kNull:
      return "nothing";
    case Kind::kScalar:
      return "a value";
    case Kind::kSequence:
      return "a list";
    case Kind::kMapping:
      return "a mapping";
  }
  return "?";
}

namespace {

class Converter {
 public:
  Converter(const base::SourceText& source, const YamlLimits& limits,
            std::vector<Diagnostic>& diagnostics)
      : source_(source), limits_(limits), diagnostics_(diagnostics) {}

  bool convert(const YAML::Node& node, YamlNode* out, std::uint32_t depth) {
    if (++count_ > limits_.max_nodes) {
      if (!reported_) {
        report(node.Mark().pos, "yaml.limit",
               "the file expands to too many YAML nodes (the limit is " +
                   std::to_string(limits_.max_nodes) + "); aliases may be nested too deeply",
               "remove YAML aliases (*name) that refer to large anchored blocks");
      }
      return false;
    }
    if (depth > limits_.max_depth) {
      if (!reported_) {
        report(node.Mark().pos, "yaml.limit",
               "YAML nesting is too deep (the limit is " + std::to_string(limits_.max_depth) + ")");
      }
      return false;
    }
    out->offset = node.Mark().pos >= 0 ? static_cast<std::uint32_t>(node.Mark().pos) : 0;
    switch (node.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        out->kind = YamlNode::Kind::kNull;
        return true;
      case YAML::NodeType::Scalar:
        out->kind = YamlNode::Kind::kScalar;
        out->scalar = node.Scalar();
        out->plain = node.Tag() != "!";
        return true;
      case YAML::NodeType::Sequence:
        out->kind = YamlNode::Kind::kSequence;
        out->items.reserve(node.size());
        for (const auto& item : node) {
          out->items.emplace_back();
          if (!convert(item, &out->items.back(), depth + 1)) return false;
        }
        return true;
      case YAML::NodeType::Map:
        out->kind = YamlNode::Kind::kMapping;
        for (const auto& member : node) {
          out->members.emplace_back();
          if (!convert(member.first, &out->members.back().first, depth + 1)) return false;
          if (!convert(member.second, &out->members.back().second, depth + 1)) return false;
        }
        return true;
    }
    return true;
  }

  void report(int pos, std::string code, std::string message, std::string hint = {}) {
    reported_ = true;
    base::Issue issue;
    issue.code = std::move(code);
    issue.offset = pos >= 0 ? static_cast<std::uint32_t>(pos) : 0;
    issue.message = std::move(message);
    issue.hint = std::move(hint);
    diagnostics_.push_back(source_.diagnostic(issue));
  }

 private:
  const base::SourceText& source_;
  const YamlLimits& limits_;
  std::vector<Diagnostic>& diagnostics_;
  std::size_t count_ = 0;
  bool reported_ = false;
};

// yaml-cpp messages name the problem well; make the first letter lower-case to match ours.
std::string tidy(std::string message) {
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z') message[0] = static_cast<char>(message[0] + 32);
  return message;
}

}  // namespace

bool parse_yaml(const base::SourceText& source, const YamlLimits& limits, YamlNode* out,
                std::vector<Diagnostic>& diagnostics) {
  Converter converter(source, limits, diagnostics);
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(source.text()));
  } catch (const YAML::ParserException& e) {
    converter.report(e.mark.pos, "yaml.syntax", "YAML syntax error: " + tidy(e.msg));
    return false;
  } catch (const YAML::Exception& e) {
    converter.report(e.mark.pos, "yaml.syntax", "YAML error: " + tidy(e.msg));
    return false;
  }
  if (documents.size() > 1) {
    converter.report(documents[1].Mark().pos, "yaml.multiple-documents",
                     "a rule file holds one YAML document; found another after '---'");
    return false;
  }
  if (documents.empty()) {
    out->kind = YamlNode::Kind::kNull;
    return true;
  }
  try {
    return converter.convert(documents[0], out, 0);
  } catch (const YAML::Exception& e) {
    converter.report(e.mark.pos, "yaml.syntax", "YAML error: " + tidy(e.msg));
    return false;
  }
}

}  // namespace safeguard::ruleset
