// CEL lexer and parser: text to an AST with positions, or located syntax errors.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/source.hpp"
#include "cel/ast/ast.hpp"

namespace safeguard::cel {

struct ParserOptions {
  // Longest accepted expression, in bytes ("expression too long (limit is N bytes)").
  std::uint32_t max_length = 100 * 1024;
  // Deepest accepted nesting of sub-expressions (parentheses, operators, calls, lists,
  // member chains). Every later stage recurses over the tree, so this bound is what keeps
  // the checker, compiler and evaluator off the end of the stack, whatever the input.
  std::uint32_t max_depth = 128;
  // Accept `and`, `or` and `not` as spellings of `&&`, `||` and `!`. They are not CEL
  // keywords, so they are recognised only where an identifier could not stand.
  bool word_operators = true;
  // Expand has/all/exists/exists_one/map/filter and cel.bind into their AST forms.
  bool enable_macros = true;
};

struct ParseResult {
  ParsedExpr expr;                  // expr.root is null when there are errors
  std::vector<base::Issue> issues;  // offsets are byte offsets into the text
  bool ok() const noexcept { return expr.root != nullptr; }
};

// Never throws (except std::bad_alloc).
ParseResult parse(std::string_view text, const ParserOptions& options = {});

}  // namespace safeguard::cel
