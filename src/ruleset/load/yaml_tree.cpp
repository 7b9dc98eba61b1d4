#include "ruleset/load/yaml_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/exceptions.h>

#include <optional>

#include "base/utf8.hpp"
#include "ruleset/load/yaml_graph.hpp"

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

  bool convert(const YamlGraphNode& node, YamlNode* out, std::uint32_t depth) {
    if (++count_ > limits_.max_nodes) {
      if (!reported_) {
        report(node.mark().pos, "yaml.limit",
               "the file expands to too many YAML nodes (the limit is " +
                   std::to_string(limits_.max_nodes) + "); aliases may be nested too deeply",
               "remove YAML aliases (*name) that refer to large anchored blocks");
      }
      return false;
    }
    if (depth > limits_.max_depth) {
      if (!reported_) {
        report(node.mark().pos, "yaml.limit",
               "YAML nesting is too deep (the limit is " + std::to_string(limits_.max_depth) + ")");
      }
      return false;
    }
    out->offset = node.mark().pos >= 0 ? static_cast<std::uint32_t>(node.mark().pos) : 0;
    if (!plain_tag(node.tag())) {
      // `when: !has(x) && y` parses: YAML takes `!has(x)` for a tag (and `&&` for an
      // anchor) and drops both, leaving a different condition that loads cleanly.
      report(static_cast<int>(tag_offset(out->offset)), "yaml.syntax",
             "YAML reads '" + node.tag() + "' at the start of this value as a YAML tag, not text",
             "put the whole value in single quotes, e.g. when: '!has(case.child.disabled)'");
      return false;
    }
    switch (node.kind()) {
      case YamlGraphNode::Kind::kNull:
        out->kind = YamlNode::Kind::kNull;
        return true;
      case YamlGraphNode::Kind::kScalar:
        out->kind = YamlNode::Kind::kScalar;
        out->scalar = node.scalar();
        base::repair_yaml_escapes(out->scalar);
        out->plain = node.tag() != "!";
        if (!quote_closed(out->offset)) {
          report(
              static_cast<int>(out->offset), "yaml.syntax",
              "YAML syntax error: the quoted text that starts here is not closed",
              std::string("end it with ") + source_.text()[out->offset] + " where the text ends");
          return false;
        }
        return true;
      case YamlGraphNode::Kind::kSequence:
        out->kind = YamlNode::Kind::kSequence;
        out->items.reserve(node.items().size());
        for (const YamlGraphNode* item : node.items()) {
          out->items.emplace_back();
          if (!convert(*item, &out->items.back(), depth + 1)) return false;
        }
        return true;
      case YamlGraphNode::Kind::kMap:
        out->kind = YamlNode::Kind::kMapping;
        out->members.reserve(node.members().size());
        for (const auto& [key, value] : node.members()) {
          out->members.emplace_back();
          if (!convert(*key, &out->members.back().first, depth + 1)) return false;
          if (!convert(*value, &out->members.back().second, depth + 1)) return false;
        }
        return true;
    }
    return true;
  }

  // "?" is an untagged plain node, "!" a quoted scalar; YAML's own tags (!!str) are
  // deliberate. Any other tag is a '!' that was meant as CEL's not.
  static bool plain_tag(const std::string& tag) {
    return tag.empty() || tag == "?" || tag == "!" || tag.rfind("tag:yaml.org,2002:", 0) == 0;
  }

  // The '!' that starts the tag: on the node's line, before the node.
  std::uint32_t tag_offset(std::uint32_t node_offset) const {
    const std::string_view t = source_.text();
    std::size_t line_start = t.rfind('\n', node_offset < t.size() ? node_offset : t.size());
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    const std::size_t bang = t.find('!', line_start);
    return bang != std::string_view::npos && bang <= node_offset ? static_cast<std::uint32_t>(bang)
                                                                 : node_offset;
  }

  // yaml-cpp accepts a quoted scalar left open at the end of the file; YAML does not.
  bool quote_closed(std::uint32_t offset) const {
    const std::string_view t = source_.text();
    if (offset >= t.size() || (t[offset] != '"' && t[offset] != '\'')) return true;
    const char q = t[offset];
    for (std::size_t k = offset + 1; k < t.size(); ++k) {
      if (q == '"' && t[k] == '\\') {
        ++k;
      } else if (t[k] == q) {
        if (q == '\'' && k + 1 < t.size() && t[k + 1] == '\'') {
          ++k;
          continue;
        }
        return true;
      }
    }
    return false;
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
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z')
    message[0] = static_cast<char>(message[0] + 32);
  return message;
}

// Where a line's value starts: after "key: " or "- ", else npos.
std::size_t value_start(std::string_view line) {
  std::size_t i = line.find_first_not_of(' ');
  if (i == std::string_view::npos) return i;
  if (line.compare(i, 2, "- ") == 0) i = line.find_first_not_of(' ', i + 2);
  if (i == std::string_view::npos || line[i] == '#') return std::string_view::npos;
  // A plain key ends at ": "; quoted keys are rare in rule files and left alone.
  const std::size_t colon = line.find(": ", i);
  if (colon != std::string_view::npos && line[i] != '"' && line[i] != '\'') {
    i = line.find_first_not_of(' ', colon + 2);
  }
  return i;
}

