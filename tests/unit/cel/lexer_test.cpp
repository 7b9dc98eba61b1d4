#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "cel/lex/lexer.hpp"

using safeguard::base::Issue;
using safeguard::cel::quote_snippet;
using safeguard::cel::Token;
using safeguard::cel::tokenize;
using safeguard::cel::TokenKind;

namespace {

const char* short_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kIdent:
      return "id";
    case TokenKind::kQuotedIdent:
      return "qid";
    case TokenKind::kInt:
      return "int";
    case TokenKind::kUint:
      return "uint";
    case TokenKind::kDouble:
      return "dbl";
    case TokenKind::kString:
      return "str";
    case TokenKind::kBytes:
      return "bytes";
    case TokenKind::kError:
      return "error";
    default:
      return "";
  }
}

// "id(a) + int(1)": kinds with their text; operators and keywords as their text.
std::string lex(std::string_view text) {
  Issue error;
  std::string out;
  for (const Token& t : tokenize(text, error)) {
    if (t.kind == TokenKind::kEnd) break;
    if (!out.empty()) out += ' ';
    const std::string_view s = text.substr(t.begin, t.end - t.begin);
    const std::string kind = short_name(t.kind);
    out += kind.empty() ? std::string(s) : kind + "(" + std::string(s) + ")";
  }
  return out;
}

}  // namespace

