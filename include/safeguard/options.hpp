// Limits that keep safeguard safe on hostile or broken input. Every limit is named in
// the error it produces; SECURITY.md explains each and when to change it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace safeguard {

struct Limits {
  // --- rule files ---------------------------------------------------------------------
  std::size_t max_rule_file_bytes = 1u << 20;  // one YAML file
  std::size_t max_rule_files = 1000;           // files in a rule set
  std::uint32_t max_yaml_depth = 32;           // nesting of YAML mappings and sequences
  std::size_t max_yaml_nodes = 200000;         // nodes after alias expansion (alias bombs)

  // --- expressions --------------------------------------------------------------------
  std::uint32_t max_expression_bytes = 16u * 1024;  // one CEL expression
  std::uint32_t max_expression_depth = 100;         // nesting of one CEL expression
  std::size_t max_regex_bytes = 4096;               // a regular expression's pattern

  // --- snapshots ----------------------------------------------------------------------
  std::size_t max_snapshot_bytes = 16u << 20;  // one case snapshot (JSON)
  std::uint32_t max_json_depth = 64;           // nesting of JSON arrays and objects

  // --- evaluation ---------------------------------------------------------------------
  // Cost budget per evaluation, in comprehension steps (list elements visited). A rule
  // that runs out is undetermined with "evaluation budget exceeded", never a hang.
  std::uint64_t max_evaluation_steps = 5'000'000;
  // Memory for computed values per evaluation.
  std::size_t max_evaluation_bytes = 64u << 20;
};

}  // namespace safeguard
