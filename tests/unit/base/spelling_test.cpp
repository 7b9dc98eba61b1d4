#include <catch2/catch.hpp>

#include "base/spelling.hpp"

using safeguard::base::closest_match;
using safeguard::base::edit_distance;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps") {
  CHECK(edit_distance("severity", "severity") == 0);
  CHECK(edit_distance("severty", "severity") == 1);
  CHECK(edit_distance("sevreity", "severity") == 1);  // adjacent swap
  CHECK(edit_distance("Severity", "severity") == 0);  // case-insensitive
  CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("closest match suggests only plausible typos") {
  const std::vector<std::string> keys = {"id", "title", "severity", "category", "when"};
  CHECK(closest_match("severty", keys) == "severity");
  CHECK(closest_match("titel", keys) == "title");
  CHECK(closest_match("wen", keys) == "when");
  CHECK(closest_match("completely_different", keys).empty());
  CHECK(closest_match("xy", keys).empty());
}
