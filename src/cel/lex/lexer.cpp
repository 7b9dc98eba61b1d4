#include "cel/lex/lexer.hpp"

#include <algorithm>
#include <utility>

namespace safeguard::cel {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_hex_digit(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_ident_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c) noexcept {
  return is_ident_start(c) || is_digit(c);
}
bool is_quote(char c) noexcept {
  return c == '"' || c == '\'';
}

// The characters CEL.g4 admits between backquotes (ESC_IDENTIFIER).
bool is_quoted_ident_char(char c) noexcept {
  return is_ident_char(c) || c == '.' || c == '-' || c == '/' || c == ' ';
}

// Length of the UTF-8 sequence starting with `lead`, or 1 for a stray byte.
std::size_t sequence_length(unsigned char lead) noexcept {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return lead < 0xF8 ? 4 : 1;
}

// Bytes of the code point at `pos`, clipped to the text.
std::uint32_t code_point_length(std::string_view text, std::size_t pos) noexcept {
  const std::size_t len = sequence_length(static_cast<unsigned char>(text[pos]));
  return static_cast<std::uint32_t>(std::min(len, text.size() - pos));
}

constexpr std::size_t kSnippetBytes = 20;

struct Operator {
  std::string_view text;
  const char* quoted;  // as named in messages
  TokenKind kind;
};

// Operators and punctuation; two-character ones first, so that "<=" wins over "<".
constexpr Operator kOperators[] = {
    {"==", "'=='", TokenKind::kEq},     {"!=", "'!='", TokenKind::kNe},
    {"<=", "'<='", TokenKind::kLe},     {">=", "'>='", TokenKind::kGe},
    {"&&", "'&&'", TokenKind::kAnd},    {"||", "'||'", TokenKind::kOr},
    {"(", "'('", TokenKind::kLParen},   {")", "')'", TokenKind::kRParen},
    {"[", "'['", TokenKind::kLBracket}, {"]", "']'", TokenKind::kRBracket},
    {"{", "'{'", TokenKind::kLBrace},   {"}", "'}'", TokenKind::kRBrace},
    {".", "'.'", TokenKind::kDot},      {",", "','", TokenKind::kComma},
    {":", "':'", TokenKind::kColon},    {"?", "'?'", TokenKind::kQuestion},
    {"+", "'+'", TokenKind::kPlus},     {"-", "'-'", TokenKind::kMinus},
    {"*", "'*'", TokenKind::kStar},     {"/", "'/'", TokenKind::kSlash},
    {"%", "'%'", TokenKind::kPercent},  {"!", "'!'", TokenKind::kBang},
    {"<", "'<'", TokenKind::kLt},       {">", "'>'", TokenKind::kGt},
};

}  // namespace

const char* token_kind_name(TokenKind kind) noexcept {
  switch (kind) {
    case TokenKind::kEnd:
      return "end of expression";
    case TokenKind::kError:
      return "invalid token";
    case TokenKind::kIdent:
      return "identifier";
    case TokenKind::kQuotedIdent:
      return "quoted name";
    case TokenKind::kInt:
      return "integer literal";
    case TokenKind::kUint:
      return "unsigned integer literal";
    case TokenKind::kDouble:
      return "double literal";
    case TokenKind::kString:
      return "string literal";
    case TokenKind::kBytes:
      return "bytes literal";
    case TokenKind::kTrue:
      return "'true'";
    case TokenKind::kFalse:
      return "'false'";
    case TokenKind::kNull:
      return "'null'";
    case TokenKind::kIn:
      return "'in'";
    default:
      break;
  }
  for (const Operator& op : kOperators) {
    if (op.kind == kind) return op.quoted;
  }
  return "token";
}

std::string quote_snippet(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto c = static_cast<unsigned char>(text[pos]);
    std::size_t len = sequence_length(c);
    bool valid = c < 0x80 || (len > 1 && pos + len <= text.size());
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(text[pos + k]) & 0xC0) == 0x80;
    }
    if (!valid) len = 1;
    if (pos + len > kSnippetBytes) {
      out += "...";
      break;
    }
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F || !valid) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out.append(text.substr(pos, len));
    }
    pos += len;
  }
  out += "'";
  return out;
}

