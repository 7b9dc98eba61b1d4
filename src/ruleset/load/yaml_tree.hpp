// YAML as safeguard's own immutable tree.
//
// yaml-cpp nodes share storage and are not safe to read from several threads, and an
// alias bomb ("billion laughs") is a small file that expands into billions of nodes when
// walked. So each file is parsed once, converted into this tree under a node budget and
// a depth limit, and no yaml-cpp type leaves this module.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/source.hpp"

namespace safeguard::ruleset {

struct YamlNode {
  enum class Kind : std::uint8_t { kNull, kScalar, kSequence, kMapping };
  Kind kind = Kind::kNull;
  std::string scalar;           // kScalar
  bool plain = true;            // an unquoted scalar (so `123` is a number, "123" a string)
  std::uint32_t offset = 0;     // byte offset in the file where the node starts
  std::vector<YamlNode> items;  // kSequence
  std::vector<std::pair<YamlNode, YamlNode>> members;  // kMapping, in file order

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_mapping() const { return kind == Kind::kMapping; }
  // The member with scalar key `key`, or null.
  const YamlNode* find(const std::string& key) const;
  const char* kind_name() const;
};

struct YamlLimits {
  std::uint32_t max_depth = 32;
  std::size_t max_nodes = 200000;
};

// Parses one YAML document. On failure returns false and appends located diagnostics
// (code "yaml.syntax", "yaml.limit", "yaml.multiple-documents") to `diagnostics`.
bool parse_yaml(const base::SourceText& source, const YamlLimits& limits, YamlNode* out,
                std::vector<Diagnostic>& diagnostics);

}  // namespace safeguard::ruleset
