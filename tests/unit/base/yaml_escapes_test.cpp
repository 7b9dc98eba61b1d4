// base::repair_yaml_escapes: yaml-cpp's "\N" and "\_" bytes (0x85, 0xA0) become UTF-8, and
// the multi-byte characters around them are left as they are.
#include <catch2/catch.hpp>

#include <string>

#include "base/utf8.hpp"

namespace {

std::string repaired(std::string text) {
  safeguard::base::repair_yaml_escapes(text);
  return text;
}

}  // namespace

TEST_CASE("yaml-cpp's single-byte escapes are written as UTF-8") {
  CHECK(repaired("no\xA0"
                 "break") ==
        "no\xC2\xA0"
        "break");
  CHECK(repaired("\x85") == "\xC2\x85");
  CHECK(repaired("\xA0\xA0") == "\xC2\xA0\xC2\xA0");
  // Beside two-, three- and four-byte characters, including ones whose continuation bytes
  // are 0x85 or 0xA0 themselves (U+0145 is C5 85, U+2020 is E2 80 A0).
  CHECK(repaired("\xC5\x85\xA0\xE2\x80\xA0\x85\xF0\x9F\x98\x80\xA0") ==
        "\xC5\x85\xC2\xA0\xE2\x80\xA0\xC2\x85\xF0\x9F\x98\x80\xC2\xA0");
  for (const char* unchanged : {"", "plain", "\xC2\xA0", "\xC5\x85", "\xE2\x80\xA8"}) {
    INFO(unchanged);
    CHECK(repaired(unchanged) == unchanged);
  }
  CHECK(
      safeguard::base::is_valid_utf8(repaired("a\xA0"
                                              "b\x85"
                                              "c")));
}
