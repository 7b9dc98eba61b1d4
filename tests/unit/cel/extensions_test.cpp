// cel-go's extension libraries as safeguard implements them (math, sets, encoders, the
// two-variable comprehensions and optional types): what the conformance files do not cover, namely
// checked types, check and parse errors with their hints, namespace resolution, the
// evaluation budget, and values read in place from a JSON document.
#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cel/check/checker.hpp"
#include "cel/compile/planner.hpp"
#include "cel/parse/parser.hpp"
#include "cel/value/describe.hpp"
#include "cel/value/to_json.hpp"
#include "snapshot/parsed_json.hpp"

using safeguard::cel::Checker;
using safeguard::cel::Env;
using safeguard::cel::EvalLimits;
using safeguard::cel::ParsedExpr;
using safeguard::cel::Planner;
using safeguard::cel::PlanOptions;
using safeguard::cel::Program;
using safeguard::cel::Value;
namespace types = safeguard::cel::types;

namespace {

constexpr const char* kVars = R"({
  "r": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  "tags": ["a", "b"],
  "codes": {"n1": "neglect", "p2": "physical"},
  "rec": {"name": null, "age": 3}
})";

// Typed variables for the checker, and the same names read in place from kVars (as dyn)
// for evaluation.
class Fixture {
 public:
  Fixture() {
    safeguard::snapshot::JsonParser parser;
    safeguard::snapshot::JsonError error;
    REQUIRE(parser.parse(kVars, json_, &error));
    const auto* doc = json_.doc();
    const std::uint32_t end = static_cast<std::uint32_t>(doc->tape[doc->root]) - 1;
    for (std::uint32_t k = doc->root + 1; k < end; k = safeguard::cel::json_after(doc, k + 1)) {
      const std::string_view key = safeguard::cel::json_string(doc, k);
      env_.add_variable(std::string(key), types::dyn());
      globals_.push_back(safeguard::cel::json_value(doc, k + 1));
    }
    auto& store = typed_.types();
    typed_.add_variable("i", types::int64());
    typed_.add_variable("d", types::real());
    typed_.add_variable("s", types::string());
    typed_.add_variable("l", store.list(types::int64()));
    typed_.add_variable("ls", store.list(types::string()));
    typed_.add_variable("m", store.map(types::string(), types::int64()));
    typed_.add_variable("sets", store.map(types::string(), types::int64()));
  }

  const ParsedExpr* parse(std::string_view text) {
    auto result = safeguard::cel::parse(text);
    INFO(text);
    REQUIRE(result.ok());
    parsed_.push_back(std::move(result.expr));
    return &parsed_.back();
  }

  // The root's type, or "ERROR <code>: <message> [<hint>]" for the first issue.
  std::string check(std::string_view text) {
    Checker checker(typed_);
    const auto* tree = checker.check(*parse(text), 0);
    if (checker.issues().empty()) return safeguard::cel::type_name(tree->type_of(*tree->ast->root));
    const auto& issue = checker.issues().front().issue;
    std::string out = "ERROR " + issue.code + ": " + issue.message;
    if (!issue.hint.empty()) out += " [" + issue.hint + "]";
    return out;
  }

  // The value as JSON, or "error <kind>".
  std::string eval(std::string_view text, const EvalLimits& limits = {},
                   const PlanOptions& plan = {}) {
    checkers_.push_back(std::make_unique<Checker>(env_));
    Checker& checker = *checkers_.back();
    const auto* tree = checker.check(*parse(text), 0);
    INFO(text);
    REQUIRE_FALSE(checker.has_errors());
    Planner planner(env_, checker, plan);
    planner.add_root(*tree);
    REQUIRE(planner.issues().empty());
    std::unique_ptr<Program> program = planner.finish();
    safeguard::cel::Frame frame;
    program->prepare(frame, limits);
    for (std::size_t i = 0; i < globals_.size(); ++i) frame.slots()[i] = globals_[i];
    frame.doc = json_.doc();
    const Value v = program->root(0)->eval(frame);
    if (!v.is_error()) return safeguard::cel::to_json(v);
    return "error " + safeguard::cel::describe(*v.error).kind;
  }

  // Evaluates with and without constant folding and invariant caching (most of these
  // expressions are constants, which the planner would otherwise fold).
  void rows(const std::vector<std::pair<const char*, const char*>>& rows) {
    PlanOptions plain;
    plain.fold_constants = false;
    plain.cache_invariants = false;
    for (const auto& [expr, expected] : rows) {
      INFO(expr);
      CHECK(eval(expr) == expected);
      CHECK(eval(expr, {}, plain) == expected);
    }
  }

  // The first parse error's message, or "" when the text parses.
  static std::string parse_error(std::string_view text,
                                 const safeguard::cel::ParserOptions& options = {}) {
    auto result = safeguard::cel::parse(text, options);
    return result.ok() ? "" : result.issues.front().message;
  }

