#include <catch2/catch.hpp>

#include <string>

#include "base/text_buffer.hpp"

using safeguard::base::TextBuffer;

TEST_CASE("a text buffer holds what was appended, across every short length and its growth") {
  // Texts of 0 to 16 bytes are copied in overlapping words, longer ones by memcpy: append
  // each length at every offset (so that the words fall everywhere) until the buffer has
  // grown several times, against std::string.
  TextBuffer buffer;
  std::string expected;
  std::string source;
  for (int i = 0; i < 64; ++i) source += static_cast<char>('A' + i % 26);
  for (int round = 0; round < 40; ++round) {
    for (std::size_t n = 0; n <= 40; ++n) {
      const std::size_t from = (static_cast<std::size_t>(round) * 7 + n) % 24;
      buffer.append(source.data() + from, n);
      expected.append(source, from, n);
      buffer.push_back(static_cast<char>('0' + n % 10));
      expected.push_back(static_cast<char>('0' + n % 10));
    }
    buffer += "; ";
    expected += "; ";
  }
  REQUIRE(buffer.size() == expected.size());
  CHECK(buffer.view() == expected);
  CHECK(buffer.capacity() >= buffer.size());
  CHECK(buffer.view(3, 10) == expected.substr(3, 7));
}

TEST_CASE("a text buffer's tail is written in place, truncate and clear drop text") {
  TextBuffer buffer;
  buffer.append("abc");
  char* p = buffer.tail(1000);  // grows, keeping what was there
  for (int i = 0; i < 1000; ++i) *p++ = 'x';
  buffer.commit(p);
  CHECK(buffer.size() == 1003);
  CHECK(buffer.view(0, 4) == "abcx");
  buffer.truncate(2);
  buffer.append("null");
  CHECK(buffer.view() == "abnull");
  buffer.clear();
  CHECK(buffer.empty());
  buffer.append("z");
  CHECK(buffer.view() == "z");
  buffer.release();
  CHECK(buffer.size() == 0);
  CHECK(buffer.capacity() == 0);
  buffer.push_back('q');
  CHECK(buffer.view() == "q");
}

TEST_CASE("a text buffer's data is never null, before its first append and after release") {
  // evaluate_json copies a case's facts from data() with memcpy; a case whose raised rules
  // have no facts and no message appends nothing, and memcpy's source must not be null
  // even for no bytes (UBSan stopped the run).
  TextBuffer buffer;
  CHECK(buffer.data() != nullptr);
  CHECK(buffer.view().empty());
  CHECK(buffer.view(0, 0).data() != nullptr);
  buffer.append("abc");
  buffer.release();
  CHECK(buffer.data() != nullptr);
  CHECK(buffer.view().empty());
}
