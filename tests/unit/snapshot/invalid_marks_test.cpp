// Values schema validation marks invalid read as their errors (cel::json_value), found
// through a bit per tape index before the search: every index of a long document, marks at
// and around the bitmap's word boundaries, the last mark and past it, after a copy and
// after the marks are cleared.
#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "cel/value/json.hpp"
#include "snapshot/parsed_json.hpp"

using safeguard::snapshot::JsonError;
using safeguard::snapshot::JsonParser;
using safeguard::snapshot::ParsedJson;

namespace {

// Every tape index of the document: an error exactly at the marked ones, each its own.
void check_marks(const ParsedJson& json, const std::set<std::uint32_t>& marked) {
  const safeguard::cel::JsonDoc* d = json.doc();
  const auto length = static_cast<std::uint32_t>(safeguard::cel::json_payload(d, 0)) + 1;
  for (std::uint32_t i = 1; i < length; ++i) {
    const safeguard::cel::ErrorData* e = safeguard::cel::json_invalid_error(d, i);
    INFO("tape index " << i);
    if (marked.count(i) != 0) {
      REQUIRE(e != nullptr);
      CHECK(e->tape_index == i);
      CHECK(safeguard::cel::json_value(d, i).is_error());
    } else {
      CHECK(e == nullptr);
    }
  }
}

std::vector<safeguard::cel::ErrorData> errors_for(const std::vector<std::uint32_t>& indexes) {
  std::vector<safeguard::cel::ErrorData> errors(indexes.size());
  for (std::size_t k = 0; k < indexes.size(); ++k) errors[k].tape_index = indexes[k];
  return errors;
}

}  // namespace

TEST_CASE("values marked invalid read as their errors, and only those") {
  std::string text = "[";
  for (int i = 0; i < 400; ++i) text += (i > 0 ? "," : "") + std::to_string(i);
  text += "]";
  JsonParser parser;
  JsonError error;
  ParsedJson json;
  REQUIRE(parser.parse(text, json, &error));
  check_marks(json, {});

  // Integers take two tape words each: marks on either side of 64-bit words of the bitmap.
  const std::vector<std::vector<std::uint32_t>> sets = {
      {1},
      {2},
      {63},
      {64},
      {65},
      {127, 128},
      {63, 64, 65, 127, 128, 129, 191, 192, 255, 256, 511, 512, 513},
      {3, 799},
      {801},
      {2, 4, 6, 8}};
  for (const std::vector<std::uint32_t>& indexes : sets) {
    json.set_invalid(indexes, errors_for(indexes));
    check_marks(json, std::set<std::uint32_t>(indexes.begin(), indexes.end()));
    ParsedJson copy;
    copy.copy_from(json);
    check_marks(copy, std::set<std::uint32_t>(indexes.begin(), indexes.end()));
  }
  // Fewer marks after more: the bits of the earlier ones are gone.
  json.set_invalid({5}, errors_for({5}));
  check_marks(json, {5});
  json.set_invalid({}, {});
  check_marks(json, {});
  REQUIRE(parser.parse(text, json, &error));
  check_marks(json, {});
}