// A value on one line that opens a quote and does not close it.
bool unclosed_quote(std::string_view line, std::size_t start) {
  const char q = line[start];
  for (std::size_t k = start + 1; k < line.size(); ++k) {
    if (q == '"' && line[k] == '\\') {
      ++k;
    } else if (line[k] == q) {
      if (q == '\'' && k + 1 < line.size() && line[k + 1] == '\'') {
        ++k;  // '' inside single quotes
        continue;
      }
      return false;
    }
  }
  return true;
}

// yaml-cpp's message says what the parser expected where it gave up, which is often lines
// after the actual mistake. These are the mistakes rule writers make; point at them.
struct Explained {
  std::uint32_t offset;
  std::string code;
  std::string message;
  std::string hint;
};

Explained explain_syntax_error(std::string_view text, std::uint32_t error_offset,
                               const std::string& yaml_message) {
  Explained out{error_offset, "yaml.syntax", "YAML syntax error: " + tidy(yaml_message), {}};
  // Tabs: YAML allows only spaces for indentation.
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view line = text.substr(line_start, line_end - line_start);
    const std::size_t first = line.find_first_not_of(" \t");
    const std::size_t tab = line.find('\t');
    if (tab != std::string_view::npos && (first == std::string_view::npos || tab < first)) {
      if (yaml_message.find("tab") != std::string::npos || line_start <= error_offset) {
        return {static_cast<std::uint32_t>(line_start + tab), "yaml.tab",
                "tab character in the indentation",
                "indent with spaces: YAML does not allow tabs there"};
      }
    }
    if (line_start > error_offset) break;
    // A quote opened and never closed on its line.
    const std::size_t v = value_start(line);
    if (v != std::string_view::npos && (line[v] == '"' || line[v] == '\'') &&
        unclosed_quote(line, v)) {
      return {static_cast<std::uint32_t>(line_start + v), "yaml.syntax",
              "YAML syntax error: the quoted text that starts here is not closed",
              std::string("end it with ") + (line[v] == '"' ? "\"" : "'") + " on the same line"};
    }
    // On the line where parsing failed: a value YAML reads as its own syntax.
    if (error_offset < line_end && v != std::string_view::npos &&
        std::string_view("!&*%@`|>").find(line[v]) != std::string_view::npos && line[v] != '|' &&
        line[v] != '>') {
      out.hint = std::string("YAML reads a value starting with '") + line[v] +
                 "' as YAML syntax, not text: put the whole value in single quotes";
      return out;
    }
    // A message such as `message: {count} contacts`: YAML reads `{...}` as a mapping
    // (a real flow mapping, `{a: 1}`, has its ':' before the first '}').
    if (error_offset < line_end && v != std::string_view::npos && line[v] == '{' &&
        line.find('}', v) < line.find(':', v)) {
      out.offset = static_cast<std::uint32_t>(line_start + v);
      out.hint =
          "YAML reads a value starting with '{' as a mapping ({key: value}); if it is text, such "
          "as a message with {placeholders}, put the whole value in quotes";
      return out;
    }
    if (error_offset < line_end &&
        line.find(": ", v == std::string_view::npos ? 0 : v) != std::string_view::npos &&
        v != std::string_view::npos && line[v] != '"' && line[v] != '\'' && line[v] != '{' &&
        line[v] != '[') {
      out.hint =
          "this value contains ': ', which YAML reads as a new key: put the whole value in quotes";
      return out;
    }
    line_start = line_end + 1;
  }
  out.hint =
      "check the indentation of this line against the lines above it: keys of one mapping "
      "start in the same column, and list items ('- ') line up";
  return out;
}

}  // namespace

bool parse_yaml(const base::SourceText& source, const YamlLimits& limits, YamlNode* out,
                std::vector<Diagnostic>& diagnostics) {
  Converter converter(source, limits, diagnostics);
  std::optional<YamlGraph> graph;
  try {
    graph.emplace(std::string(source.text()));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard against a stack overflow, met before our depth limit can be
    // checked on the tree; its message is only "bad file".
    converter.report(
        e.mark.pos, "yaml.limit",
        "YAML nesting is too deep (the limit is " + std::to_string(limits.max_depth) + ")");
    return false;
  } catch (const YAML::ParserException& e) {
    const std::uint32_t at = e.mark.pos >= 0 ? static_cast<std::uint32_t>(e.mark.pos) : 0;
    Explained x = explain_syntax_error(source.text(), at, e.msg);
    converter.report(static_cast<int>(x.offset), std::move(x.code), std::move(x.message),
                     std::move(x.hint));
    return false;
  } catch (const YAML::Exception& e) {
    converter.report(e.mark.pos, "yaml.syntax", "YAML error: " + tidy(e.msg));
    return false;
  }
  if (const std::int64_t second = graph->second_document_offset(); second >= 0) {
    const auto at = static_cast<std::uint32_t>(second);
    if (at < source.text().size() && source.text()[at] == ',') {
      converter.report(static_cast<int>(at), "yaml.syntax",
                       "YAML syntax error: a ',' outside a [ ] or { } list",
                       "put a value with a comma in quotes, or remove the stray ','");
    } else {
      converter.report(static_cast<int>(at), "yaml.multiple-documents",
                       "a rule file holds one YAML document; found another after '---'");
    }
    return false;
  }
  if (graph->root().is_null()) {
    out->kind = YamlNode::Kind::kNull;
    return true;
  }
  return converter.convert(graph->root(), out, 0);
}

}  // namespace safeguard::ruleset