 private:
  safeguard::snapshot::ParsedJson json_;
  Env env_;
  Env typed_;
  std::vector<Value> globals_;
  std::deque<ParsedExpr> parsed_;
  std::vector<std::unique_ptr<Checker>> checkers_;
};

}  // namespace

TEST_CASE("math and sets functions are namespaced globals with cel-go's types") {
  Fixture f;
  CHECK(f.check("math.greatest(1)") == "int");
  CHECK(f.check("math.greatest(1, i)") == "int");
  CHECK(f.check("math.greatest(1u, 2u, 3u)") == "uint");
  CHECK(f.check("math.greatest(l)") == "int");
  CHECK(f.check("math.least(d, 1.0)") == "double");
  // Mixed kinds are declared dyn, as in cel-go: the result is whichever argument won.
  CHECK(f.check("math.least(i, d)") == "dyn");
  CHECK(f.check("math.least(1, 2.0, 3u)") == "dyn");
  CHECK(f.check("math.abs(i)") == "int");
  CHECK(f.check("math.sign(d)") == "double");
  CHECK(f.check("math.round(d)") == "double");
  CHECK(f.check("math.isNaN(d)") == "bool");
  CHECK(f.check("math.bitShiftLeft(1u, i)") == "uint");
  CHECK(f.check("sets.contains(l, [1, 2])") == "bool");
  CHECK(f.check("sets.intersects(ls, ['a'])") == "bool");
  CHECK(f.check("base64.encode(b'x')") == "string");
  CHECK(f.check("base64.decode(s)") == "bytes");
  // A declared variable named like the namespace does not hide the library function (as
  // in cel-go), and its own fields and functions still work.
  CHECK(f.check("sets.contains(l, l) && sets.a > 0 && sets.size() > 0") == "bool");
}

TEST_CASE("math and sets: check errors name the qualified function") {
  Fixture f;
  CHECK(f.check("math.sing(i)") ==
        "ERROR cel.undeclared-function: undeclared function 'math.sing' [did you mean "
        "'math.sign'?]");
  const std::string unknown = f.check("math.hypot(1.0, 2.0)");
  CHECK(unknown.rfind("ERROR cel.undeclared-function: undeclared function 'math.hypot' [the "
                      "math functions are math.ceil, ",
                      0) == 0);
  CHECK(unknown.find("@") == std::string::npos);  // math.@max is not a name to offer
  CHECK(f.check("math.abs(s)") ==
        "ERROR cel.no-matching-overload: no matching overload for 'math.abs' applied to "
        "(string) [accepted forms: math.abs(double) -> double; math.abs(int) -> int; "
        "math.abs(uint) -> uint]");
  CHECK(f.check("math.abs(1, 2)") ==
        "ERROR cel.wrong-arity: no form of 'math.abs' takes 2 argument(s)");
  CHECK(
      f.check("math.greatest(s, 1)")
          .rfind("ERROR cel.no-matching-overload: no matching overload for 'math.greatest' applied "
                 "to (string, int)",
                 0) == 0);
  // contains() on a list is the sets function here, not a misuse of string contains().
  CHECK(f.check("sets.contains(l, ls)").find("contains() is for text") == std::string::npos);
  // An unknown namespace stays an undeclared identifier.
  CHECK(f.check("maths.abs(1)") == "ERROR cel.undeclared: undeclared reference to 'maths'");
}

TEST_CASE("math.greatest and math.least are macros with cel-go's parse errors") {
  CHECK(Fixture::parse_error("math.greatest()") ==
        "math.greatest() requires at least one argument");
  CHECK(Fixture::parse_error("math.least('a')") == "math.least() invalid single argument value");
  CHECK(Fixture::parse_error("math.least([])") == "math.least() invalid single argument value");
  CHECK(Fixture::parse_error("math.greatest(1, 'a')") ==
        "math.greatest() simple literal arguments must be numeric");
  CHECK(Fixture::parse_error("math.greatest(1, [2])") ==
        "math.greatest() simple literal arguments must be numeric");
  CHECK(Fixture::parse_error("math.greatest(x, y.z, f(1))").empty());
  // Three or more arguments become a list node: its height counts towards the limit.
  safeguard::cel::ParserOptions options;
  options.max_depth = 12;
  std::string nested = "1";
  for (int k = 0; k < 10; ++k) nested = "math.greatest(0, 1, " + nested + ")";
  CHECK(Fixture::parse_error(nested, options).find("nests too deeply") != std::string::npos);
}

