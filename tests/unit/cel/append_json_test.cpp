// cel::append_json into a base::TextBuffer (a raised flag's facts, RuleSet::evaluate_json)
// writes the bytes it writes into a std::string (Fact::value_json, to_json).
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cel/value/json.hpp"
#include "cel/value/to_json.hpp"
#include "snapshot/parsed_json.hpp"
#include "time/civil.hpp"

using safeguard::cel::Value;

namespace {

constexpr const char* kDoc = R"({
  "plain": "C-1042",
  "escapes": "a\"b\\c\nd\te\u0001f\u007f",
  "utf8": "Zo\u00eb \u2014 \ud83d\ude00 caf\u00e9",
  "long": "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789",
  "long_escape": "abcdefghijklmnopqrstuvwxyz0123456789\"abcdefghijklmnopqrstuvwxyz",
  "empty": "",
  "numbers": [0, 7, -3, 12345678901, 2.5, -0.125, 1e300, 9007199254740993],
  "nested": {"a": [1, {"b": null, "c": true, "d": false}], "\u00e9t\u00e9": "x\"y", "": []},
  "list": ["a", "bb", "ccc", "dddddddddddddddd", "eeeeeeeeeeeeeeeee", "x\\y"]
})";

std::string as_string(const Value& v, std::size_t limit, bool* ok) {
  std::string out = "prefix:";
  *ok = safeguard::cel::append_json(v, limit, out);
  return out;
}

std::string as_buffer(const Value& v, std::size_t limit, bool* ok) {
  safeguard::base::TextBuffer out;
  out.append("prefix:");
  *ok = safeguard::cel::append_json(v, limit, out);
  return std::string(out.view());
}

void check_same(const Value& v) {
  for (const std::size_t limit :
       {std::numeric_limits<std::size_t>::max(), std::size_t{0}, std::size_t{1}, std::size_t{5},
        std::size_t{12}, std::size_t{40}, std::size_t{100}}) {
    bool string_ok = false;
    bool buffer_ok = false;
    const std::string a = as_string(v, limit, &string_ok);
    const std::string b = as_buffer(v, limit, &buffer_ok);
    INFO("limit " << limit << ": " << a);
    CHECK(string_ok == buffer_ok);
    CHECK(a == b);
  }
}

}  // namespace

TEST_CASE("JSON of a value appended to a text buffer is the bytes appended to a string") {
  safeguard::snapshot::JsonParser parser;
  safeguard::snapshot::ParsedJson json;
  safeguard::snapshot::JsonError error;
  REQUIRE(parser.parse(kDoc, json, &error));
  const safeguard::cel::JsonDoc* doc = json.doc();
  check_same(safeguard::cel::json_value(doc, doc->root));
  const std::uint32_t end = static_cast<std::uint32_t>(doc->tape[doc->root]) - 1;
  for (std::uint32_t k = doc->root + 1; k < end; k = safeguard::cel::json_after(doc, k + 1)) {
    check_same(safeguard::cel::json_value(doc, k + 1));
  }
  namespace time = safeguard::time;
  for (const std::int64_t day :
       {time::kMinDay - 1, time::kMinDay, std::int64_t{0}, std::int64_t{19876}, time::kMaxDay,
        time::kMaxDay + 1, time::kMinDay - 400000, time::kMaxDay + 400000}) {
    check_same(Value::date(day));
  }
  for (const std::int64_t i :
       {std::int64_t{0}, std::int64_t{9}, std::int64_t{10}, std::int64_t{-1},
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    check_same(Value::integer(i));
  }
  check_same(Value::uinteger(std::numeric_limits<std::uint64_t>::max()));
  check_same(Value::uinteger(42));
  check_same(Value::real(std::numeric_limits<double>::quiet_NaN()));
  check_same(Value::real(-std::numeric_limits<double>::infinity()));
  check_same(Value::real(0.1));
  check_same(Value::boolean(true));
  check_same(Value::null());
  check_same(Value::timestamp(1700000000, 5000));
  check_same(Value::duration(90, 500000000));
  check_same(Value::optional_none());
  const Value held = Value::date(19876);
  check_same(Value::optional_of(&held));
}
