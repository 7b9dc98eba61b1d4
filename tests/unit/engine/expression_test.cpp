// evaluate_expression: CEL semantics end to end (parse, check, plan, evaluate).
#include <catch2/catch.hpp>

#include "safeguard/expr.hpp"

using safeguard::evaluate_expression;
using safeguard::ExprOptions;
using safeguard::ExprResult;

namespace {

std::string eval(const std::string& expr, const std::string& vars = "",
                 const std::string& as_of = "") {
  ExprOptions options;
  options.as_of = as_of;
  const ExprResult r = evaluate_expression(expr, vars, options);
  if (!r.ok()) {
    std::string out = "ERROR:";
    for (const auto& d : r.diagnostics) out += " " + d.code + ": " + d.message;
    return out;
  }
  return r.value_json;
}

}  // namespace

TEST_CASE("arithmetic follows CEL: int64 overflow and division by zero are errors") {
  CHECK(eval("1 + 2 * 3") == "7");
  CHECK(eval("9223372036854775807 + 1").rfind("ERROR: cel.eval.overflow", 0) == 0);
  CHECK(eval("-9223372036854775808 - 1").rfind("ERROR: cel.eval.overflow", 0) == 0);
  CHECK(eval("1 / 0").rfind("ERROR: cel.eval.divide-by-zero", 0) == 0);
  CHECK(eval("7 % 0").rfind("ERROR: cel.eval.modulus-by-zero", 0) == 0);
  CHECK(eval("0u - 1u").rfind("ERROR: cel.eval.overflow", 0) == 0);
  CHECK(eval("5u / 2u") == "2");
  CHECK(eval("7.0 / 2.0") == "3.5");
  CHECK(eval("-7 / 2") == "-3");
  CHECK(eval("-7 % 2") == "-1");
}

TEST_CASE("int and uint are distinct types but compare by value") {
  CHECK(eval("1 + 1u").rfind("ERROR: cel.no-matching-overload", 0) == 0);
  CHECK(eval("1 == 1u") == "true");
  CHECK(eval("1 < 2u") == "true");
  CHECK(eval("-1 < 0u") == "true");
  CHECK(eval("2.5 > 2") == "true");
  CHECK(eval("9223372036854775807 < 9223372036854775808u") == "true");
}

TEST_CASE("&& and || absorb errors when the other side decides") {
  CHECK(eval("1/0 == 1 || true") == "true");
  CHECK(eval("true || 1/0 == 1") == "true");
  CHECK(eval("1/0 == 1 && false") == "false");
  CHECK(eval("false && 1/0 == 1") == "false");
  CHECK(eval("1/0 == 1 && true").rfind("ERROR", 0) == 0);
  CHECK(eval("[1, 2, 0].exists(x, 10 / x == 5)") == "true");
  CHECK(eval("[0, 2].all(x, 10 / x == 5)").rfind("ERROR", 0) == 0);
  CHECK(eval("[0, 3].all(x, 10 / x == 5)") == "false");
}

TEST_CASE("macros") {
  CHECK(eval("[1, 2, 3].map(x, x * 2)") == "[2,4,6]");
  CHECK(eval("[1, 2, 3].filter(x, x > 1)") == "[2,3]");
  CHECK(eval("[1, 2, 3].filter(x, x > 1).size()") == "2");
  CHECK(eval("size([1, 2, 3].filter(x, x > 5))") == "0");
  CHECK(eval("[1, 2, 3].map(x, x > 1, x * 10)") == "[20,30]");
  CHECK(eval("[1, 2, 3].exists_one(x, x == 2)") == "true");
  CHECK(eval("[1, 2, 2].exists_one(x, x == 2)") == "false");
  CHECK(eval("{'a': 1, 'b': 2}.all(k, k.size() == 1)") == "true");
  CHECK(eval("has({'a': 1}.a)") == "true");
  CHECK(eval("has({'a': 1}.b)") == "false");
  CHECK(eval("cel.bind(x, 3, x * x)") == "9");
}