TEST_CASE("math: values, mixed kinds and errors") {
  Fixture f;
  f.rows({
      {"math.greatest(r)", "10"},
      {"math.least(r)", "1"},
      {"math.greatest(1, 1.0)", "1"},  // a tie keeps the first, as in cel-go
      {"type(math.least(1.0, 1)) == double", "true"},
      {"math.greatest(-1, 0u)", "0"},
      {"math.greatest(dyn([]))", "error invalid-argument"},
      {"math.greatest(dyn(['a']))", "error no-matching-overload"},
      {"math.greatest(1.0, 0.0 / 0.0)", "error invalid-argument"},
      {"math.abs(-9223372036854775807 - 1)", "error overflow"},
      {"math.sign(-0.0) == 0.0 && type(math.sign(-0.0)) == double", "true"},
      {"math.isNaN(math.sign(0.0 / 0.0))", "true"},
      {"math.bitShiftLeft(1, 63) == -9223372036854775807 - 1", "true"},
      {"math.bitShiftLeft(1, 64)", "0"},
      {"math.bitShiftRight(-1, 63)", "1"},
      {"math.bitShiftRight(1, -1)", "error invalid-argument"},
      {"math.round(2.5) == 3.0 && math.round(-2.5) == -3.0", "true"},
      {"math.trunc(-2.7) == -2.0 && math.floor(-2.2) == -3.0 && math.ceil(2.2) == 3.0", "true"},
  });
}

TEST_CASE("sets: CEL equality across kinds, JSON lists, and one step per pair compared") {
  Fixture f;
  f.rows({
      {"sets.contains(r, [1u, 2.0, 10])", "true"},
      {"sets.contains(r, [11])", "false"},
      {"sets.contains(r, [])", "true"},
      {"sets.contains([], r)", "false"},
      {"sets.equivalent([1, 1, 2], [2.0, 1u])", "true"},
      {"sets.equivalent(r, [1])", "false"},
      {"sets.intersects(tags, ['x', 'b'])", "true"},
      {"sets.intersects(tags, [])", "false"},
      {"sets.contains([[1], [2]], [[2]])", "true"},
      {"sets.contains([{'a': 1}], [{'a': dyn(1.0)}])", "true"},
  });
  // contains(r, r) finds element k after k comparisons: 1 + 2 + ... + 10 = 55 steps.
  EvalLimits limits;
  limits.max_iterations = 55;
  CHECK(f.eval("sets.contains(r, r)", limits) == "true");
  limits.max_iterations = 54;
  CHECK(f.eval("sets.contains(r, r)", limits) == "error budget-exceeded");
  // Nothing in common: every pair is compared, 10 x 10.
  limits.max_iterations = 99;
  CHECK(f.eval("sets.intersects(r, r.map(x, x + 100))", limits) == "error budget-exceeded");
}

TEST_CASE("base64: cel-go's alphabet and padding rules") {
  Fixture f;
  f.rows({
      {"base64.encode(b'')", "\"\""},
      {"base64.encode(b'a')", "\"YQ==\""},
      {"base64.encode(b'ab')", "\"YWI=\""},
      {"base64.encode(b'abc')", "\"YWJj\""},
      {"base64.encode(b'\\xff\\xfe')", "\"//4=\""},
      {"string(base64.decode('YWI='))", "\"ab\""},
      {"string(base64.decode('YWI'))", "\"ab\""},
      {"string(base64.decode('YW\\nI='))", "\"ab\""},
      {"base64.decode('YWI')== base64.decode('YWJ')", "true"},  // unused bits are ignored
      {"base64.decode('Y')", "error invalid-argument"},
      {"base64.decode('YQ=')", "error invalid-argument"},
      {"base64.decode('Y===')", "error invalid-argument"},
      {"base64.decode('YW-=')", "error invalid-argument"},
      {"base64.decode('YQ==YQ==')", "error invalid-argument"},
  });
}

TEST_CASE("two-variable macros: the index or key and the element or value have their types") {
  Fixture f;
  CHECK(f.check("l.all(i, v, i < v)") == "bool");
  CHECK(f.check("l.exists(i, v, i == 0 && v > 2)") == "bool");
  CHECK(f.check("m.existsOne(k, v, k.startsWith('a') && v > 1)") == "bool");
  CHECK(f.check("m.exists_one(k, v, v == 1)") == "bool");
  CHECK(f.check("l.transformList(i, v, double(i) * d + double(v))") == "list(double)");
  CHECK(f.check("ls.transformList(i, v, i > 0, v + 'x')") == "list(string)");
  CHECK(f.check("l.transformMap(i, v, v * 2)") == "map(int, int)");
  CHECK(f.check("m.transformMap(k, v, v > 1, k)") == "map(string, string)");
  CHECK(f.check("m.transformMapEntry(k, v, {v: k})") == "map(int, string)");
  // One- and two-variable macros nest, each seeing the other's variables.
  CHECK(f.check("m.all(k, v, l.exists(x, x == v) && ls.all(i, s, s != k || i > 0))") == "bool");
  // The variables are local to the macro.
  CHECK(f.check("l.all(i, v, v > 0) && i > 0") == "bool");  // the outer i is the variable
  CHECK(f.check("l.all(n, v, v > 0) || n > 0") ==
        "ERROR cel.undeclared: undeclared reference to 'n' [did you mean 'd'?]");
}