Token Lexer::make(TokenKind kind, std::uint32_t begin) const noexcept {
  return Token{kind, begin, static_cast<std::uint32_t>(pos_)};
}

Token Lexer::fail(std::uint32_t offset, std::uint32_t length, std::string message,
                  std::string hint) {
  error_ = base::Issue{};
  error_.code = "cel.syntax";
  error_.offset = offset;
  error_.length = std::max<std::uint32_t>(length, 1);
  error_.message = std::move(message);
  error_.hint = std::move(hint);
  return Token{TokenKind::kError, offset, offset + error_.length};
}

void Lexer::skip_space_and_comments() noexcept {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      const std::size_t eol = text_.find('\n', pos_);
      pos_ = eol == std::string_view::npos ? text_.size() : eol + 1;
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  if (done_) return last_;
  skip_space_and_comments();
  const auto begin = static_cast<std::uint32_t>(pos_);
  Token token;
  if (pos_ >= text_.size()) {
    token = make(TokenKind::kEnd, begin);
  } else {
    const char c = text_[pos_];
    const char c1 = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    const char c2 = pos_ + 2 < text_.size() ? text_[pos_ + 2] : '\0';
    if ((c == 'r' || c == 'R') && is_quote(c1)) {
      token = lex_string(begin, pos_ + 1, /*raw=*/true, /*bytes=*/false);
    } else if ((c == 'b' || c == 'B') && is_quote(c1)) {
      token = lex_string(begin, pos_ + 1, /*raw=*/false, /*bytes=*/true);
    } else if ((c == 'b' || c == 'B') && (c1 == 'r' || c1 == 'R') && is_quote(c2)) {
      token = lex_string(begin, pos_ + 2, /*raw=*/true, /*bytes=*/true);
    } else if (is_ident_start(c)) {
      while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
      const std::string_view word = text_.substr(begin, pos_ - begin);
      TokenKind kind = TokenKind::kIdent;
      if (word == "true") kind = TokenKind::kTrue;
      if (word == "false") kind = TokenKind::kFalse;
      if (word == "null") kind = TokenKind::kNull;
      if (word == "in") kind = TokenKind::kIn;
      token = make(kind, begin);
    } else if (is_digit(c) || (c == '.' && is_digit(c1))) {
      token = lex_number();
    } else if (is_quote(c)) {
      token = lex_string(begin, pos_, /*raw=*/false, /*bytes=*/false);
    } else if (c == '`') {
      token = lex_quoted_ident();
    } else {
      token = lex_operator();
    }
  }
  if (token.kind == TokenKind::kEnd || token.kind == TokenKind::kError) {
    done_ = true;
    last_ = token;
  }
  return token;
}

// NUM_INT, NUM_UINT and NUM_FLOAT of CEL.g4. A number directly followed by letters
// (`1abc`) ends where the grammar says, and the parser reports what follows.
Token Lexer::lex_number() {
  const auto begin = static_cast<std::uint32_t>(pos_);
  const std::size_t n = text_.size();
  auto digit_at = [&](std::size_t i) { return i < n && is_digit(text_[i]); };
  auto suffix_u = [&] { return pos_ < n && (text_[pos_] == 'u' || text_[pos_] == 'U'); };

  if (text_[pos_] == '0' && pos_ + 2 < n && text_[pos_ + 1] == 'x' &&
      is_hex_digit(text_[pos_ + 2])) {
    pos_ += 2;
    while (pos_ < n && is_hex_digit(text_[pos_])) ++pos_;
    if (suffix_u()) {
      ++pos_;
      return make(TokenKind::kUint, begin);
    }
    return make(TokenKind::kInt, begin);
  }
  while (digit_at(pos_)) ++pos_;
  bool is_double = false;
  if (pos_ < n && text_[pos_] == '.' && digit_at(pos_ + 1)) {
    ++pos_;
    while (digit_at(pos_)) ++pos_;
    is_double = true;
  }
  if (pos_ < n && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    std::size_t k = pos_ + 1;
    if (k < n && (text_[k] == '+' || text_[k] == '-')) ++k;
    if (digit_at(k)) {
      pos_ = k;
      while (digit_at(pos_)) ++pos_;
      is_double = true;
    }
  }
  if (!is_double && suffix_u()) {
    ++pos_;
    return make(TokenKind::kUint, begin);
  }
  return make(is_double ? TokenKind::kDouble : TokenKind::kInt, begin);
}

