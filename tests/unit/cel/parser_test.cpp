#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cel/ast/ast.hpp"
#include "cel/parse/parser.hpp"

using safeguard::cel::ConstantKind;
using safeguard::cel::Expr;
using safeguard::cel::ExprKind;
using safeguard::cel::MacroKind;
using safeguard::cel::parse;
using safeguard::cel::ParseResult;
using safeguard::cel::ParserOptions;

namespace {

// Every node of the tree, parents before children.
std::vector<const Expr*> nodes_of(const Expr& root) {
  std::vector<const Expr*> out;
  std::vector<const Expr*> stack{&root};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    out.push_back(e);
    if (e->target) stack.push_back(e->target.get());
    for (const auto& arg : e->args) stack.push_back(arg.get());
    for (const auto& entry : e->entries) {
      stack.push_back(entry.key.get());
      stack.push_back(entry.value.get());
    }
  }
  return out;
}

// Structural invariants of every successful parse: dense ids, node_count, and source
// ranges that nest (each child inside its parent, the anchor inside the node).
void check_invariants(const ParseResult& result) {
  REQUIRE(result.ok());
  REQUIRE(result.issues.empty());
  const auto nodes = nodes_of(*result.expr.root);
  CHECK(nodes.size() == result.expr.node_count);
  std::vector<std::uint32_t> ids;
  for (const Expr* e : nodes) {
    ids.push_back(e->id);
    CHECK(e->begin <= e->offset);
    CHECK(e->offset < e->end);
    CHECK(e->end <= result.expr.source.size());
    auto inside = [&](const Expr* child) {
      CHECK(child->begin >= e->begin);
      CHECK(child->end <= e->end);
      CHECK(child->id < e->id);  // children are created first
    };
    if (e->target) inside(e->target.get());
    for (const auto& arg : e->args) inside(arg.get());
    for (const auto& entry : e->entries) {
      inside(entry.key.get());
      inside(entry.value.get());
      CHECK(entry.key->end <= entry.offset);
      CHECK(entry.offset < entry.value->begin);
    }
  }
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < ids.size(); ++i) CHECK(ids[i] == i + 1);
}

std::string parse_dump(std::string_view text, const ParserOptions& options = {}) {
  const ParseResult result = parse(text, options);
  if (!result.ok()) {
    REQUIRE(result.issues.size() == 1);
    return "error: " + result.issues[0].message;
  }
  check_invariants(result);
  return dump(*result.expr.root);
}

struct DumpCase {
  const char* text;
  const char* dump;
};

void check_dumps(const std::vector<DumpCase>& cases, const ParserOptions& options = {}) {
  for (const DumpCase& c : cases) {
    INFO(c.text);
    CHECK(parse_dump(c.text, options) == c.dump);
  }
}

struct ErrorCase {
  std::string text;
  const char* code;
  std::uint32_t offset;
  const char* message;
  const char* hint = nullptr;  // checked when set
};