TEST_CASE("two-variable macros: check and parse errors") {
  Fixture f;
  CHECK(f.check("l.all(i, v, v)") ==
        "ERROR cel.type-mismatch: the condition of this macro must be a bool, not int");
  CHECK(f.check("l.transformList(i, v, v, v)") ==
        "ERROR cel.type-mismatch: the condition of this macro must be a bool, not int");
  CHECK(f.check("l.transformList(i, v, v + s)") ==
        "ERROR cel.no-matching-overload: cannot apply '+' to int and string [to put a number "
        "into text convert it first: \"...\" + string(n)]");
  CHECK(f.check("i.exists(k, v, true)") ==
        "ERROR cel.not-iterable: cannot iterate over a value of type int (macros need a list or "
        "a map)");
  CHECK(f.check("l.transformMapEntry(i, v, v)") ==
        "ERROR cel.type-mismatch: transformMapEntry() needs a map of the entries to add, not int "
        "[e.g. m.transformMapEntry(k, v, {v: k})]");
  CHECK(Fixture::parse_error("l.all(i, i, true)") ==
        "the two variables of all() must have different names");
  CHECK(Fixture::parse_error("l.exists(i, v.w, true)") ==
        "the second argument of exists() must be a variable name, a simple identifier");
  CHECK(Fixture::parse_error("l.transformList(1, v, v)") ==
        "the first argument of transformList() must be a variable name, a simple identifier");
  // Other arities stay ordinary calls (and so are unknown functions when checked).
  CHECK(Fixture::parse_error("l.transformList(i, v)").empty());
  CHECK(Fixture::parse_error("l.existsOne(v, true)").empty());
}

TEST_CASE("two-variable macros over JSON lists and maps, errors and absorption") {
  Fixture f;
  f.rows({
      {"r.all(i, v, v == i + 1)", "true"},
      {"r.exists(i, v, i == 9 && v == 10)", "true"},
      {"r.existsOne(i, v, v % 5 == 0 && i < 5)", "true"},
      {"r.transformList(i, v, i < 2, v * 10)", "[10,20]"},
      {"tags.transformMap(i, t, t + string(i))", "{\"0\":\"a0\",\"1\":\"b1\"}"},
      {"codes.transformList(k, v, k + '=' + v)", "[\"n1=neglect\",\"p2=physical\"]"},
      {"codes.transformMapEntry(k, v, {v: k})", "{\"neglect\":\"n1\",\"physical\":\"p2\"}"},
      {"codes.exists(k, v, v == 'physical' && k == 'p2')", "true"},
      {"codes.transformMap(k, v, k != 'n1', size(v))", "{\"p2\":8}"},
      // exists absorbs an error another element outweighs; all likewise for false.
      {"r.exists(i, v, 10 / (5 - v) == 10 || v == 7)", "true"},
      {"r.all(i, v, 10 / (5 - v) > -100 && v < 3)", "false"},
      {"r.all(i, v, 10 / (5 - v) > -100)", "error divide-by-zero"},
      {"r.existsOne(i, v, 10 / (5 - v) == 10)", "error divide-by-zero"},
      {"r.transformList(i, v, 10 / (5 - v))", "error divide-by-zero"},
      {"r.transformMapEntry(i, v, {v % 3: i})", "error invalid-argument"},
      {"r.transformMapEntry(i, v, i)", "error no-matching-overload"},
      {"dyn(1).all(i, v, true)", "error no-matching-overload"},
      // A part that reads only the second variable is not cached across the elements,
      // nor one that reads only the first.
      {"r.transformList(i, v, [v].size() + v)", "[2,3,4,5,6,7,8,9,10,11]"},
      {"r.transformList(i, v, [i].size() + i)", "[1,2,3,4,5,6,7,8,9,10]"},
      {"r.transformList(i, v, r.exists(j, w, w == v && j == i))",
       "[true,true,true,true,true,true,true,true,true,true]"},
  });
}

