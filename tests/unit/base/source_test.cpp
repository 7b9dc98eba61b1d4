#include <catch2/catch.hpp>

#include "base/arena.hpp"
#include "base/source.hpp"
#include "base/utf8.hpp"

using namespace safeguard;

TEST_CASE("source positions are 1-based lines and code-point columns") {
  base::SourceText src("f.yaml", "ab\ncé d\n\nlast");
  CHECK(src.position(0).line == 1);
  CHECK(src.position(0).column == 1);
  CHECK(src.position(3).line == 2);
  // 'c' 'é' (2 bytes) ' ' 'd': byte offset 7 is 'd', the 4th code point.
  CHECK(src.position(7).column == 4);
  CHECK(src.line_text(2) == "cé d");
  CHECK(src.line_text(3).empty());
  CHECK(src.line_text(4) == "last");
  CHECK(src.line_text(9).empty());
}

TEST_CASE("a diagnostic prints file:line:col, the line, a caret and the hint") {
  base::SourceText src("rules/a.yaml", "id: x\nseverty: high\n");
  base::Issue issue{Severity::kError,        "rule.unknown-key",        6, 7,
                    "unknown key 'severty'", "did you mean 'severity'?"};
  const std::string text = format(src.diagnostic(issue));
  CHECK(text ==
        "rules/a.yaml:2:1: error: unknown key 'severty' [rule.unknown-key]\n"
        "  severty: high\n"
        "  ^~~~~~~\n"
        "  hint: did you mean 'severity'?\n");
}

TEST_CASE("utf8 validation rejects overlongs, surrogates and truncation") {
  CHECK(base::is_valid_utf8("plain ascii and é and 😀"));
  CHECK(base::find_invalid_utf8("ok\xC0\xAF") == 2);        // overlong '/'
  CHECK(base::find_invalid_utf8("\xED\xA0\x80") == 0);      // surrogate
  CHECK(base::find_invalid_utf8("abc\xE2\x82") == 3);       // truncated
  CHECK(base::find_invalid_utf8("\xF4\x90\x80\x80") == 0);  // above U+10FFFF
  CHECK(base::count_code_points("aé😀") == 3);
}

TEST_CASE("arena allocations respect the budget and reset") {
  base::Arena arena(64 * 1024);
  void* a = arena.allocate(1000);
  REQUIRE(a != nullptr);
  CHECK(arena.bytes_used() >= 1000);
  CHECK(arena.allocate(100 * 1024) == nullptr);  // over budget: refused, not thrown
  arena.reset();
  CHECK(arena.bytes_used() == 0);
  char* s = arena.copy_string("hello", 5);
  REQUIRE(s != nullptr);
  CHECK(std::string(s) == "hello");
}

#include "base/sha256.hpp"

TEST_CASE("sha256 matches the FIPS 180-4 test vectors") {
  CHECK(base::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(base::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(base::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  base::Sha256 h;
  for (int i = 0; i < 1000; ++i) h.update(std::string(1000, 'a'));
  CHECK(h.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