void check_errors(const std::vector<ErrorCase>& cases, const ParserOptions& options = {}) {
  for (const ErrorCase& c : cases) {
    INFO(c.text);
    const ParseResult result = parse(c.text, options);
    CHECK_FALSE(result.ok());
    REQUIRE(result.issues.size() == 1);
    const auto& issue = result.issues[0];
    CHECK(issue.code == c.code);
    CHECK(issue.offset == c.offset);
    CHECK(issue.message == c.message);
    if (c.hint != nullptr) CHECK(issue.hint == c.hint);
    CHECK(result.expr.source == c.text);
  }
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("parser reads literals") {
  check_dumps({
      {"0", "0"},
      {"42", "42"},
      {"0xF", "15"},
      {"0u", "0u"},
      {"23U", "23u"},
      {"0xFu", "15u"},
      {"18446744073709551615u", "18446744073709551615u"},
      {"9223372036854775807", "9223372036854775807"},
      {"23.39", "23.39"},
      {".99", "0.99"},
      {"1e3", "1000.0"},
      {"1e100", "1e+100"},
      {"1.5e-3", "0.0015"},
      {"1e-400", "0.0"},  // underflow reads as zero, as in cel-go
      {"true", "true"},
      {"false", "false"},
      {"null", "null"},
      {"'hello'", "\"hello\""},
      {"\"\\\"\"", "\"\\\"\""},
      {"''", "\"\""},
      {"'''x''x'''", "\"x''x\""},
      {"\"\"\"a\nb\"\"\"", "\"a\\nb\""},
      {"'\\a\\b\\f\\n\\r\\t\\v'", "\"\\x07\\x08\\x0c\\n\\r\\t\\x0b\""},
      {"' \\\\ \\? \\\" \\' \\` '", "\" \\\\ ? \\\" ' ` \""},
      {"'\\u2764' == '\xe2\x9d\xa4'", "_==_(\"\xe2\x9d\xa4\", \"\xe2\x9d\xa4\")"},
      {"'\\U0001F62C'", "\"\xf0\x9f\x98\xac\""},
      {"'\\xC3\\XBF'", "\"\xc3\x83\xc2\xbf\""},  // code points U+00C3 U+00BF
      {"'\\303\\277'", "\"\xc3\x83\xc2\xbf\""},
      {"'\\000\\x7f'", "\"\\x00\\x7f\""},
      {"b'abc' + B\"def\"", "_+_(b\"abc\", b\"def\")"},
      {"b'\\303\\277'", "b\"\\xc3\\xbf\""},
      {"b'\xc3\xbf'", "b\"\\xc3\\xbf\""},
      {"b'\\377\\xFF'", "b\"\\xff\\xff\""},
      {"r'\\n\\x'", "\"\\\\n\\\\x\""},
      {"R\"\\\\\"", "\"\\\\\\\\\""},
      {"br'\\u0000'", "b\"\\\\u0000\""},
      {"r'''a\\'''", "\"a\\\\\""},
      {"'\t\x01'", "\"\\t\\x01\""},
  });
}

TEST_CASE("parser folds a single minus into a number literal") {
  check_dumps({
      {"-1", "-1"},
      {"- 1", "-1"},
      {"-9223372036854775808", "-9223372036854775808"},
      {"-0x8000000000000000", "-9223372036854775808"},
      {"-1.5", "-1.5"},
      {"-0.0", "-0.0"},
      {"4--4", "_-_(4, -4)"},
      {"4--4.1", "_-_(4, -4.1)"},
      {"4-4", "_-_(4, 4)"},
      {"--1", "-_(-_(1))"},
      {"- -1", "-_(-_(1))"},
      {"---1", "-_(-_(-_(1)))"},
      {"-(1)", "-_(1)"},
      {"-1u", "-_(1u)"},
      {"-x", "-_(x)"},
      {"--x", "-_(-_(x))"},
      {"!-1", "!_(-1)"},
      {"-1.abs()", "-1.abs()"},  // CEL.g4: the literal -1 is the receiver
      {"-(-9223372036854775808)", "-_(-9223372036854775808)"},
      {"(-9223372036854775808) * -1", "_*_(-9223372036854775808, -1)"},
  });
}

TEST_CASE("parser reads identifiers, selection, indexing and calls") {
  check_dumps({
      {"a", "a"},
      {".a", ".a"},
      {".a.b", ".a.b"},
      {"a.b.c", "a.b.c"},
      {"a[b]", "_[_](a, b)"},
      {"a[0][1]", "_[_](_[_](a, 0), 1)"},
      {"a()", "a()"},
      {"a(b)", "a(b)"},
      {"a(b, c)", "a(b, c)"},
      {"a.b()", "a.b()"},
      {"a.b(c)", "a.b(c)"},
      {".f(x)", ".f(x)"},
      {"f(x).g[0].h", "_[_](f(x).g, 0).h"},
      {"(a).b", "a.b"},
      {"((a))", "a"},
      {"{'a': 1}.a", "{\"a\": 1}.a"},
      {"[1,3,4][0]", "_[_]([1, 3, 4], 0)"},
      // Reserved words are field and method names after a dot.
      {"{ 'as': 1 }.as", "{\"as\": 1}.as"},
      {"a.while", "a.while"},
      {"a.as()", "a.as()"},
      {"a.var.if(x)", "a.var.if(x)"},
      // Backquoted field names (cel-spec fields.textproto, quoted_map_fields).
      {"a.`b-c`", "a.`b-c`"},
      {"a.`in`", "a.`in`"},
      {"{'foo.txt': 32}.`foo.txt`", "{\"foo.txt\": 32}.`foo.txt`"},
      {"{'/api/v1': true}.`/api/v1`", "{\"/api/v1\": true}.`/api/v1`"},
      {"a.`b c`.d", "a.`b c`.d"},
      {"a.`plain`", "a.plain"},
      {"a // comment\n.b", "a.b"},
  });
}

TEST_CASE("parser builds operators with CEL's precedence") {
  check_dumps({
      {"a?b:c", "_?_:_(a, b, c)"},
      {"a ? b : c ? d : e", "_?_:_(a, b, _?_:_(c, d, e))"},
      {"a ? (b ? c : d) : e", "_?_:_(a, _?_:_(b, c, d), e)"},
      {"a || b", "_||_(a, b)"},
      {"a && b", "_&&_(a, b)"},
      {"a || b || c", "_||_(_||_(a, b), c)"},
      // && and || chains are balanced, as in cel-go's parsing tests.
      {"a || b || c || d || e || f", "_||_(_||_(_||_(a, b), c), _||_(_||_(d, e), f))"},
      {"a && b && c && d && e && f && g",
       "_&&_(_&&_(_&&_(a, b), _&&_(c, d)), _&&_(_&&_(e, f), g))"},
      {"a && b || c && d", "_||_(_&&_(a, b), _&&_(c, d))"},
      {"a || b && c", "_||_(a, _&&_(b, c))"},
      {"a + b", "_+_(a, b)"},
      {"a - b - c", "_-_(_-_(a, b), c)"},
      {"a + b * c - d / e % f", "_-_(_+_(a, _*_(b, c)), _%_(_/_(d, e), f))"},
      {"1 + 2 * 3 - 1 / 2 == 6 % 1", "_==_(_-_(_+_(1, _*_(2, 3)), _/_(1, 2)), _%_(6, 1))"},
      {"a < b == c", "_==_(_<_(a, b), c)"},
      {"a < b <= c > d >= e != f", "_!=_(_>=_(_>_(_<=_(_<_(a, b), c), d), e), f)"},
      {"a in b", "@in(a, b)"},
      {"a + 1 in b", "@in(_+_(a, 1), b)"},
      {"(a + b) * c", "_*_(_+_(a, b), c)"},
      {"!a", "!_(a)"},
      {"! false", "!_(false)"},
      {"!!a", "!_(!_(a))"},
      {"!a == b", "_==_(!_(a), b)"},
      {"-a.b", "-_(a.b)"},
      {"!a[0]", "!_(_[_](a, 0))"},
      {"false && !true || false ? 2 : 3", "_?_:_(_||_(_&&_(false, !_(true)), false), 2, 3)"},
      {"a ? b || c : d && e", "_?_:_(a, _||_(b, c), _&&_(d, e))"},
  });
}

TEST_CASE("parser reads lists and maps") {
  check_dumps({
      {"[]", "[]"},
      {"[a]", "[a]"},
      {"[a, b, c]", "[a, b, c]"},
      {"[3, 4, 5,]", "[3, 4, 5]"},
      {"[[1], [2, [3]]]", "[[1], [2, [3]]]"},
      {"[] + [1,2,3,] + [4]", "_+_(_+_([], [1, 2, 3]), [4])"},
      {"{}", "{}"},
      {"{a: b, c: d}", "{a: b, c: d}"},
      {"{1: 2u, 'k': [1],}", "{1: 2u, \"k\": [1]}"},
      {"{'m': {'k': 'v'}}['m']", "_[_]({\"m\": {\"k\": \"v\"}}, \"m\")"},
      {"{a ? b : c: d}", "{_?_:_(a, b, c): d}"},
  });
}

TEST_CASE("parser expands macros") {
  check_dumps({
      {"has(a.b)", "has(a.b)"},
      {"has(a.b.c)", "has(a.b.c)"},
      {"has((a.b))", "has(a.b)"},
      {"has({'a': 1}.a)", "has({\"a\": 1}.a)"},
      {"has(a.`b-c`)", "has(a.`b-c`)"},
      {"m.all(v, f)", "all(v, m, f)"},
      {"m.exists(v, f)", "exists(v, m, f)"},
      {"m.exists_one(v, f)", "exists_one(v, m, f)"},
      {"m.exists_one((v), f)", "exists_one(v, m, f)"},
      {"m.filter(v, p)", "filter(v, m, p)"},
      {"m.map(v, f)", "map(v, m, f)"},
      {"m.map(v, p, f)", "map(v, m, p, f)"},
      {"x.filter(y, y.filter(z, z > 0))", "filter(y, x, filter(z, y, _>_(z, 0)))"},
      {"has(a.b).filter(c, c)", "filter(c, has(a.b), c)"},
      {"[1, 2].map(x, x * 2).filter(y, y > 2)", "filter(y, map(x, [1, 2], _*_(x, 2)), _>_(y, 2))"},
      {"cel.bind(x, 1, x + 1)", "bind(x, 1, _+_(x, 1))"},
      {"cel.bind(a, 1, cel.bind(b, a, [a, b]))", "bind(a, 1, bind(b, a, [a, b]))"},
      // A macro name with another arity, or in another position, is an ordinary call.
      {"m.all(v)", "m.all(v)"},
      {"m.exists(a, b, c, d)", "m.exists(a, b, c, d)"},
      {"m.transformList(a, b)", "m.transformList(a, b)"},
      // Three arguments: cel-go's two-variable form (index or key, value, predicate).
      {"m.exists(a, b, c)", "exists(a, b, m, c)"},
      {"m.transformMap(k, v, k != 'x', v + 1)", "transformMap(k, v, m, _!=_(k, \"x\"), _+_(v, 1))"},
      {"m.map(a, b, c, d)", "m.map(a, b, c, d)"},
      {"has(a.b, c)", "has(a.b, c)"},
      {"has()", "has()"},
      {"all(x, p)", "all(x, p)"},
      {"a.has(b.c)", "a.has(b.c)"},
      {"cel.bind(x, 1)", "cel.bind(x, 1)"},
      {"x.bind(a, 1, a)", "x.bind(a, 1, a)"},
      {".cel.bind(a, 1, a)", ".cel.bind(a, 1, a)"},
      {".has(a.b)", ".has(a.b)"},
      {"m.existsOne(v, f)", "m.existsOne(v, f)"},
      {"noop_macro(123)", "noop_macro(123)"},
  });
}

TEST_CASE("macro nodes have their documented shape") {
  {
    const auto r = parse("has(a.b)");
    REQUIRE(r.ok());
    const Expr& e = *r.expr.root;
    CHECK(e.kind == ExprKind::kHas);
    CHECK(e.name == "b");
    REQUIRE(e.target);
    CHECK(e.target->kind == ExprKind::kIdent);
    CHECK(e.args.empty());
  }
  {
    const auto r = parse("l.map(x, x > 0, x * 2)");
    REQUIRE(r.ok());
    const Expr& e = *r.expr.root;
    CHECK(e.kind == ExprKind::kComprehension);
    CHECK(e.macro == MacroKind::kMap);
    CHECK(e.name == "x");
    CHECK(e.target->name == "l");
    REQUIRE(e.args.size() == 2);
    CHECK(dump(*e.args[0]) == "_>_(x, 0)");
  }
  {
    const auto r = parse("cel.bind(v, 1, v)");
    REQUIRE(r.ok());
    const Expr& e = *r.expr.root;
    CHECK(e.kind == ExprKind::kBind);
    CHECK(e.name == "v");
    CHECK_FALSE(e.target);
    CHECK(e.args.size() == 2);
  }
}

TEST_CASE("macros can be switched off") {
  ParserOptions options;
  options.enable_macros = false;
  check_dumps({{"m.all(v, f)", "m.all(v, f)"}, {"cel.bind(x, 1, x)", "cel.bind(x, 1, x)"}},
              options);
  const auto r = parse("has(a.b)", options);
  REQUIRE(r.ok());
  CHECK(r.expr.root->kind == ExprKind::kCall);
  CHECK(parse("has(a)", options).ok());
}

TEST_CASE("word operators and, or, not") {
  check_dumps({
      {"a and b", "_&&_(a, b)"},
      {"a or b", "_||_(a, b)"},
      {"a or b and c", "_||_(a, _&&_(b, c))"},
      {"a and b or c and d", "_||_(_&&_(a, b), _&&_(c, d))"},
      {"not a", "!_(a)"},
      {"not (a || b)", "!_(_||_(a, b))"},
      {"not(a)", "!_(a)"},
      {"not has(x.y)", "!_(has(x.y))"},
      {"not not a", "!_(!_(a))"},
      {"not !a", "!_(!_(a))"},
      {"not true", "!_(true)"},
      {"not 'x'", "!_(\"x\")"},
      {"a and not b", "_&&_(a, !_(b))"},
      {"not a == b", "_==_(!_(a), b)"},
      {"x > 1 and y < 2 or not z", "_||_(_&&_(_>_(x, 1), _<_(y, 2)), !_(z))"},
      {"a and b ? c : d", "_?_:_(_&&_(a, b), c, d)"},
      // Everywhere else they are identifiers, so standard CEL keeps its meaning.
      {"and", "and"},
      {"or", "or"},
      {"not", "not"},
      {"not.x", "not.x"},
      {"not[0]", "_[_](not, 0)"},
      {"not - 1", "_-_(not, 1)"},
      {"not + 1", "_+_(not, 1)"},
      {"not in l", "@in(not, l)"},
      {"and + or", "_+_(and, or)"},
      {"and and and", "_&&_(and, and)"},
      {"x.and", "x.and"},
      {"x.not(y)", "x.not(y)"},
      {"f(and, or, not)", "f(and, or, not)"},
      {"l.all(not, not)", "all(not, l, not)"},
      {"[not]", "[not]"},
      {"{not: and}", "{not: and}"},
      {"'not' in ['and', 'or']", "@in(\"not\", [\"and\", \"or\"])"},
  });
}

TEST_CASE("word operators can be switched off") {
  ParserOptions options;
  options.word_operators = false;
  check_dumps({{"not(a)", "not(a)"}, {"and", "and"}, {"a && b", "_&&_(a, b)"}}, options);
  check_errors({{"a and b", "cel.syntax", 2, "expected an operator but found 'and'"},
                {"not a", "cel.syntax", 4, "expected an operator but found 'a'"}},
               options);
}

TEST_CASE("syntax errors say what was expected and what was found") {
  check_errors({
      {"", "cel.syntax", 0, "unexpected end of expression; expected an operand"},
      {"   ", "cel.syntax", 3, "unexpected end of expression; expected an operand"},
      {"1 +", "cel.syntax", 3, "unexpected end of expression; expected an operand"},
      {"1 + +", "cel.syntax", 4, "expected an operand but found '+'"},
      {"(a, b)", "cel.syntax", 2, "expected ')' but found ','"},
      {"(a", "cel.syntax", 2, "unexpected end of expression; expected ')'"},
      {"a b", "cel.syntax", 2, "expected an operator but found 'b'"},
      {"1 + 2\n3 +", "cel.syntax", 6, "expected an operator but found '3'"},
      {"a)", "cel.syntax", 1, "expected end of expression but found ')'"},
      {"f(a,)", "cel.syntax", 4, "expected an operand but found ')'"},
      {"f(a b)", "cel.syntax", 4, "expected ',' or ')' but found 'b'"},
      {"f(a", "cel.syntax", 3, "unexpected end of expression; expected ',' or ')'"},
      {"[1 2]", "cel.syntax", 3, "expected ',' or ']' but found '2'"},
      {"[,]", "cel.syntax", 1, "expected an operand but found ','"},
      {"[1,,2]", "cel.syntax", 3, "expected an operand but found ','"},
      {"a[1", "cel.syntax", 3, "unexpected end of expression; expected ']'"},
      {"{a}", "cel.syntax", 2, "expected ':' but found '}'"},
      {"{:a}", "cel.syntax", 1, "expected an operand but found ':'"},
      {"{", "cel.syntax", 1, "unexpected end of expression; expected an operand"},
      {"{1: 2 3: 4}", "cel.syntax", 6, "expected ',' or '}' but found '3'"},
      {"a ? b", "cel.syntax", 5, "unexpected end of expression; expected ':'"},
      {"a ? b ? c : d : e", "cel.syntax", 6, "expected ':' but found '?'"},
      {"?", "cel.syntax", 0, "expected an operand but found '?'"},
      {"a.", "cel.syntax", 2, "unexpected end of expression; expected a field name after '.'"},
      {"a.1", "cel.syntax", 1, "expected an operator but found '.1'"},
      {"self.true == 1", "cel.syntax", 5, "expected a field name after '.' but found 'true'",
       "to select a field with this name, quote it: `true`"},
      {"{\"a\": 1}.\"a\"", "cel.syntax", 9, "expected a field name after '.' but found '\"a\"'"},
      {".", "cel.syntax", 1, "unexpected end of expression; expected an identifier after '.'"},
      {"in", "cel.syntax", 0, "expected an operand but found 'in'"},
      {"--", "cel.syntax", 2, "unexpected end of expression; expected an operand"},
      {"!-x", "cel.syntax", 1, "expected an operand but found '-'",
       "CEL does not allow '-' right after '!'; write !(-x)"},
      {"-!x", "cel.syntax", 1, "expected an operand but found '!'",
       "CEL does not allow '!' right after '-'; write -(!x)"},
      {"TestAllTypes(){}", "cel.syntax", 14, "expected end of expression but found '{'"},
      {"a.`b.c`()", "cel.syntax", 2, "a quoted name cannot be called as a function"},
      {"`b-c`", "cel.syntax", 0,
       "a quoted name such as '`b-c`' is allowed only as a field name after '.'"},
      {"'abc", "cel.syntax", 0, "unterminated string literal"},
      {"a | b", "cel.syntax", 2, "unexpected character '|'", "use '||' for a logical or"},
      {"1 + $", "cel.syntax", 4, "unexpected character '$'"},
      {"      '\xf0\x9f\x98\x81' in ['\xf0\x9f\x98\x81']\n\t\t\t&& in.x", "cel.syntax", 31,
       "expected an operand but found 'in'"},
      // The first error wins, whether the lexer or the parser finds it.
      {"a b $", "cel.syntax", 2, "expected an operator but found 'b'"},
      {"a $ b", "cel.syntax", 2, "unexpected character '$'"},
  });
}

TEST_CASE("reserved words cannot be identifiers") {
  const char* words[] = {"as",        "break",  "const",  "continue", "else", "for",
                         "function",  "if",     "import", "let",      "loop", "package",
                         "namespace", "return", "var",    "void",     "while"};
  for (const char* word : words) {
    const std::string message =
        std::string("reserved word '") + word + "' cannot be used as an identifier";
    check_errors({
        {word, "cel.syntax", 0, message.c_str()},
        {std::string(word) + "(x)", "cel.syntax", 0, message.c_str()},
        {std::string("1 + .") + word, "cel.syntax", 5, message.c_str()},
    });
    CHECK(parse(std::string("a.") + word).ok());
    CHECK(parse(std::string("a.") + word + "()").ok());
  }
  check_errors({{"[1, 2, 3].map(var, var * var)", "cel.syntax", 14,
                 "reserved word 'var' cannot be used as an identifier"}});
}

TEST_CASE("unsupported syntax gets its own message") {
  const char* message_hint =
      "safeguard has no protobuf messages; use a map literal such as {'key': value}";
  check_errors({
      {"foo{ }", "cel.syntax", 3, "message construction is not supported", message_hint},
      {"foo{a: b}", "cel.syntax", 3, "message construction is not supported"},
      {"a.b.C{x: 1}", "cel.syntax", 5, "message construction is not supported"},
      {".Foo{}", "cel.syntax", 4, "message construction is not supported"},
      {"TestAllTypes{}()", "cel.syntax", 12, "message construction is not supported"},
      {"func{{a}}", "cel.syntax", 4, "message construction is not supported"},
      {"x{.", "cel.syntax", 1, "message construction is not supported"},
  });
}

TEST_CASE("parser reads cel-go's optional syntax") {
  check_dumps({
      {"a.?b", "_?._(a, \"b\")"},
      {"a.?b.c", "_?._(a, \"b\").c"},
      {"a.?`b-c`", "_?._(a, \"b-c\")"},
      {"a[?b]", "_[?_](a, b)"},
      {"a[?0][1]", "_[_](_[?_](a, 0), 1)"},
      {"[?a, b, ?c]", "[?a, b, ?c]"},
      {"{?'k': v, 'j': w}", "{?\"k\": v, \"j\": w}"},
      {"o.optMap(x, x + 1)", "optMap(x, o, _+_(x, 1))"},
      {"o.optFlatMap(x, x.?y)", "optFlatMap(x, o, _?._(x, \"y\"))"},
      {"optional.of(1).orValue(2)", "optional.of(1).orValue(2)"},
      // Not the macros with another arity: ordinary calls.
      {"o.optMap(x)", "o.optMap(x)"},
  });
  check_errors({
      {"a.?b()", "cel.syntax", 3, "'.?' selects a field; it cannot call a function",
       "write .? before a field name, or . before a call"},
      {"a.?1", "cel.syntax", 3, "expected a field name after '.?' but found '1'"},
      {"a.?", "cel.syntax", 3, "unexpected end of expression; expected a field name after '.?'"},
      {"a[?]", "cel.syntax", 3, "expected an operand but found ']'"},
      {"[?]", "cel.syntax", 2, "expected an operand but found ']'"},
      {"o.optMap(1, x)", "cel.syntax", 9,
       "the first argument of optMap() must be the iteration variable, a simple identifier",
       "e.g. m.?name.optMap(n, n.size())"},
  });
}

TEST_CASE("macro arguments are checked") {
  check_errors({
      {"has(m)", "cel.syntax", 4, "invalid argument to has() macro",
       "has() takes a field selection, e.g. has(case.referral) or has(m.key)"},
      {"has(m[0])", "cel.syntax", 4, "invalid argument to has() macro"},
      {"has(m.f())", "cel.syntax", 4, "invalid argument to has() macro"},
      {"has(1)", "cel.syntax", 4, "invalid argument to has() macro"},
      {"1.all(2, 3)", "cel.syntax", 6,
       "the first argument of all() must be the iteration variable, a simple identifier"},
      {"m.filter(a.b, false)", "cel.syntax", 9,
       "the first argument of filter() must be the iteration variable, a simple identifier"},
      {"m.map(.x, x)", "cel.syntax", 6,
       "the first argument of map() must be the iteration variable, a simple identifier"},
      {"cel.bind(1, 2, 3)", "cel.syntax", 9,
       "the first argument of cel.bind() must be the variable, a simple identifier"},
  });
}

TEST_CASE("bad literals are cel.invalid-literal errors") {
  check_errors({
      {"9223372036854775808", "cel.invalid-literal", 0,
       "integer literal '9223372036854775808' is out of range",
       "add a 'u' suffix for an unsigned integer"},
      {"-9223372036854775809", "cel.invalid-literal", 0,
       "integer literal '-9223372036854775809' is out of range"},
      {"- 9223372036854775809", "cel.invalid-literal", 0,
       "integer literal '-9223372036854775809' is out of range"},
      {"--9223372036854775808", "cel.invalid-literal", 2,
       "integer literal '9223372036854775808' is out of range"},
      {"0x8000000000000000", "cel.invalid-literal", 0,
       "integer literal '0x8000000000000000' is out of range"},
      {"0xFFFFFFFFFFFFFFFFF", "cel.invalid-literal", 0,
       "integer literal '0xFFFFFFFFFFFFFFFFF' is out of range"},
      {"1 + 123456789012345678901234567890", "cel.invalid-literal", 4,
       "integer literal '12345678901234567890...' is out of range"},
      {"18446744073709551616u", "cel.invalid-literal", 0,
       "unsigned integer literal '18446744073709551616...' is out of range"},
      {"0xFFFFFFFFFFFFFFFFFu", "cel.invalid-literal", 0,
       "unsigned integer literal '0xFFFFFFFFFFFFFFFFFu' is out of range"},
      {"1.99e90000009", "cel.invalid-literal", 0, "double literal '1.99e90000009' is out of range"},
      {"-1e309", "cel.invalid-literal", 0, "double literal '-1e309' is out of range"},
      {"'\\xFh'", "cel.invalid-literal", 1,
       "invalid escape sequence '\\xFh': expected 2 hexadecimal digits after '\\x'"},
      {"'\\u12'", "cel.invalid-literal", 1,
       "invalid escape sequence '\\u12': expected 4 hexadecimal digits after '\\u'"},
      {"'a\\>'", "cel.invalid-literal", 2, "invalid escape sequence '\\>'"},
      {"'\\400'", "cel.invalid-literal", 1, "invalid escape sequence '\\4'"},
      {"'\\08'", "cel.invalid-literal", 1,
       "invalid escape sequence '\\08': expected 3 octal digits"},
      {"'\\\xc3\xa9'", "cel.invalid-literal", 1, "invalid escape sequence '\\\xc3\xa9'"},
      {"'''a\\q'''", "cel.invalid-literal", 4, "invalid escape sequence '\\q'"},
      {"'\\udead' == '\\ufffd'", "cel.invalid-literal", 1,
       "escape sequence '\\udead' is not a valid Unicode code point",
       "surrogate halves cannot appear in CEL strings"},
      {"'\\U00110000'", "cel.invalid-literal", 1,
       "escape sequence '\\U00110000' is not a valid Unicode code point"},
      {"b'\\u0041'", "cel.invalid-literal", 2,
       "escape sequence '\\u' is not allowed in a bytes literal"},
      {"b'\\U00000041'", "cel.invalid-literal", 2,
       "escape sequence '\\U' is not allowed in a bytes literal"},
  });
}

TEST_CASE("limits on length, encoding and nesting") {
  ParserOptions short_limit;
  short_limit.max_length = 3;
  check_errors({{"abcd", "cel.limit", 3, "expression is too long (4 bytes; the limit is 3)"}},
               short_limit);
  CHECK(parse("abc", short_limit).ok());

  check_errors({
      {"'\xff'", "cel.invalid-utf8", 1,
       "the expression is not valid UTF-8 (invalid byte sequence at byte 1)"},
      {"a + \xc3", "cel.invalid-utf8", 4,
       "the expression is not valid UTF-8 (invalid byte sequence at byte 4)"},
  });

  ParserOptions shallow;
  shallow.max_depth = 5;
  const char* too_deep = "expression nests too deeply (the limit is 5)";
  // Parser recursion: four parentheses around the top level make five levels.
  CHECK(parse("((((7))))", shallow).ok());
  check_errors({{"(((((7)))))", "cel.limit", 5, too_deep}}, shallow);
  // Tree height: the longest root-to-leaf path may hold five nodes.
  CHECK(parse("a.b.c.d.e", shallow).ok());
  check_errors({{"a.b.c.d.e.f", "cel.limit", 9, too_deep}}, shallow);
  CHECK(parse("1+1+1+1+1", shallow).ok());
  check_errors({{"1+1+1+1+1+1", "cel.limit", 9, too_deep}}, shallow);
  CHECK(parse("[[[[1]]]]", shallow).ok());
  check_errors({{"[[[[[1]]]]]", "cel.limit", 5, too_deep}}, shallow);
  CHECK(parse("!!!!a", shallow).ok());
  check_errors({{"!!!!!a", "cel.limit", 0, too_deep}}, shallow);
  check_errors({{"a ? b : c ? d : e ? f : g ? h : i ? j : k", "cel.limit", 2, too_deep}}, shallow);
  // Balanced && and || chains stay shallow.
  CHECK(parse("a || b || c || d || e || f || g || h || i || j || k || l || m || n", shallow).ok());
}

TEST_CASE("no input overflows the stack") {
  const std::size_t n = 100000;
  const char* too_deep = "expression nests too deeply (the limit is 128)";
  const std::string inputs[] = {
      repeat("(", n),           repeat("(", n) + "1" + repeat(")", n),
      repeat("-", n) + "1",     repeat("!", n) + "a",
      repeat("[", n),           repeat("{1:", n),
      repeat("f(", n),          repeat("-(", n),
      "a" + repeat(".b", n),    "a" + repeat("[0]", n),
      "a" + repeat(".f()", n),  "1" + repeat("+1", n),
      "a" + repeat(" == a", n), repeat("a ? b : ", n) + "c",
      repeat("a ? (", n) + "b", repeat("not ", n) + "a",
  };
  ParserOptions long_inputs;
  long_inputs.max_length = 16 * 1024 * 1024;
  for (const std::string& input : inputs) {
    INFO(input.substr(0, 20));
    const ParseResult result = parse(input, long_inputs);
    REQUIRE_FALSE(result.ok());
    CHECK(result.issues[0].code == "cel.limit");
    CHECK(result.issues[0].message == too_deep);
  }
  // Long balanced chains and long flat lists are fine.
  for (const char* op : {" || ", " && ", " or ", " and "}) {
    const ParseResult chain = parse("a" + repeat(std::string(op) + "a", 10000), long_inputs);
    CHECK(chain.ok());
    CHECK(chain.expr.node_count == 20001);
  }
  CHECK(parse("[" + repeat("1, ", n) + "1]", long_inputs).ok());
  CHECK(parse(repeat(" ", n) + "1", long_inputs).ok());
  CHECK(parse(repeat("// c\n", n) + "1", long_inputs).ok());
}

TEST_CASE("nodes record their source range and anchor") {
  // 0         1         2
  // 0123456789012345678901234567
  // a.b(c) + x[0] * -1 > (y) ? 'z' : .w
  const std::string text = "a.b(c) + x[0] * -1 > (y) ? 'z' : .w";
  const auto r = parse(text);
  REQUIRE(r.ok());
  check_invariants(r);
  auto span = [&](const Expr& e) {
    return std::string(text.substr(e.begin, e.end - e.begin)) + " @" + std::to_string(e.offset);
  };
  const Expr& cond = *r.expr.root;
  CHECK(span(cond) == text + " @25");
  const Expr& gt = *cond.args[0];
  CHECK(span(gt) == "a.b(c) + x[0] * -1 > (y) @19");
  const Expr& plus = *gt.args[0];
  CHECK(span(plus) == "a.b(c) + x[0] * -1 @7");
  CHECK(span(*plus.args[0]) == "a.b(c) @1");
  CHECK(span(*plus.args[0]->target) == "a @0");
  CHECK(span(*plus.args[0]->args[0]) == "c @4");
  const Expr& times = *plus.args[1];
  CHECK(span(times) == "x[0] * -1 @14");
  CHECK(span(*times.args[0]) == "x[0] @10");
  CHECK(span(*times.args[1]) == "-1 @16");
  CHECK(span(*gt.args[1]) == "(y) @22");
  CHECK(span(*cond.args[1]) == "'z' @27");
  CHECK(span(*cond.args[2]) == ".w @34");

  const std::string macros = "has(a.b) && l.all(x, !x) && f(m)";
  const auto m = parse(macros);
  REQUIRE(m.ok());
  check_invariants(m);
  auto mspan = [&](const Expr& e) {
    return std::string(macros.substr(e.begin, e.end - e.begin)) + " @" + std::to_string(e.offset);
  };
  const Expr& all_and = *m.expr.root;  // (has && all) && f
  CHECK(mspan(*all_and.args[0]->args[0]) == "has(a.b) @3");
  CHECK(mspan(*all_and.args[0]->args[1]) == "l.all(x, !x) @13");
  CHECK(mspan(*all_and.args[1]) == "f(m) @29");

  const auto map = parse("{1: 2}");
  REQUIRE(map.ok());
  CHECK(map.expr.root->entries[0].offset == 2);
}

TEST_CASE("ids are dense and follow creation order") {
  const auto r = parse("a + b * c");
  REQUIRE(r.ok());
  const Expr& plus = *r.expr.root;
  CHECK(plus.args[0]->id == 1);
  CHECK(plus.args[1]->args[0]->id == 2);
  CHECK(plus.args[1]->args[1]->id == 3);
  CHECK(plus.args[1]->id == 4);
  CHECK(plus.id == 5);
  CHECK(r.expr.node_count == 5);

  // The macro variable and the select inside has() leave no gaps.
  const auto m = parse("l.exists(x, has(x.y))");
  REQUIRE(m.ok());
  check_invariants(m);
  CHECK(m.expr.node_count == 4);
  CHECK(m.expr.root->id == 4);
}

TEST_CASE("constants have the right kinds and values") {
  auto constant = [](const char* text) {
    auto r = parse(text);
    REQUIRE(r.ok());
    REQUIRE(r.expr.root->kind == ExprKind::kLiteral);
    return r.expr.root->constant;
  };
  CHECK(constant("-9223372036854775808").int_value == INT64_MIN);
  CHECK(constant("0x7fffffffffffffff").int_value == INT64_MAX);
  CHECK(constant("18446744073709551615u").uint_value == UINT64_MAX);
  CHECK(constant("1.5").kind == ConstantKind::kDouble);
  CHECK(constant("-2.5").double_value == -2.5);
  CHECK(constant("4e-320").double_value > 0);  // subnormal, not an error
  CHECK(constant("null").kind == ConstantKind::kNull);
  CHECK(constant("true").bool_value);
  const auto bytes = constant("b'\\xff\\000a'");
  CHECK(bytes.kind == ConstantKind::kBytes);
  CHECK(bytes.string_value == std::string("\xff\0a", 3));
  const auto str = constant("'\\xff'");
  CHECK(str.kind == ConstantKind::kString);
  CHECK(str.string_value == "\xc3\xbf");
}

TEST_CASE("random inputs never crash the parser") {
  // Fragments of valid and invalid CEL glued at random; every successful parse must
  // satisfy the tree invariants. Run under the address sanitizer, this is a small fuzzer.
  const char* fragments[] = {
      "a",        "b.c",      "1",    "-",
      "!",        "(",        ")",    "[",
      "]",        "{",        "}",    ",",
      ":",        "?",        ".",    "+",
      "*",        "==",       "in",   "&&",
      "||",       "and",      "or",   "not",
      " ",        "'s'",      "b'x",  "'''",
      "\\",       "0x",       "1u",   "1.5",
      "e5",       "has",      "all",  "map",
      "(x",       ", y)",     "`q`",  "\n",
      "//",       "r'",       "\"",   "9223372036854775808",
      "cel.bind", "\xc3\xa9", "\xff", "$",
      "=",        "|",        "&",    "true",
      "null",     "while",
  };
  const std::size_t count = sizeof fragments / sizeof fragments[0];
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::size_t> pick(0, count - 1);
  std::uniform_int_distribution<int> length(1, 24);
  ParserOptions options;
  options.max_depth = 12;
  int successes = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int k = length(rng); k > 0; --k) text += fragments[pick(rng)];
    // An exactly sized heap buffer, so that the address sanitizer sees any overread.
    const std::vector<char> buffer(text.begin(), text.end());
    const ParseResult result = parse(std::string_view(buffer.data(), buffer.size()), options);
    if (result.ok()) {
      ++successes;
      check_invariants(result);
    } else {
      REQUIRE(result.issues.size() == 1);
      CHECK(result.issues[0].offset <= text.size());
      CHECK(result.issues[0].message.size() < 200);
    }
  }
  CHECK(successes > 0);
}

TEST_CASE("cel-spec's recursion examples exceed a limit of 32") {
  ParserOptions options;
  options.max_depth = 32;
  std::string plus = "1";
  std::string less = "a";
  std::string index = "a";
  for (int i = 2; i <= 34; ++i) plus += " + " + std::to_string(i);
  for (int i = 1; i <= 33; ++i) less += " < " + std::to_string(i);
  for (int i = 1; i <= 33; ++i) index += "[" + std::to_string(i) + "]";
  const std::string inputs[] = {
      repeat("[", 32) + "'not fine'" + repeat("]", 32),
      "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F.G.H",
      plus,
      less,
      index,
  };
  for (const std::string& input : inputs) {
    INFO(input);
    const ParseResult result = parse(input, options);
    REQUIRE_FALSE(result.ok());
    CHECK(result.issues[0].message == "expression nests too deeply (the limit is 32)");
  }
  // One level less is fine.
  CHECK(parse(repeat("[", 31) + "'fine'" + repeat("]", 31), options).ok());
  CHECK(parse("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F", options).ok());
}
