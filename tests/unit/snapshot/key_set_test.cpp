// KeySet lookups of snapshot strings (find_tape_string; find_hashed with `padded` and
// find_padded, as match_key uses them; contains_tape_string, as string enums do): the
// string's first eight bytes and bytes 9 to 16 are loaded as whole words from a padded
// buffer and masked to its length. Whatever the bytes after the string, the answer must be
// the plain lookup's (find) and a linear search's, for keys that differ in one byte, in
// length only, or past the sixteenth byte.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "snapshot/schema_keys.hpp"

using safeguard::snapshot::schema::key_hash;
using safeguard::snapshot::schema::KeySet;
using safeguard::snapshot::schema::tape_key_prefix;

namespace {

int linear(const std::vector<std::string>& keys, const std::string& s) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == s) return static_cast<int>(i);
  }
  return -1;
}

// `s` in a buffer as the parser leaves strings: followed by `fill` bytes (the next
// string's length and text, or padding), so that whole words may be loaded past its end.
int padded_lookup(const KeySet& set, const std::string& s, char fill) {
  std::string buffer = s + std::string(40, fill);
  const auto size = static_cast<std::uint32_t>(s.size());
  const int direct = set.find_tape_string(buffer.data(), size);
  const std::uint64_t prefix = tape_key_prefix(buffer.data(), size);
  const int hashed =
      set.find_hashed(std::string_view(buffer.data(), size), prefix, key_hash(prefix, size), true);
  REQUIRE(direct == hashed);
  // String enums ask only whether it is there, stopping at the first slot that matches
  // sixteen bytes when the set allows it.
  REQUIRE(set.contains_tape_string(buffer.data(), size) == (direct >= 0));
  // match_key's lookup of a key of at most sixteen bytes, with no tail to compare.
  if (size <= 16) {
    REQUIRE(set.find_padded<true>(buffer.data(), size, prefix, key_hash(prefix, size)) == direct);
  }
  return direct;
}

// Every key, each byte changed (to a neighbour, a NUL, a high byte), one byte longer, one
// shorter: each looked up in a padded buffer against a linear search.
void check_probes(const std::vector<std::string>& keys) {
  KeySet set;
  set.assign(keys);
  std::vector<std::string> probes = keys;
  for (const std::string& key : keys) {
    for (std::size_t at = 0; at < key.size(); ++at) {
      for (const char c : {'\0', '\x01', '\xff', static_cast<char>(key[at] + 1)}) {
        std::string s = key;
        s[at] = c;
        probes.push_back(s);
      }
    }
    probes.push_back(key + "z");
    probes.push_back(key + std::string(1, '\0'));
    if (!key.empty()) probes.push_back(key.substr(0, key.size() - 1));
  }
  std::size_t found = 0;
  for (const std::string& probe : probes) {
    INFO("probe of " << probe.size() << " bytes: " << probe);
    const int expected = linear(keys, probe);
    CHECK(set.find(probe) == expected);
    for (const char fill : {'\0', 'q', 'z', '\xff'}) {
      CHECK(padded_lookup(set, probe, fill) == expected);
    }
    found += expected >= 0;
  }
  CHECK(found >= keys.size());
}

}  // namespace

TEST_CASE(
    "string enums stop at the first slot matching sixteen bytes only when no two share them") {
  // Long values that differ only past the sixteenth byte, or in length: the set says it
  // may stop, and the answers are a linear search's.
  const std::vector<std::string> distinct = {"parental_substance_misuse",
                                             "parental_mental_health",
                                             "domestic_abuse_risk_high",
                                             "domestic_abuse_risk_medium",
                                             "abcdefghijklmnopq",
                                             "abcdefghijklmnopqr",
                                             "abcdefghijklmnopqrstuvwxyz0123456789",
                                             "sixteen_bytes_ab",
                                             "short"};
  KeySet set;
  set.assign(distinct);
  CHECK(set.unique16());
  check_probes(distinct);
  // Two values of one length with the same first sixteen bytes: the general lookup.
  const std::vector<std::string> shared = {"strategy_discussion", "strategy_discussioN",
                                           "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopQrstuvwx"};
  set.assign(shared);
  CHECK_FALSE(set.unique16());
  check_probes(shared);
  set.assign({"strategy_discussion", "strategy_discussioN"});
  CHECK_FALSE(set.unique16());
  set.assign({"strategy_discussion", "strategy_discussions"});
  CHECK(set.unique16());
}

TEST_CASE("snapshot strings are found in a key set as a plain lookup finds them") {
  const std::vector<std::string> keys = {"",
                                         "a",
                                         "nfa",
                                         "abcdefg",
                                         "abcdefgh",
                                         "abcdefghi",
                                         "abcdefghijklmno",
                                         "abcdefghijklmnop",
                                         "abcdefghijklmnopq",
                                         "abcdefghijklmnopqrstuvwx",
                                         "abcdefghijklmnopqrstuvwxy",
                                         "strategy_discussion",
                                         "strategy_discussioN",
                                         "parental_substance_misuse"};
  check_probes(keys);
}

TEST_CASE("an empty key set finds nothing, padded or not") {
  KeySet set;
  set.assign({});
  CHECK(set.find("") == -1);
  CHECK(padded_lookup(set, "", '\0') == -1);
  CHECK(padded_lookup(set, "abcdefghijklmnopq", 'x') == -1);
}