TEST_CASE("two-variable macros: one budget step per element or entry, as one-variable macros") {
  Fixture f;
  EvalLimits limits;
  // 10 outer and 10 x 10 inner elements.
  limits.max_iterations = 110;
  CHECK(f.eval("r.all(i, v, r.all(j, w, v + w > 0))", limits) == "true");
  CHECK(f.eval("r.all(v, r.all(j, w, v + w > 0))", limits) == "true");
  limits.max_iterations = 109;
  CHECK(f.eval("r.all(i, v, r.all(j, w, v + w > 0))", limits) == "error budget-exceeded");
  CHECK(f.eval("r.transformList(i, v, r.transformList(j, w, w + v))", limits) ==
        "error budget-exceeded");
  limits.max_iterations = 10;
  CHECK(f.eval("r.transformMap(i, v, v)", limits) != "error budget-exceeded");
  limits.max_iterations = 9;
  CHECK(f.eval("r.transformMap(i, v, v)", limits) == "error budget-exceeded");
  CHECK(f.eval("r.existsOne(i, v, v > 100)", limits) == "error budget-exceeded");
  // transformMapEntry also charges one step per key compared while merging:
  // 10 elements, then 0 + 1 + ... + 9 = 45 comparisons.
  limits.max_iterations = 55;
  CHECK(f.eval("r.transformMapEntry(i, v, {v: i}).size()", limits) == "10");
  limits.max_iterations = 54;
  CHECK(f.eval("r.transformMapEntry(i, v, {v: i}).size()", limits) == "error budget-exceeded");
}

TEST_CASE("strings.quote: cel-go's escapes, other text as it is") {
  Fixture f;
  f.rows({
      {"strings.quote('')", "\"\\\"\\\"\""},
      {"strings.quote('a\\x00b') == '\"a\\x00b\"'", "true"},  // NUL has no short escape
      {"strings.quote('\\a\\b\\f\\n\\r\\t\\v') == '\"\\\\a\\\\b\\\\f\\\\n\\\\r\\\\t\\\\v\"'",
       "true"},
      {"strings.quote('\\\\\"') == '\"\\\\\\\\\\\\\"\"'", "true"},
      {"strings.quote(tags[0] + '\\u00e9')", "\"\\\"aé\\\"\""},
  });
}

TEST_CASE("string reverse(): code points in reverse order; lists keep their reverse()") {
  Fixture f;
  f.rows({
      {"'gums'.reverse()", "\"smug\""},
      {"''.reverse()", "\"\""},
      {"'ta©o©αT😀'.reverse()", "\"😀Tα©o©at\""},
      {"tags[0].reverse() + 'x'.reverse()", "\"ax\""},
      {"[1, 2].reverse()", "[2,1]"},
      {"dyn('ab').reverse()", "\"ba\""},
      {"dyn(tags).reverse()", "[\"b\",\"a\"]"},
  });
}

TEST_CASE("join() and string(date): texts written where they stay, the same bytes") {
  // join() works out the text's size, then writes it into the arena; string() of a date in
  // years 1-9999 writes its ten bytes there, and one outside them (a time zone's date of the
  // first or last instant) is formatted as before. text_memory_test.cpp checks that no
  // copy is made beside the arena.
  Fixture f;
  f.rows({
      {"tags.join(', ')", "\"a, b\""},
      {"tags.join()", "\"ab\""},
      {"[].join(', ')", "\"\""},
      {"['x'].join(', ')", "\"x\""},
      {"['', 'a', ''].join('-')", "\"-a-\""},
      {"['é', '😀', ''].join('·')", "\"é·😀·\""},
      {"[tags[1], 'c', tags[0]].join(tags[0])", "\"bacaa\""},
      {"dyn([1, 'a']).join()", "error no-matching-overload"},
      {"dyn(['a', 1]).join(', ')", "error no-matching-overload"},
      {"string(date('2024-03-28'))", "\"2024-03-28\""},
      {"string(date('0001-01-01')) + string(date('9999-12-31'))", "\"0001-01-019999-12-31\""},
      {"string(date(timestamp('0001-01-01T00:00:00Z'), '-05:00'))", "\"0000-12-31\""},
      {"string(date(timestamp('9999-12-31T23:30:00Z'), '+01:00'))", "\"10000-01-01\""},
      {"[date('2024-03-28'), date('2023-01-05')].sort().map(d, string(d)).join(', ')",
       "\"2023-01-05, 2024-03-28\""},
  });
}

