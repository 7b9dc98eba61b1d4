// The CLI's copy of the library's terminal escaping (safeguard test prints a test file's
// text with it) agrees with the library's own, byte for byte.
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "base/terminal_text.hpp"
#include "cli/test_printable.hpp"

using safeguard::cli::test::printable;

TEST_CASE("safeguard test's printable() escapes control characters as to_text does") {
  CHECK(printable("a\x1b[2J\rb\tc\nd") == "a\\u001b[2J\\u000db\tc\nd");
  CHECK(printable(std::string("x\0y", 3)) == "x\\u0000y");
  CHECK(printable("\x7f \xc2\x85 \xc2\x9f \xc2\xa0") == "\\u007f \\u0085 \\u009f \xc2\xa0");
  CHECK(printable("\xff \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82") ==
        "\\xff \\xc0\\xaf \\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80 \\xe2\\x82");
  CHECK(printable("h\xc3\xa9llo \xf0\x9f\x98\x80") == "h\xc3\xa9llo \xf0\x9f\x98\x80");
  CHECK(printable("a\xe2\x80\xae"
                  "b\xe2\x81\xa9 \xe2\x80\x8f") == "a\\u202eb\\u2069 \xe2\x80\x8f");
}

TEST_CASE("safeguard test's printable() agrees with the library's on any bytes") {
  std::mt19937 random(20261207);
  // Bytes around the edges of UTF-8's ranges, so that most texts mix valid and invalid.
  const unsigned char pieces[] = {0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x20, 0x41, 0x7f, 0x80,
                                  0x81, 0x85, 0x9f, 0xa0, 0xa6, 0xa9, 0xaa, 0xae, 0xbf, 0xc0,
                                  0xc1, 0xc2, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xff};
  for (int n = 0; n < 100000; ++n) {
    std::string text(random() % 12, '\0');
    for (char& c : text) c = static_cast<char>(pieces[random() % sizeof pieces]);
    INFO(safeguard::base::printable(text));
    REQUIRE(printable(text) == safeguard::base::printable(text));
  }
}