// STRING and BYTES of CEL.g4. Only the extent is found here: outside raw strings a
// backslash protects the next character, and escapes are checked when decoded.
Token Lexer::lex_string(std::uint32_t begin, std::size_t quote, bool raw, bool bytes) {
  const std::size_t n = text_.size();
  const char q = text_[quote];
  const bool triple = quote + 2 < n && text_[quote + 1] == q && text_[quote + 2] == q;
  pos_ = quote + (triple ? 3 : 1);
  const auto opening = static_cast<std::uint32_t>(pos_ - begin);
  const char* what = bytes ? "unterminated bytes literal" : "unterminated string literal";
  while (pos_ < n) {
    const char c = text_[pos_];
    if (c == '\\' && !raw) {
      pos_ = std::min(pos_ + 2, n);
      continue;
    }
    if (c == q) {
      if (!triple) {
        ++pos_;
        return make(bytes ? TokenKind::kBytes : TokenKind::kString, begin);
      }
      if (pos_ + 2 < n && text_[pos_ + 1] == q && text_[pos_ + 2] == q) {
        pos_ += 3;
        return make(bytes ? TokenKind::kBytes : TokenKind::kString, begin);
      }
    } else if (!triple && (c == '\n' || c == '\r')) {
      return fail(begin, opening, what,
                  "a quoted string cannot span lines; use triple quotes for multi-line text");
    }
    ++pos_;
  }
  return fail(begin, opening, what);
}

// ESC_IDENTIFIER of CEL.g4: `content-type`, `foo.txt`, `/api/v1`.
Token Lexer::lex_quoted_ident() {
  const auto begin = static_cast<std::uint32_t>(pos_);
  ++pos_;
  while (pos_ < text_.size() && text_[pos_] != '`') {
    if (text_[pos_] == '\n') break;
    if (!is_quoted_ident_char(text_[pos_])) {
      const std::uint32_t len = code_point_length(text_, pos_);
      return fail(
          static_cast<std::uint32_t>(pos_), len,
          "invalid character " + quote_snippet(text_.substr(pos_, len)) + " in a quoted name",
          "quoted names may contain letters, digits and _ . - / and space");
    }
    ++pos_;
  }
  if (pos_ >= text_.size() || text_[pos_] != '`') {
    return fail(begin, 1, "unterminated quoted name");
  }
  ++pos_;
  if (pos_ - begin == 2) return fail(begin, 2, "empty quoted name");
  return make(TokenKind::kQuotedIdent, begin);
}

Token Lexer::lex_operator() {
  const auto begin = static_cast<std::uint32_t>(pos_);
  const std::string_view rest = text_.substr(pos_);
  for (const Operator& op : kOperators) {
    if (rest.substr(0, op.text.size()) == op.text) {
      pos_ += op.text.size();
      return make(op.kind, begin);
    }
  }
  return lex_unexpected();
}

Token Lexer::lex_unexpected() {
  const auto offset = static_cast<std::uint32_t>(pos_);
  const std::uint32_t len = code_point_length(text_, pos_);
  std::string hint;
  switch (text_[pos_]) {
    case '=':
      hint = "use '==' to compare values";
      break;
    case '&':
      hint = "use '&&' for a logical and";
      break;
    case '|':
      hint = "use '||' for a logical or";
      break;
    case '#':
      // A YAML comment inside a `>` or `|` block is part of the text, so CEL sees it.
      hint =
          "inside an expression a comment starts with '//' and ends with its line (so write a "
          "commented condition after '|', which keeps its lines)";
      break;
    default:
      break;
  }
  return fail(offset, len, "unexpected character " + quote_snippet(text_.substr(pos_, len)),
              std::move(hint));
}

std::vector<Token> tokenize(std::string_view text, base::Issue& error) {
  Lexer lexer(text);
  std::vector<Token> tokens;
  for (;;) {
    tokens.push_back(lexer.next());
    const TokenKind kind = tokens.back().kind;
    if (kind == TokenKind::kError) error = lexer.error();
    if (kind == TokenKind::kEnd || kind == TokenKind::kError) break;
  }
  return tokens;
}

}  // namespace safeguard::cel