TEST_CASE("format(): clauses, safeguard's dates and JSON values, errors and the budget") {
  Fixture f;
  f.rows({
      {"'%s and %s'.format(tags)", "\"a and b\""},
      {"'%s'.format([r])", "\"[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\""},
      {"'%s'.format([codes])", "\"{n1: neglect, p2: physical}\""},
      {"'due %s'.format([date('2024-03-28')])", "\"due 2024-03-28\""},
      {"'%d%%'.format([50])", "\"50%\""},
      {"'%d'.format([-7])", "\"-7\""},
      {"'%x %X %o %b'.format([-255, 255u, 8, false])", "\"-ff FF 10 0\""},
      {"'%.2f %.1e'.format([3, 12345u])", "\"3.00 1.2e+04\""},
      {"'%s %s'.format([1e21, 0.1])", "\"1000000000000000000000 0.1\""},
      {"'%s'.format([{2: 'b', 1: 'a', 10: 'c'}])", "\"{1: a, 10: c, 2: b}\""},
      {"'%s'.format([[b'x', type(1), null, duration('90s')]])", "\"[x, int, null, 90s]\""},
      {"'%s'.format([])", "error index-out-of-range"},
      {"'%q'.format([1])", "error invalid-argument"},
      {"'%.2d'.format([1])", "error invalid-argument"},
      {"'50%'.format([])", "error invalid-argument"},
      {"'%d'.format(['a'])", "error invalid-argument"},
      {"'%o'.format([1.5])", "error invalid-argument"},
      {"'%s'.format([[1, 1 / 0]])", "error divide-by-zero"},
      {"'%s'.format([1]) + '%s'.format([dyn([])])", "\"1[]\""},
  });
  // One step per element or entry formatted inside a list or map.
  EvalLimits limits;
  limits.max_iterations = 10;
  CHECK(f.eval("'%s'.format([r])", limits) == "\"[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\"");
  limits.max_iterations = 9;
  CHECK(f.eval("'%s'.format([r])", limits) == "error budget-exceeded");
}

TEST_CASE("optionals: checked types follow cel-go's optional_type") {
  Fixture f;
  CHECK(f.check("m.?a") == "optional_type(int)");
  CHECK(f.check("m.?a.?b") ==
        "ERROR cel.no-such-field: cannot select field 'b' of a value of "
        "type int");
  CHECK(f.check("l[?0]") == "optional_type(int)");
  CHECK(f.check("m[?'a']") == "optional_type(int)");
  CHECK(f.check("optional.of(1)") == "optional_type(int)");
  CHECK(f.check("optional.ofNonZeroValue(s)") == "optional_type(string)");
  CHECK(f.check("optional.none()") == "optional_type(dyn)");
  CHECK(f.check("m.?a.orValue(0)") == "int");
  CHECK(f.check("m.?a.or(optional.of(2))") == "optional_type(int)");
  CHECK(f.check("m.?a.value()") == "int");
  CHECK(f.check("m.?a.hasValue()") == "bool");
  // Chaining: a field or element of an optional is an optional.
  CHECK(f.check("optional.of(m).a") == "optional_type(int)");
  CHECK(f.check("optional.of(l)[0]") == "optional_type(int)");
  CHECK(f.check("has(optional.of(m).a)") == "bool");
  CHECK(f.check("[?m.?a, 1]") == "list(int)");
  CHECK(f.check("{?'k': m.?a, 'j': 2}") == "map(string, int)");
  CHECK(f.check("m.?a.optMap(x, string(x))") == "optional_type(string)");
  CHECK(f.check("m.?a.optFlatMap(x, l[?x])") == "optional_type(int)");
  CHECK(f.check("type(optional.none()) == optional_type") == "bool");
  CHECK(f.check("math.sqrt(i)") == "double");
  CHECK(f.check("math.sqrt(2u) + math.sqrt(d)") == "double");
}

TEST_CASE("optionals: misuse is a located check error") {
  Fixture f;
  CHECK(f.check("s.?a") ==
        "ERROR cel.no-such-field: cannot select field 'a' of a value of type string");
  CHECK(f.check("i.hasValue()")
            .rfind("ERROR cel.no-matching-overload: no matching overload for 'hasValue' applied to "
                   "(int) "
                   "[accepted forms: optional_type(A).hasValue() -> bool]",
                   0) == 0);
  CHECK(f.check("[?i]") ==
        "ERROR cel.type-mismatch: an optional element ('?') must be an optional, not int [e.g. "
        "[?m.?key] or {?'k': optional.of(x)}; leave out the '?' for a plain value]");
  CHECK(f.check("{?'k': 1}")
            .rfind(
                "ERROR cel.type-mismatch: an optional entry's value ('?') must be an optional, not "
                "int",
                0) == 0);
  CHECK(f.check("i.optMap(x, x)") ==
        "ERROR cel.type-mismatch: optMap() needs an optional, not int [e.g. "
        "m.?key.optMap(v, v + 1)]");
  CHECK(f.check("m.?a.optFlatMap(x, x)")
            .rfind("ERROR cel.type-mismatch: optFlatMap() needs an optional result, not int", 0) ==
        0);
  CHECK(f.check("l[?'a']") ==
        "ERROR cel.no-matching-overload: cannot apply '[?]' to list(int) and string [index a "
        "list with an int, a map with a key of its key type]");
  CHECK(f.check("m.?a.orValue('x')")
            .rfind("ERROR cel.no-matching-overload: no matching overload for 'orValue'", 0) == 0);
  CHECK(
      f.check("optional.off(1)")
          .rfind("ERROR cel.undeclared-function: undeclared function 'optional.off' [did you mean "
                 "'optional.of'?]",
                 0) == 0);

  // Located at what is wrong: the field name, the element, the optional.
  Env env;
  env.add_variable("s", types::string());
  env.add_variable("i", types::int64());
  const auto at = [&env](std::string_view text) {
    auto parsed = safeguard::cel::parse(text);
    REQUIRE(parsed.ok());
    Checker checker(env);
    checker.check(parsed.expr, 0);
    REQUIRE(checker.issues().size() == 1);
    const auto& issue = checker.issues().front().issue;
    return std::string(text.substr(issue.offset, issue.length));
  };
  CHECK(at("1 + s.?name.value()") == "name");
  CHECK(at("[1, ?i]") == "i");
  CHECK(at("{'a': 1, ?'b': i + 1}") == "i + 1");
  CHECK(at("(i + 1).optMap(x, x)") == "(i + 1)");
  CHECK(at("optional.of(i).optFlatMap(x, x + 1)") == "x + 1");
  CHECK(at("[i][?s]") == "[");
}