TEST_CASE("strings count code points; matches uses RE2") {
  CHECK(eval("size('héllo')") == "5");
  CHECK(eval("'hello'.matches('l+')") == "true");
  CHECK(eval("'hello'.matches('^l')") == "false");
  CHECK(eval("'a' + 'b'") == "\"ab\"");
  CHECK(eval("'abc'.startsWith('ab') && 'abc'.endsWith('bc') && 'abc'.contains('b')") == "true");
  CHECK(eval("'  x '.trim()") == "\"x\"");
  CHECK(eval("'x'.matches('(')").rfind("ERROR: cel.invalid-regex", 0) == 0);
}

TEST_CASE("an invalid pattern says what is wrong, without quoting the pattern") {
  // A constant pattern fails when the expression is checked, one from the data when it runs.
  CHECK(eval("'x'.matches('(a')").find("missing closing )") != std::string::npos);
  CHECK(eval("'x'.matches('a)')").find("unexpected )") != std::string::npos);
  CHECK(eval("'x'.matches('[a')").find("missing closing ]") != std::string::npos);
  CHECK(eval("'x'.matches('(a)\\\\1')").find("invalid escape sequence") != std::string::npos);
  CHECK(eval("'x'.matches('(?=a)')").find("no look-around") != std::string::npos);
  CHECK(eval("'x'.matches('[z-a]')").find("invalid character range") != std::string::npos);
  CHECK(eval("'x'.matches('a{1001}')").find("repetition count above 1000") != std::string::npos);
  CHECK(eval("'x'.matches('*a')").find("nothing before it") != std::string::npos);
  CHECK(eval("'x'.matches('(?<n>a)')").find("(?P<name>...)") != std::string::npos);
  const std::string runtime = eval("'x'.matches(p)", R"({"p": "(Smith"})");
  CHECK(runtime.rfind("ERROR: cel.eval.", 0) == 0);
  CHECK(runtime.find("missing closing )") != std::string::npos);
  CHECK(runtime.find("Smith") == std::string::npos);
}

TEST_CASE("variables come from a JSON object") {
  CHECK(eval("x.a + 1", R"({"x": {"a": 41}})") == "42");
  CHECK(eval("x.items.exists(i, i == 'b')", R"({"x": {"items": ["a", "b"]}})") == "true");
  CHECK(eval("has(x.a)", R"({"x": {"a": null}})") == "false");
  const std::string missing = eval("x.b + 1", R"({"x": {"a": 1}})");
  CHECK(missing.rfind("ERROR: cel.eval.missing", 0) == 0);
  CHECK(missing.find("/x/b") != std::string::npos);
  CHECK(eval("y", R"({"x": 1})").rfind("ERROR: cel.undeclared", 0) == 0);
}

TEST_CASE("large integers are strings in JSON output") {
  CHECK(eval("9007199254740992") == "9007199254740992");
  CHECK(eval("9007199254740993") == "\"9007199254740993\"");
  CHECK(eval("18446744073709551615u") == "\"18446744073709551615\"");
}

TEST_CASE("dates") {
  CHECK(eval("date('2024-03-28')") == "\"2024-03-28\"");
  CHECK(eval("date('2024-03-28T23:30:00-05:00')") == "\"2024-03-28\"");
  CHECK(eval("add_months(date('2024-01-31'), 1)") == "\"2024-02-29\"");
  CHECK(eval("add_months(as_of, -12)", "", "2024-02-29") == "\"2023-02-28\"");
  CHECK(eval("date('2024-03-28') < date('2024-03-29')") == "true");
  CHECK(eval("date('2023-02-29')").rfind("ERROR: cel.eval.invalid-argument", 0) == 0);
  CHECK(eval("date('2024-01-01') < 5").rfind("ERROR: cel.no-matching-overload", 0) == 0);
  CHECK(eval("age_years(date('2010-02-28'), date('2024-02-27'))") == "13");
  CHECK(eval("days_between(date('2024-02-28'), date('2024-03-01'))") == "2");
}