TEST_CASE("lexer splits expressions into tokens") {
  struct Case {
    const char* text;
    const char* tokens;
  };
  const Case cases[] = {
      {"", ""},
      {"  \t\r\n\f ", ""},
      {"a", "id(a)"},
      {"_a1 B_2", "id(_a1) id(B_2)"},
      {"a.b", "id(a) . id(b)"},
      {"true false null in", "true false null in"},
      {"index inx truex", "id(index) id(inx) id(truex)"},
      {"while as and or not", "id(while) id(as) id(and) id(or) id(not)"},
      {"0 42 0x1F 0xabc", "int(0) int(42) int(0x1F) int(0xabc)"},
      {"1u 0U 0x1Fu 0xFFU", "uint(1u) uint(0U) uint(0x1Fu) uint(0xFFU)"},
      {"1.5 .5 1e3 1E+3 1.5e-3 0.0", "dbl(1.5) dbl(.5) dbl(1e3) dbl(1E+3) dbl(1.5e-3) dbl(0.0)"},
      // Forms the grammar does not read as one number.
      {"1.", "int(1) ."},
      {"1.e5", "int(1) . id(e5)"},
      {"1.5u", "dbl(1.5) id(u)"},
      {"0x", "int(0) id(x)"},
      {"0X1", "int(0) id(X1)"},
      {"1e", "int(1) id(e)"},
      {"1in[1]", "int(1) in [ int(1) ]"},
      {"== != < <= > >= && || !", "== != < <= > >= && || !"},
      {"+-*/%", "+ - * / %"},
      {"()[]{},:?.", "( ) [ ] { } , : ? ."},
      {"a // comment\n+ b", "id(a) + id(b)"},
      {"a // comment to the end", "id(a)"},
      {"a / / b", "id(a) / / id(b)"},
      {"'s' \"s\"", "str('s') str(\"s\")"},
      {"'' \"\"", "str('') str(\"\")"},
      {"'''a'b''c''' \"\"\"x\ny\"\"\"", "str('''a'b''c''') str(\"\"\"x\ny\"\"\")"},
      {"'a\\'b' \"a\\\"b\"", "str('a\\'b') str(\"a\\\"b\")"},
      {"r'a\\' R\"b\"", "str(r'a\\') str(R\"b\")"},
      {"b'x' B\"y\" br'z' BR'''w'''", "bytes(b'x') bytes(B\"y\") bytes(br'z') bytes(BR'''w''')"},
      {"rb'x'", "id(rb) str('x')"},
      {"r b", "id(r) id(b)"},
      {"a.`b-c`", "id(a) . qid(`b-c`)"},
      {"a.`foo.txt`.`/api/v1 x`", "id(a) . qid(`foo.txt`) . qid(`/api/v1 x`)"},
      {"'\xc3\xa9' \xe2\x9d\xa4", "str('\xc3\xa9') error(\xe2\x9d\xa4)"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(lex(c.text) == c.tokens);
  }
}

TEST_CASE("lexer tokens carry byte offsets") {
  Issue error;
  const auto tokens = tokenize("  ab + 'x'", error);
  REQUIRE(tokens.size() == 4);
  CHECK(tokens[0].begin == 2);
  CHECK(tokens[0].end == 4);
  CHECK(tokens[1].begin == 5);
  CHECK(tokens[2].begin == 7);
  CHECK(tokens[2].end == 10);
  CHECK(tokens[3].kind == TokenKind::kEnd);
  CHECK(tokens[3].begin == 10);
}

TEST_CASE("lexer reports the first lexical error and stops") {
  struct Case {
    const char* text;
    std::uint32_t offset;
    const char* message;
    const char* hint;
  };
  const Case cases[] = {
      {"a | b", 2, "unexpected character '|'", "use '||' for a logical or"},
      {"a & b", 2, "unexpected character '&'", "use '&&' for a logical and"},
      {"a = b", 2, "unexpected character '='", "use '==' to compare values"},
      {"1 + $", 4, "unexpected character '$'", ""},
      {"a @ b", 2, "unexpected character '@'", ""},
      {"\x01", 0, "unexpected character '\\x01'", ""},
      {"x \xc3\xb3", 2, "unexpected character '\xc3\xb3'", ""},
      {"'abc", 0, "unterminated string literal", ""},
      {"\"abc", 0, "unterminated string literal", ""},
      {"b'abc", 0, "unterminated bytes literal", ""},
      {"'a\nb'", 0, "unterminated string literal",
       "a quoted string cannot span lines; use triple quotes for multi-line text"},
      {"'a\rb'", 0, "unterminated string literal",
       "a quoted string cannot span lines; use triple quotes for multi-line text"},
      {"'''abc''", 0, "unterminated string literal", ""},
      {"'abc\\", 0, "unterminated string literal", ""},
      {"'abc\\'", 0, "unterminated string literal", ""},
      {"a.`b", 2, "unterminated quoted name", ""},
      {"a.``", 2, "empty quoted name", ""},
      {"a.`$b`", 3, "invalid character '$' in a quoted name",
       "quoted names may contain letters, digits and _ . - / and space"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    Issue error;
    const auto tokens = tokenize(c.text, error);
    REQUIRE(tokens.back().kind == TokenKind::kError);
    CHECK(error.code == "cel.syntax");
    CHECK(error.offset == c.offset);
    CHECK(error.message == c.message);
    CHECK(error.hint == c.hint);
  }
}

TEST_CASE("lexer never reads past the end of its input") {
  // Each prefix is lexed from a heap buffer of exactly its size, so that an
  // address-sanitizer build catches any read beyond the end.
  const std::string texts[] = {"'''a''", "b'x", "br'''", "0x", "1e+", "1.", "a.`b", "//", "'\\"};
  for (const std::string& text : texts) {
    for (std::size_t n = 0; n <= text.size(); ++n) {
      const std::vector<char> buffer(text.data(), text.data() + n);
      Issue error;
      const auto tokens = tokenize(std::string_view(buffer.data(), buffer.size()), error);
      CHECK(tokens.back().end <= n);
    }
  }
}

TEST_CASE("quote_snippet shortens and escapes what it quotes") {
  CHECK(quote_snippet("abc") == "'abc'");
  CHECK(quote_snippet("a\nb\t") == "'a\\nb\\t'");
  CHECK(quote_snippet("12345678901234567890") == "'12345678901234567890'");
  CHECK(quote_snippet("123456789012345678901") == "'12345678901234567890...'");
  // Never cuts a code point in half.
  CHECK(quote_snippet("1234567890123456789\xc3\xa9") == "'1234567890123456789...'");
  CHECK(quote_snippet("\xff") == "'\\xff'");
}
