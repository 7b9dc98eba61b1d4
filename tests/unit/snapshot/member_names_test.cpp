// Declared property names as the member loop matches them (is_member in
// schema_validate.cpp): the key's first sixteen bytes are loaded as two whole words from the
// padded string buffer and masked to the name's length. A key that differs from a name in
// any byte, or only in its length, must not match it, whether it comes where the schema
// expects that name next (the guess) or elsewhere (match_key, the way back).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "schema_test_util.hpp"

using namespace schema_test;

namespace {

// Names of every length around the word boundaries (and the empty name).
const std::vector<std::string> kNames = {"",
                                         "a",
                                         "abcdefg",
                                         "abcdefgh",
                                         "abcdefghi",
                                         "abcdefghijklmno",
                                         "abcdefghijklmnop",
                                         "abcdefghijklmnopq",
                                         "abcdefghijklmnopqrstuvwx",
                                         "abcdefghijklmnopqrstuvwxy"};

std::string schema_text() {
  std::string properties;
  for (const std::string& name : kNames) {
    if (!properties.empty()) properties += ",";
    properties += "\"" + name + "\": {\"type\": \"integer\"}";
  }
  return R"({"type": "object", "additionalProperties": false, "properties": {)" + properties + "}}";
}

// The object with each key given a string (a type violation where the key is declared,
// "schema.additional-property" where it is not).
std::string object(const std::vector<std::string>& keys) {
  std::string out = "{";
  for (const std::string& key : keys) {
    if (out.size() > 1) out += ",";
    out += "\"" + key + "\": \"x\"";
  }
  return out + "}";
}

std::size_t count(const std::vector<Violation>& violations, const std::string& code) {
  std::size_t n = 0;
  for (const Violation& v : violations) n += v.code == code;
  return n;
}

}  // namespace

TEST_CASE("member names: every declared name matches itself, in order and out of it") {
  const auto s = load(schema_text());
  REQUIRE(s);
  for (const bool reversed : {false, true}) {
    std::vector<std::string> keys = kNames;
    if (reversed) keys.assign(kNames.rbegin(), kNames.rend());
    ParsedJson json;
    const auto violations = validate(*s, object(keys), json);
    CHECK(count(violations, "schema.type") == kNames.size());
    CHECK(count(violations, "schema.additional-property") == 0);
  }
}

TEST_CASE("member names: a key one byte or one length away from a name is another key") {
  const auto s = load(schema_text());
  REQUIRE(s);
  for (std::size_t i = 1; i < kNames.size(); ++i) {
    const std::string& name = kNames[i];
    std::vector<std::string> others;
    for (std::size_t at = 0; at < name.size(); ++at) {
      std::string changed = name;
      changed[at] = changed[at] == 'z' ? 'y' : 'z';
      others.push_back(changed);
    }
    others.push_back(name.substr(0, name.size() - 1) + "");  // shorter (maybe another name)
    others.push_back(name + "z");                            // longer
    for (const std::string& other : others) {
      bool declared = false;
      for (const std::string& n : kNames) declared = declared || n == other;
      if (declared) continue;
      INFO(name << " -> " << other);
      // Where the name is expected next (after the names before it), and first of all.
      std::vector<std::string> in_place(kNames.begin(), kNames.begin() + static_cast<long>(i));
      in_place.push_back(other);
      for (const auto& keys : {in_place, std::vector<std::string>{other}}) {
        ParsedJson json;
        const auto violations = validate(*s, object(keys), json);
        CHECK(count(violations, "schema.additional-property") == 1);
        CHECK(count(violations, "schema.type") == keys.size() - 1);
      }
    }
  }
}
