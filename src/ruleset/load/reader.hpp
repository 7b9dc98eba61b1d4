// Helpers for reading a rule-set YAML tree: typed fields, unknown keys with suggestions,
// and diagnostics placed in the right file.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ruleset/load/yaml_tree.hpp"
#include "ruleset/model.hpp"

namespace safeguard::ruleset {

class Reporter {
 public:
  Reporter(const std::vector<SourceFile>& files, std::vector<Diagnostic>& out)
      : files_(files), out_(out) {}

  void error(std::uint32_t file, std::uint32_t offset, std::string code, std::string message,
             std::string hint = {}, std::uint32_t length = 1);
  void warning(std::uint32_t file, std::uint32_t offset, std::string code, std::string message,
               std::string hint = {}, std::uint32_t length = 1);
  void at(const Where& where, Severity severity, std::string code, std::string message,
          std::string hint = {});
  // A diagnostic about part of a CEL expression.
  void in_expression(const ExprText& expr, const base::Issue& issue);
  // A diagnostic with no position in a file (e.g. a missing file).
  void general(Severity severity, std::string code, std::string file_name, std::string message,
               std::string hint = {});

  const std::vector<SourceFile>& files() const { return files_; }
  std::size_t error_count() const;

 private:
  void add(std::uint32_t file, std::uint32_t offset, std::uint32_t length, Severity severity,
           std::string code, std::string message, std::string hint);
  const std::vector<SourceFile>& files_;
  std::vector<Diagnostic>& out_;
};

// Reads fields of one YAML mapping, reporting problems against `file`.
class FieldReader {
 public:
  FieldReader(Reporter& reporter, std::uint32_t file, const YamlNode& node, std::string what,
              std::string code_prefix)
      : r_(reporter),
        file_(file),
        node_(node),
        what_(std::move(what)),
        prefix_(std::move(code_prefix)) {}

  // Reports keys not in `allowed` (with did-you-mean) and duplicate keys. A key that looks
  // like a misspelling of an allowed one is remembered, so that the allowed key is not
  // reported missing as well: one mistake, one error.
  void check_keys(const std::vector<std::string>& allowed);

  const YamlNode* get(const std::string& key) const { return node_.find(key); }
  std::optional<std::string> text(const std::string& key, bool required);
  std::optional<ExprText> expression(const std::string& key, bool required);
  std::optional<std::int64_t> date(const std::string& key);
  std::vector<std::string> text_list(const std::string& key);
  void missing(const std::string& key);
  // Where the node (or a member's value) is.
  Where where_of(const YamlNode& n) const;
  std::uint32_t file() const { return file_; }
  Reporter& reporter() { return r_; }

 private:
  Reporter& r_;
  std::uint32_t file_;
  const YamlNode& node_;
  std::string what_;
  std::string prefix_;
  std::set<std::string> misspelt_;  // allowed keys that an unknown key looked like
  bool merge_key_ = false;          // a YAML merge key ('<<') hid this mapping's other keys
};

// Length of the token at `offset` (a key, an id), for underlining.
std::uint32_t token_length(const base::SourceText& text, std::uint32_t offset);

}  // namespace safeguard::ruleset
