// CEL lexer: expression text to tokens with byte offsets.
//
// The token set follows the CEL grammar (google/cel-spec, CEL.g4). Tokens carry only
// their byte range; the parser decodes literal text itself, so that a bad escape is
// reported at the escape and only when the parser reaches it. Reserved words and the
// word operators `and`, `or`, `not` are ordinary identifiers here: whether they are
// allowed depends on where they stand, which only the parser knows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/source.hpp"

namespace safeguard::cel {

enum class TokenKind : std::uint8_t {
  kEnd,    // end of the text
  kError,  // a lexical error; Lexer::error() describes it

  kIdent,        // [_a-zA-Z][_a-zA-Z0-9]*, reserved words included
  kQuotedIdent,  // `name` with [a-zA-Z0-9_.\-/ ], allowed only as a field name
  kInt,          // 12, 0x1F
  kUint,         // 12u, 0x1FU
  kDouble,       // 1.5, .5, 1e3, 1.5e-3
  kString,       // '...', "...", '''...''', """...""", with an optional r/R prefix
  kBytes,        // a string with a b/B prefix (b, br, bR, B, Br, BR)

  kTrue,
  kFalse,
  kNull,
  kIn,

  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kDot,
  kComma,
  kColon,
  kQuestion,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kBang,
  kEq,  // ==
  kNe,  // !=
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,  // &&
  kOr,   // ||
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::uint32_t begin = 0;  // byte range [begin, end) in the text
  std::uint32_t end = 0;
};

// How a token kind is named in messages: "')'", "identifier", "end of expression".
const char* token_kind_name(TokenKind kind) noexcept;

// Scans one token at a time. The text must be valid UTF-8 (the parser checks it first)
// and shorter than 4 GiB; the lexer never reads outside it.
class Lexer {
 public:
  explicit Lexer(std::string_view text) noexcept : text_(text) {}

  // The next token. After kEnd or kError every further call returns the same token.
  Token next();

  // The problem behind the last kError token (code, offset, message, hint).
  const base::Issue& error() const noexcept { return error_; }

 private:
  Token make(TokenKind kind, std::uint32_t begin) const noexcept;
  Token fail(std::uint32_t offset, std::uint32_t length, std::string message,
             std::string hint = {});
  void skip_space_and_comments() noexcept;
  Token lex_number();
  Token lex_string(std::uint32_t begin, std::size_t quote, bool raw, bool bytes);
  Token lex_quoted_ident();
  Token lex_operator();
  Token lex_unexpected();

  std::string_view text_;
  std::size_t pos_ = 0;
  bool done_ = false;
  Token last_;
  base::Issue error_;
};

// All tokens up to and including the final kEnd or kError token.
std::vector<Token> tokenize(std::string_view text, base::Issue& error);

// `text` quoted for a message: at most about 20 bytes (cut at a code point), with
// control characters escaped, e.g. 'abc' or 'a_very_long_identi...'.
std::string quote_snippet(std::string_view text);

}  // namespace safeguard::cel
