// Text that quote(), base64, lowerAscii/upperAscii, reverse(), join() and format() build
// counts against the evaluation's memory budget before it is made: the size-known results
// (join() works its size out first) are written straight into the arena (no temporary copy
// the budget does not see), and
// format() holds all its text, a map's values included, to what the budget has left.
//
// The program's operator new is replaced by one that adds up the large allocations made
// while a test watches, so a temporary copy beside the arena's shows as extra bytes.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>
#include <string>

#include "../replaced_new.hpp"
#include "budget_expr.hpp"

namespace {

constexpr std::size_t kLarge = 256u << 10;
bool watching = false;        // the tests run on one thread
std::size_t large_bytes = 0;  // bytes of allocations of kLarge or more while watching

}  // namespace

void* allocate_for_test(std::size_t size) {
  if (watching && size >= kLarge) large_bytes += size;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

namespace {

using safeguard::testing::run;
using safeguard::testing::text;

// Bytes of large allocations while `expression` is evaluated.
std::size_t large_allocations(const std::string& expression, std::size_t budget) {
  large_bytes = 0;
  watching = true;
  const std::string result = run(expression, budget);
  watching = false;
  INFO(expression.substr(expression.size() - 60) << " -> " << result);
  CHECK(result.rfind("error", 0) != 0);
  return large_bytes;
}

}  // namespace

TEST_CASE("size-known text results are built in the arena, with no copy beside it") {
  // s and n: 1,114,112 bytes of text; 1,048,576 of n's are newlines, which quote() escapes.
  std::string newlines = "'";
  for (int i = 0; i < 16; ++i) newlines += "\\n";
  newlines += "'";
  const std::string both = "cel.bind(s, " + text(16) + ", cel.bind(n, " + text(16, newlines) + ", ";
  const std::size_t budget = 64u << 20;
  const std::size_t base = large_allocations(both + "size(s) + size(n)))", budget);
  // The large allocations a call adds are one arena chunk for its result; a std::string
  // of it beside that doubled them (more as it grew), and reverse() kept eight bytes per
  // code point besides.
  const struct {
    const char* call;
    std::size_t result;
  } calls[] = {
      {"strings.quote(s)", 1114114},
      {"strings.quote(n)", 1114114 + 1048576},
      {"s.lowerAscii()", 1114112},
      {"s.upperAscii()", 1114112},
      {"s.reverse()", 1114112},
      {"base64.encode(bytes(s))", 1485484},
      {"base64.decode(base64.encode(bytes(s)))", 1485484 + 1114112},
  };
  for (const auto& c : calls) {
    const std::size_t bytes =
        large_allocations(both + "size(s) + size(n) + size(" + c.call + ")))", budget) - base;
    INFO(c.call << ": " << bytes << " bytes of large allocations, for a result of " << c.result);
    CHECK(bytes >= c.result);
    CHECK(bytes < c.result + 4096);
  }
  // join(): the list takes an arena chunk of its own (in the base here), the text another.
  const struct {
    const char* list;
    const char* join;
    std::size_t result;
  } joins[] = {
      {"[s, n]", "[s, n].join(', ')", 2228226},
      {"[s, s, s]", "[s, s, s].join()", 3342336},
  };
  for (const auto& j : joins) {
    const std::string sizes = both + "size(s) + size(n) + size(" + j.list + ")";
    const std::size_t bytes = large_allocations(sizes + " + size(" + j.join + ")))", budget) -
                              large_allocations(sizes + "))", budget);
    INFO(j.join << ": " << bytes << " bytes of large allocations, for a result of " << j.result);
    CHECK(bytes >= j.result);
    CHECK(bytes < j.result + 4096);
  }
  CHECK(run("strings.quote('a\"b\\\\c\\n\\a\\v')", 4096) ==
        "\"\\\"a\\\\\\\"b\\\\\\\\c\\\\n\\\\a\\\\v\\\"\"");
  CHECK(run("'héllo😀'.reverse() + 'AbC'.lowerAscii() + 'AbC'.upperAscii()", 4096) ==
        "\"😀olléhabcABC\"");
  CHECK(run("string(base64.decode('YW\\nJj\\r\\nZA==')) + string(base64.decode('YWJjZA'))", 4096) ==
        "\"abcdabcd\"");
}

TEST_CASE("quote() and base64 refuse a result the budget cannot hold before making it") {
  const std::string s = text(10);  // 17,408 bytes
  CHECK(run("size(cel.bind(s, " + s + ", strings.quote(s)))", 64u << 10) == "17410");
  CHECK(run("size(cel.bind(s, " + s + ", strings.quote(s.replace('0', '\\n'))))", 64u << 10) ==
        "error cel.eval.memory-exceeded");
  CHECK(run("size(cel.bind(s, " + s + ", base64.encode(bytes(s + s))))", 96u << 10) ==
        "error cel.eval.memory-exceeded");
}

TEST_CASE("format() holds a map's formatted entries to the budget too") {
  // 40 entries of 1 MiB each: their texts were gathered (40 MiB, then 40 MiB more joined)
  // before the result met the 4 MiB budget (string_budget_test.cpp checks the result).
  const std::string mib = text(16);
  std::string keys;
  for (int i = 0; i < 40; ++i) keys += (i == 0 ? "" : ", ") + std::to_string(i);
  const std::string e =
      "size(cel.bind(s, " + mib + ", '%s'.format([[" + keys + "].transformMap(i, v, s)])))";
  large_bytes = 0;
  watching = true;
  CHECK(run(e, 4u << 20) == "error cel.eval.memory-exceeded");
  watching = false;
  CHECK(large_bytes < (16u << 20));
  CHECK(run("'%s'.format([{'b': [1, 2.5], 'a': {'z': null}}])", 4096) ==
        "\"{a: {z: null}, b: [1, 2.5]}\"");
  CHECK(run("'%x'.format(['hi'])", 4096) == "\"6869\"");
  // %x of a text writes two digits a byte: the room is checked before the first.
  const std::string base = "cel.bind(s, " + mib + ", size(s)";
  large_bytes = 0;
  watching = true;
  CHECK(run(base + ")", 3u << 20) == "1114112");
  const std::size_t building = large_bytes;
  large_bytes = 0;
  CHECK(run(base + " + size('%x'.format([s])))", 3u << 20) == "error cel.eval.memory-exceeded");
  watching = false;
  // An arena chunk (1 MiB at most) for the list and the error; not 2.2 MB of digits.
  CHECK(large_bytes < building + (3u << 19));
}

TEST_CASE("transformMap() takes its keys and values from the arena, with no copy beside it") {
  // A list of 1,048,576 ints built at run time (in the arena).
  std::string list = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]";
  for (int i = 0; i < 16; ++i) {
    const std::string l = "l" + std::to_string(i);
    list = "cel.bind(" + l + ", " + list + ", " + l + " + " + l + ")";
  }
  const std::size_t budget = 64u << 20;
  const std::size_t base = large_allocations("size(" + list + ")", budget);
  // Its keys and values: two arrays of 16-byte values in the arena. Gathered in vectors
  // beside it first, they took as much again and more as the vectors grew (twice the
  // budget for a snapshot list of 4 million elements, before the copy was refused).
  const std::size_t result = 2u * 1048576u * 16u;
  const std::size_t bytes =
      large_allocations("size(" + list + ".transformMap(i, v, v))", budget) - base;
  INFO(bytes << " bytes of large allocations, for a result of " << result);
  CHECK(bytes >= result);
  CHECK(bytes < result + 4096);
  CHECK(run("[5, 6].transformMap(i, v, v > 5, v * 10)", 4096) == "{\"1\":60}");
  CHECK(run("{'a': 1, 'b': 2}.transformMap(k, v, k + string(v))", 4096) ==
        "{\"a\":\"a1\",\"b\":\"b2\"}");
  CHECK(run("size([1].transformMap(i, v, 1 / 0))", 4096) == "error cel.eval.divide-by-zero");
}

