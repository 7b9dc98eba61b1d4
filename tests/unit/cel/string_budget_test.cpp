// Strings that replace(), join() and split() build outside the arena stay within the
// evaluation's memory budget (Limits::max_evaluation_bytes), as the arena copy would:
// no scratch text beyond it, no cap of its own that truncates or refuses a result the
// budget allows.
#include <catch2/catch.hpp>
#include <string>

#include "budget_expr.hpp"

using safeguard::testing::run;
using safeguard::testing::text;

TEST_CASE("replace() with an empty pattern stops at the memory budget") {
  // 17 KiB between each of 17 K code points would be 280 MiB of scratch text.
  const std::string s = text(10);
  CHECK(run("size(cel.bind(s, " + s + ", s.replace('', s)))", 1u << 20) ==
        "error cel.eval.memory-exceeded");
  CHECK(run("size(cel.bind(s, " + s + ", s.replace('', s, 2)))", 1u << 20) == "52224");
  CHECK(run("'ab'.replace('', 'xy')", 4096) == "\"xyaxybxy\"");
  CHECK(run("size(cel.bind(s, " + s + ", s.replace('1', s)))", 1u << 20) ==
        "error cel.eval.memory-exceeded");
}

TEST_CASE("join() may build what the budget allows, beyond 64 MiB, and never cuts it") {
  // 1,114,112 bytes, 70 times: 74 MiB, within an 80 MiB budget. join() used to stop at
  // 64 MiB and return the text cut there.
  const std::string mib = text(16);
  const std::string seventy = "[s, s, s, s, s, s, s, s, s, s].map(x, [s, s, s, s, s, s, s])";
  CHECK(run("size(cel.bind(s, " + mib + ", " + seventy + ".flatten().join()))", 80u << 20) ==
        "77987840");
  CHECK(run("size(cel.bind(s, " + mib + ", " + seventy + ".flatten().join()))", 64u << 20) ==
        "error cel.eval.memory-exceeded");
}

TEST_CASE("split() stops gathering parts once the list could not be held") {
  const std::string s = text(10);  // 17,408 bytes
  CHECK(run("size(cel.bind(s, " + s + ", s.split('')))", 1u << 20) == "17408");
  CHECK(run("size(cel.bind(s, " + s + ", s.split('')))", 200u << 10) ==
        "error cel.eval.memory-exceeded");
  CHECK(run("size(cel.bind(s, " + s + ", s.split('1')))", 200u << 10) == "2049");
  CHECK(run("'a,b,,c'.split(',')", 4096) == "[\"a\",\"b\",\"\",\"c\"]");
  CHECK(run("'a,b,,c'.split(',', 2)", 4096) == "[\"a\",\"b,,c\"]");
}

TEST_CASE("format() may build what the budget allows, beyond 64 MiB, and no more") {
  // 74 MiB of text within an 80 MiB budget: format() stopped at a fixed 64 MiB.
  const std::string mib = text(16);
  const std::string seventy = "[s, s, s, s, s, s, s, s, s, s].map(x, [s, s, s, s, s, s, s])";
  CHECK(run("size(cel.bind(s, " + mib + ", '%s'.format([" + seventy + ".flatten()])))",
            80u << 20) == "77987980");
  CHECK(run("size(cel.bind(s, " + mib + ", '%s'.format([" + seventy + ".flatten()])))",
            64u << 20) == "error cel.eval.memory-exceeded");
  // The values of a map are formatted inside the same bound: a list holding one map with a
  // long value many times grew without limit (1,000 copies of 17 KiB: 17 MiB of scratch
  // text for a 1 MiB budget; nested deeper, gigabytes).
  const std::string s = text(10);
  const std::string many = "[m, m, m, m, m, m, m, m, m, m].map(x, [x, x, x, x, x, x, x, x, x, x])";
  CHECK(run("size(cel.bind(s, " + s + ", cel.bind(m, {'k': s}, '%s'.format([" + many + "]))))",
            1u << 20) == "error cel.eval.memory-exceeded");
  CHECK(run("'%s'.format([{'b': [1, {'y': 2, 'x': 'z'}], 'a': true}])", 4096) ==
        "\"{a: true, b: [1, {x: z, y: 2}]}\"");
}
