// Compiling a schema document into a schema::Tree (internal to Schema::load).
//
// The document is parsed by the snapshot JSON parser and walked once: every subschema
// becomes a node, each keyword is checked and compiled (schema_keywords.cpp), then `$ref`s
// are resolved and the graph of subschemas applied to one value is checked for cycles and
// blow-up (schema_graph.cpp), and finally each node's "expected" text is written
// (schema_describe.cpp).
//
// Diagnostics name the schema location as a JSON pointer ("in the schema at
// #/properties/child") and are placed at the keyword's line:col by walking the text
// along that pointer (schema_locate.hpp), so a caret points at the offending keyword.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/source.hpp"
#include "safeguard/diagnostic.hpp"
#include "snapshot/schema_tree.hpp"

namespace safeguard::snapshot::schema {

// schema.too-large for a schema of `size` bytes (over kMaxSchemaBytes), named `file`: given by
// the rule set loader, which refuses such a file before reading it, and by Loader::run.
// `exact` false: the size is not known, only that it is over the limit
// (base::BoundedFile::size_exact).
Diagnostic too_large(const std::string& file, std::uintmax_t size, bool exact = true);

class Loader {
 public:
  Loader(std::string_view text, const std::string& file_name, std::vector<Diagnostic>& out);

  // Null when there was an error (all of them are in the diagnostics).
  std::unique_ptr<Tree> run();

  // --- used by the keyword, graph and description stages -------------------------------
  using Tokens = std::vector<std::string>;

  // An error about the keyword or subschema at `tokens`; the caret goes to the member name
  // when `at_key`, else to the value.
  void error(const char* code, const Tokens& tokens, bool at_key, std::string message,
             std::string hint = {});
  void error_at_location(const char* code, const std::string& location, std::string message,
                         std::string hint = {});

  // Compiles the subschema at `tape`; returns its node index, or kNoNode.
  std::uint32_t compile(std::uint32_t tape, Tokens& tokens, std::uint32_t depth);

  // A `$ref` to resolve once every subschema is known; `tokens` locate the keyword.
  void add_ref(std::uint32_t node, std::string target, const Tokens& tokens);

  const cel::JsonDoc* doc() const noexcept { return tree_->document->doc(); }
  Tree& tree() noexcept { return *tree_; }

  // "#", "#/properties/child": a JSON pointer as a URI fragment, as $ref writes it.
  static std::string location_of(const Tokens& tokens);

 private:
  struct PendingRef {
    std::uint32_t node;
    std::string target;
    Tokens tokens;
  };

  void finish_node(std::uint32_t node);
  void resolve_refs();
  void check_duplicate_keys_in_schema();
  void check_defaults();
  void validate_defaults();
  std::uint8_t allowed_types(std::uint32_t index, std::uint32_t depth, std::uint32_t& budget) const;

  std::string_view text_;
  std::string file_;
  std::vector<Diagnostic>& out_;
  std::unique_ptr<base::SourceText> source_;  // made on the first located diagnostic
  std::unique_ptr<Tree> tree_;
  std::map<std::string, std::uint32_t> by_location_;  // every subschema, for $ref
  std::vector<PendingRef> refs_;
  bool too_many_nodes_ = false;
  bool failed_ = false;
};

// schema_keywords.cpp: checks and compiles one keyword of the node at `tokens`
// (which ends with the keyword's name).
void compile_keyword(Loader& loader, std::uint32_t node, std::string_view name, std::uint32_t value,
                     Loader::Tokens& tokens, std::uint32_t depth);

// schema_graph.cpp: rejects cycles of $ref/allOf/anyOf/oneOf that never move into the
// value, and chains or fan-outs beyond the limits.
void check_schema_graph(Loader& loader);

// schema_describe.cpp: fills Node::expected and Node::error_message.
void describe_nodes(Tree& tree);

}  // namespace safeguard::snapshot::schema
