// Dates checked by validation (cel::kCheckedDate in JsonDoc::layout_at): rules read such a
// text's day number with cel::json_checked_date_days instead of parsing it again. The mark
// must be on exactly the strings validation found to be a date or date-time of a "date" or
// "date-time" property, whichever way it checked them (in place in the member loops, or
// the general way), and the day number must be time::parse_date's.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "schema_test_util.hpp"
#include "time/civil.hpp"
#include "time/date.hpp"

using namespace schema_test;
using safeguard::cel::JsonDoc;
using safeguard::cel::kCheckedDate;

namespace {

bool checked(const ParsedJson& json, const std::string& pointer) {
  const JsonDoc* d = json.doc();
  REQUIRE(d->layout_at != nullptr);
  return d->layout_at[at(json, pointer)] == kCheckedDate;
}

std::int64_t checked_days(const std::string& text) {
  // Padded as a snapshot's string buffer is, so that nothing past the text is relied on.
  const std::string padded = text + std::string(16, '\xff');
  return safeguard::cel::json_checked_date_days(padded.data());
}

}  // namespace

TEST_CASE("json_checked_date_days agrees with the date parser") {
  using safeguard::time::days_from_civil;
  using safeguard::time::format_date;
  using safeguard::time::parse_date;
  // Whole years at the ends of the range, around the century rules and around today.
  const int ranges[][2] = {{1, 3},       {99, 101},    {399, 401},   {1599, 1601},
                           {1899, 1901}, {1968, 2105}, {2399, 2401}, {9997, 9999}};
  std::size_t compared = 0;
  for (const auto& range : ranges) {
    const std::int64_t first = days_from_civil(range[0], 1, 1);
    const std::int64_t last = days_from_civil(range[1], 12, 31);
    for (std::int64_t day = first; day <= last; ++day) {
      const std::string text = format_date(day);
      const auto parsed = parse_date(text);
      REQUIRE(parsed.has_value());
      INFO(text);
      REQUIRE(checked_days(text) == *parsed);
      // A date-time's date is read the same way.
      REQUIRE(checked_days(text + "T23:59:59+01:00") == day);
      ++compared;
    }
  }
  CHECK(compared > 55000);
}

TEST_CASE("validation marks the dates and date-times it found valid, and nothing else") {
  // Dates in place (a plain format, a nullable one, array items, through a $ref), and the
  // general way (under anyOf, and next to a pattern, which the member loop does not check).
  const std::string schema = R"({
    "$defs": {"day": {"type": "string", "format": "date"}},
    "type": "object",
    "properties": {
      "on": {"type": "string", "format": "date"},
      "maybe": {"type": ["string", "null"], "format": "date"},
      "at": {"type": "string", "format": "date-time"},
      "days": {"type": "array", "items": {"type": "string", "format": "date"}},
      "ref": {"$ref": "#/$defs/day"},
      "either": {"anyOf": [{"type": "string", "format": "date"}, {"type": "integer"}]},
      "patterned": {"type": "string", "format": "date", "pattern": "^20"},
      "text": {"type": "string"},
      "free": {"type": "object"}
    }
  })";
  const auto s = load(schema);
  REQUIRE(s);
  ParsedJson json;
  const auto violations = validate(*s, R"({
    "on": "2024-02-29", "maybe": "2023-02-29", "at": "2024-03-28T23:30:00.5-01:00",
    "days": ["2024-01-31", "2024-13-01", "1999-12-31"], "ref": "0001-01-01",
    "either": "2024-06-03", "patterned": "2024-06-04", "text": "2024-06-05",
    "free": {"d": "2024-06-06"}, "undeclared": "2024-06-07"
  })",
                                   json);
  CHECK(violations.size() == 2);  // maybe (no 29 February in 2023) and days/1
  CHECK(checked(json, "/on"));
  CHECK(checked(json, "/at"));
  CHECK(checked(json, "/days/0"));
  CHECK(checked(json, "/days/2"));
  CHECK(checked(json, "/ref"));
  CHECK(checked(json, "/either"));
  CHECK(checked(json, "/patterned"));
  CHECK_FALSE(checked(json, "/maybe"));
  CHECK_FALSE(checked(json, "/days/1"));
  CHECK_FALSE(checked(json, "/text"));
  CHECK_FALSE(checked(json, "/free/d"));
  CHECK_FALSE(checked(json, "/undeclared"));

  // A date-time the in-place shapes do not cover (the full parser decides), and one it
  // rejects; a date-time that is not valid as a whole is not marked although its date is.
  ParsedJson other;
  validate(*s, R"({"at": "2024-03-28t10:00:00z", "on": "2024-03-28T10:00:00Z"})", other);
  CHECK(checked(other, "/at"));
  CHECK_FALSE(checked(other, "/on"));
  ParsedJson bad;
  validate(*s, R"({"at": "2024-03-28T25:00:00Z"})", bad);
  CHECK_FALSE(checked(bad, "/at"));
}

TEST_CASE("the marks are those of the snapshot validated last") {
  // The same parsed document object, validated again with other values at the same tape
  // indexes: no mark of the first snapshot may survive into the second.
  const auto s = load(R"({"type": "object", "properties": {
    "a": {"type": "string", "format": "date"}, "b": {"type": "string"}}})");
  REQUIRE(s);
  ParsedJson json;
  validate(*s, R"({"a": "2024-01-01", "b": "x"})", json);
  CHECK(checked(json, "/a"));
  validate(*s, R"({"b": "2024-01-01", "a": "x"})", json);
  CHECK_FALSE(checked(json, "/a"));
  CHECK_FALSE(checked(json, "/b"));
}