TEST_CASE("optionals: evaluation as cel-go's, on snapshot values too") {
  Fixture f;
  f.rows({
      {"optional.of(1).value()", "1"},
      {"optional.none().hasValue()", "false"},
      {"optional.none().value()", "error missing"},
      {"optional.ofNonZeroValue(0).hasValue()", "false"},
      {"optional.ofNonZeroValue([]).hasValue()", "false"},
      {"optional.ofNonZeroValue(duration('0s')).hasValue()", "false"},
      {"optional.ofNonZeroValue('x').value()", "\"x\""},
      // The alternative is evaluated only when needed.
      {"optional.of(1).orValue(1 / 0)", "1"},
      {"optional.of(1).or(optional.of(1 / 0)).value()", "1"},
      {"optional.none().orValue(1 / 0)", "error divide-by-zero"},
      {"optional.none().or(optional.none()).orValue(2)", "2"},
      // Values read in place from the snapshot document.
      {"tags[?1].value()", "\"b\""},
      {"tags[?5].hasValue()", "false"},
      {"tags[?-1].hasValue()", "false"},
      {"codes.?n1.value()", "\"neglect\""},
      {"codes[?'p2'].value()", "\"physical\""},
      {"codes.?zz.orValue('none')", "\"none\""},
      {"rec.?age.value()", "3"},
      // A null snapshot field is absent, as for has().
      {"rec.?name.hasValue()", "false"},
      {"has(rec.name) == rec.?name.hasValue()", "true"},
      {"optional.of(rec).age.value()", "3"},
      {"optional.of(rec).nope.hasValue()", "false"},
      {"optional.none().age.hasValue()", "false"},
      {"has(optional.of(rec).age)", "true"},
      {"has(optional.of(rec).name)", "false"},
      {"optional.of(tags)[1].value()", "\"b\""},
      {"optional.of(dyn(1)).nope", "error no-matching-overload"},
      {"[?codes.?n1, ?codes.?zz, 'x']", "[\"neglect\",\"x\"]"},
      {"{?'a': codes.?n1, ?'b': codes.?zz}", "{\"a\":\"neglect\"}"},
      {"[?dyn(1)]", "error no-matching-overload"},
      {"{?'a': optional.of(1), ?'a': optional.none()}", "{\"a\":1}"},
      {"{?'a': optional.of(1), ?'a': optional.of(2)}", "error invalid-argument"},
      {"codes.?n1.optMap(c, c.size()).value()", "7"},
      {"codes.?zz.optMap(c, c.size()).hasValue()", "false"},
      {"codes.?n1.optFlatMap(c, rec.?name).hasValue()", "false"},
      {"codes.?n1.optFlatMap(c, rec.?age).value()", "3"},
      {"optional.of([1, 2]) == optional.of([1, 2])", "true"},
      {"optional.of(dyn(1)) == optional.of(1u)", "true"},
      {"optional.none() != optional.of(null)", "true"},
      {"type(optional.none()) == optional_type", "true"},
      {"type(codes.?n1)", "\"optional_type\""},
      // JSON has no optional: a fact's value is what it holds, or null.
      {"codes.?n1", "\"neglect\""},
      {"codes.?zz", "null"},
      {"'%s and %s'.format([optional.of(1), optional.none()])",
       "\"optional.of(1) and optional.none()\""},
      {"math.sqrt(16)", "4"},
      {"math.sqrt(2.25)", "1.5"},
      {"math.sqrt(81u)", "9"},
      {"math.isNaN(math.sqrt(-1))", "true"},
  });
}

