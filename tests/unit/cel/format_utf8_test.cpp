// format() puts bytes into the text only when they are UTF-8, as string(bytes) requires:
// a string holding anything else was written into result JSON as invalid text.
#include <catch2/catch.hpp>
#include <string>

#include "safeguard/expr.hpp"

namespace {

std::string run(const std::string& expression) {
  const safeguard::ExprResult r = safeguard::evaluate_expression(expression, "{}");
  if (r.ok()) return r.value_json;
  return "error " + (r.diagnostics.empty() ? std::string("?") : r.diagnostics.front().code);
}

}  // namespace

TEST_CASE("format() of bytes that are not UTF-8 is an error, as string(bytes) is") {
  CHECK(run("'%s'.format([b'\\xff'])") == "error cel.eval.invalid-argument");
  CHECK(run("'%s'.format([[b'a', b'\\xc3']])") == "error cel.eval.invalid-argument");
  CHECK(run("'%s'.format([{'k': b'\\xed\\xa0\\x80'}])") == "error cel.eval.invalid-argument");
  CHECK(run("string(b'\\xff')") == "error cel.eval.invalid-argument");
  // UTF-8 bytes read as their text; %x writes any bytes as hex digits.
  CHECK(run("'%s'.format([b'\\xc3\\xa9'])") == "\"\u00e9\"");
  CHECK(run("'%s'.format([[b'xyz']])") == "\"[xyz]\"");
  CHECK(run("'%x'.format([b'\\xff'])") == "\"ff\"");
}
