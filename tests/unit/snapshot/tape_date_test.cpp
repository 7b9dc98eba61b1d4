// is_tape_date, which tests a snapshot's "format": "date" strings in place (sixteen bytes at
// once with SSE2, else eight at a time), against the byte-by-byte test it replaced and against
// time::parse_date, on edited dates: every byte value in every position, and random edits
// near valid dates, with any bytes after the date.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "snapshot/schema_validator.hpp"
#include "time/civil.hpp"
#include "time/date.hpp"

namespace {

// The test validation used before (a real YYYY-MM-DD date, year 0001 to 9999).
bool bytewise_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  unsigned digit[10];
  for (std::size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) continue;
    digit[i] = static_cast<unsigned char>(s[i]) - static_cast<unsigned>('0');
    if (digit[i] > 9) return false;
  }
  const unsigned year = digit[0] * 1000 + digit[1] * 100 + digit[2] * 10 + digit[3];
  const unsigned month = digit[5] * 10 + digit[6];
  const unsigned day = digit[8] * 10 + digit[9];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
         day <= safeguard::time::days_in_month(year, month);
}

// As validation calls it: the text in a padded buffer, followed by `after` (the next
// string's length and text, or padding), which must not change the answer.
bool in_place(const std::string& s, char after) {
  const std::string buffer = s + std::string(16, after);
  return safeguard::snapshot::schema::is_tape_date(buffer.data(),
                                                   static_cast<std::uint32_t>(s.size()));
}

bool in_place(const std::string& s) {
  const bool answer = in_place(s, '\0');
  REQUIRE(in_place(s, '0') == answer);
  REQUIRE(in_place(s, '-') == answer);
  REQUIRE(in_place(s, '\xff') == answer);
  return answer;
}

}  // namespace

TEST_CASE("dates tested in place agree with the byte-by-byte test and the date parser") {
  const char* const seeds[] = {"2024-02-29", "2023-02-28", "1900-02-28", "2000-02-29",
                               "0001-01-01", "9999-12-31", "2024-04-30", "2024-12-31",
                               "2024-06-03", "0400-02-29", "2100-02-28", "1999-09-09"};
  std::size_t accepted = 0;
  for (const char* seed : seeds) {
    // Each position, every byte value.
    for (std::size_t at = 0; at < 10; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string s = seed;
        s[at] = static_cast<char>(b);
        INFO(s);
        const bool expected = bytewise_date(s);
        REQUIRE(in_place(s) == expected);
        REQUIRE(safeguard::time::parse_date(s).has_value() == expected);
        accepted += expected;
      }
    }
    // Two positions at once, over the digits and a few neighbours of them.
    const char alphabet[] = "0123456789-/:@ \x7f";
    for (std::size_t a = 0; a < 10; ++a) {
      for (std::size_t b = a + 1; b < 10; ++b) {
        for (const char x : std::string_view(alphabet, sizeof alphabet - 1)) {
          for (const char y : std::string_view(alphabet, sizeof alphabet - 1)) {
            std::string s = seed;
            s[a] = x;
            s[b] = y;
            INFO(s);
            REQUIRE(in_place(s) == bytewise_date(s));
          }
        }
      }
    }
  }
  CHECK(accepted > 500);
  // Other lengths are never dates, whatever they start with.
  for (const std::string s : {"", "2024-06-0", "2024-06-031", "2024-06-03T", " 2024-06-03"}) {
    CHECK_FALSE(in_place(s));
  }
}