TEST_CASE("optionals: the evaluation budget counts what they build and compare") {
  Fixture f;
  EvalLimits limits;
  limits.max_memory_bytes = 2048;
  CHECK(f.eval("r.map(a, r.map(b, optional.of(a + b)))", limits) == "error memory-exceeded");
  CHECK(f.eval("r.map(a, r.map(b, [?optional.of(a), ?optional.of(b)]))", limits) ==
        "error memory-exceeded");
  limits = {};
  // Comparing optionals of lists costs a step per element, as comparing the lists.
  limits.max_iterations = 20;
  CHECK(f.eval("optional.of(r.map(x, x)) == optional.of(r.map(x, x))", limits) ==
        "error budget-exceeded");
  limits.max_iterations = 40;
  CHECK(f.eval("optional.of(r.map(x, x)) == optional.of(r.map(x, x))", limits) == "true");
  // optMap's expression runs like any other: its loops count.
  limits.max_iterations = 10;
  CHECK(f.eval("optional.of(r).optMap(x, x.map(y, y)).value().size()", limits) == "10");
  limits.max_iterations = 9;
  CHECK(f.eval("optional.of(r).optMap(x, x.map(y, y)).value().size()", limits) ==
        "error budget-exceeded");
}

// The offset forms at the edges. cel-spec's string_ext file makes an offset past the end an
// error; an empty text is found at the offset itself in every cel-go release, whatever the
// offset (the range check comes after it there).
TEST_CASE("indexOf and lastIndexOf with an offset at the edges") {
  Fixture fx;
  fx.rows({
      {"'hello mellow'.indexOf('', 2)", "2"},
      {"'hello mellow'.indexOf('ello', 2)", "7"},
      {"'abc'.indexOf('', 5)", "5"},
      {"'abc'.indexOf('', -1)", "-1"},
      {"'abc'.indexOf('c', 3)", "-1"},
      {"'abc'.indexOf('c', 4)", "error index-out-of-range"},
      {"'abc'.indexOf('c', -1)", "error index-out-of-range"},
      {"''.indexOf('a')", "-1"},
      {"''.indexOf('')", "0"},
      {"'ta©o©αT'.indexOf('©', 3)", "4"},
      {"'hello mellow'.lastIndexOf('ello', 6)", "1"},
      {"'hello mellow'.lastIndexOf('', 20)", "20"},
      {"'abc'.lastIndexOf('c', 2)", "2"},
      {"'abc'.lastIndexOf('c', 3)", "error index-out-of-range"},
      {"'abc'.lastIndexOf('c', -1)", "error index-out-of-range"},
      {"'abcabc'.lastIndexOf('bc', 5)", "4"},
      {"'ta©o©αT'.lastIndexOf('©', 3)", "2"},
  });
}

TEST_CASE("optionals: a traced program (explain) gives the same values") {
  Fixture f;
  PlanOptions traced;
  traced.trace = true;
  const std::pair<const char*, const char*> rows[] = {
      {"codes.?zz.orValue(codes.?n1.value())", "\"neglect\""},
      {"[?codes.?n1, ?tags[?9]]", "[\"neglect\"]"},
      {"{?'a': rec.?age.optMap(a, a + 1)}", "{\"a\":4}"},
      {"r.filter(x, optional.of(x).optFlatMap(y, y > 8 ? optional.of(y) : optional.none())"
       ".hasValue())",
       "[9,10]"},
  };
  for (const auto& [expr, expected] : rows) {
    INFO(expr);
    CHECK(f.eval(expr, {}, traced) == expected);
    CHECK(f.eval(expr) == expected);
  }
}

TEST_CASE("optionals: version 2's first(), last(), optional.unwrap() and unwrapOpt()") {
  Fixture f;
  CHECK(f.check("l.first()") == "optional_type(int)");
  CHECK(f.check("optional.unwrap([m.?a, m[?'b']])") == "list(int)");
  CHECK(f.check("[m.?a].unwrapOpt()") == "list(int)");
  CHECK(f.check("l.unwrapOpt()").rfind("ERROR cel.no-matching-overload", 0) == 0);
  f.rows({
      {"[1, 2, 3].first().value() * 10 + [1, 2, 3].last().value()", "13"},
      {"[].first().hasValue() || [].last().hasValue()", "false"},
      {"tags.first().value() + tags.last().value()", "\"ab\""},
      {"r.last()", "10"},
      {"optional.unwrap([optional.of(1), optional.none(), optional.of(3)])", "[1,3]"},
      {"[codes.?zz, codes.?n1].unwrapOpt()", "[\"neglect\"]"},
      {"[].unwrapOpt()", "[]"},
      {"dyn([1]).unwrapOpt()", "error no-matching-overload"},
  });
  EvalLimits limits;
  limits.max_iterations = 10;
  CHECK(f.eval("r.map(x, optional.of(x)).unwrapOpt().size()", limits) == "error budget-exceeded");
  limits.max_iterations = 20;
  CHECK(f.eval("r.map(x, optional.of(x)).unwrapOpt().size()", limits) == "10");
}
