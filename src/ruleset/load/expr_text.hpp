// CEL expressions written inside YAML scalars, with a map from each byte of the
// expression back to the file, so that a syntax or type error in a rule's `when` is shown
// at its line and column in the rule file, whether the scalar was plain, quoted, literal
// (|) or folded (>).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/source.hpp"
#include "ruleset/load/yaml_tree.hpp"

namespace safeguard::ruleset {

struct ExprText {
  std::string text;
  std::uint32_t file = 0;              // index of the file in the rule set
  std::uint32_t start = 0;             // file offset of the scalar
  std::vector<std::uint32_t> offsets;  // file offset of each byte of `text` (plus one past)

  bool empty() const { return text.empty(); }
};

ExprText expression_text(const base::SourceText& file, std::uint32_t file_index,
                         const YamlNode& scalar);

// An ExprText for text that is not in a file (e.g. made up by the loader).
ExprText synthetic_expression(std::string text, std::uint32_t file_index, std::uint32_t at);

// Places a diagnostic for bytes [offset, offset + length) of `expr` in `file`.
Diagnostic expression_diagnostic(const base::SourceText& file, const ExprText& expr,
                                 const base::Issue& issue);

}  // namespace safeguard::ruleset