TEST_CASE("the sets functions compare the lists where they are, with no copy of either") {
  std::string list = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]";
  for (int i = 0; i < 14; ++i) {
    const std::string l = "l" + std::to_string(i);
    list = "cel.bind(" + l + ", " + list + ", " + l + " + " + l + ")";
  }
  // 262,144 elements (4 MiB); each list was gathered into a vector first (the same again
  // for each, outside the budget), before a single pair was compared.
  const std::string bound = "cel.bind(s, " + list + ", ";
  const std::size_t budget = 64u << 20;
  const std::size_t base = large_allocations(bound + "size(s))", budget);
  for (const char* call : {"sets.contains(s, [15, 0])", "sets.intersects([16, 15], s)",
                           "sets.equivalent(s, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, "
                           "14, 15])"}) {
    const std::size_t bytes =
        large_allocations(bound + "size(s) + (" + call + " ? 1 : 0))", budget) - base;
    INFO(call << ": " << bytes << " bytes of large allocations");
    CHECK(bytes == 0);
  }
  CHECK(run("sets.contains([1, 2.0, 3u], [3, 1u, 2])", 4096) == "true");
  CHECK(run("sets.contains([1, 2], [1, 4])", 4096) == "false");
  CHECK(run("sets.equivalent([1, 1, 2], [2, 1])", 4096) == "true");
  CHECK(run("sets.equivalent([1, 2], [2, 1, 3])", 4096) == "false");
  CHECK(run("sets.intersects([1, [2]], [[2.0]])", 4096) == "true");
  CHECK(run("sets.intersects([], [1])", 4096) == "false");
  CHECK(run("sets.contains([], [])", 4096) == "true");
}

TEST_CASE("format() reads only as many arguments as its clauses can use") {
  std::string list = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]";
  for (int i = 0; i < 14; ++i) {
    const std::string l = "l" + std::to_string(i);
    list = "cel.bind(" + l + ", " + list + ", " + l + " + " + l + ")";
  }
  // 262,144 arguments for two clauses: the whole list was copied first (4 MiB and more
  // outside the budget; a snapshot's list of millions, tens of megabytes).
  const std::string bound = "cel.bind(s, " + list + ", ";
  const std::size_t budget = 64u << 20;
  const std::size_t base = large_allocations(bound + "size(s))", budget);
  const std::size_t bytes =
      large_allocations(bound + "size(s) + size('%d-%s%%'.format(s)))", budget) - base;
  INFO(bytes << " bytes of large allocations");
  CHECK(bytes <= (1u << 20));  // a new arena chunk for the result at most (9 MiB before)
  CHECK(run("'%d-%s%%'.format([0, 1, 2])", 4096) == "\"0-1%\"");
  CHECK(run("'%s %s'.format([1])", 4096) == "error cel.eval.index-out-of-range");
}
