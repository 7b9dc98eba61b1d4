// Text for a terminal: control characters from case data or rule files are written out, not
// sent to the reader's terminal, in results as text and in formatted diagnostics.
#include <catch2/catch.hpp>

#include <string>

#include "base/terminal_text.hpp"
#include "safeguard/diagnostic.hpp"
#include "safeguard/result.hpp"

using safeguard::base::printable;
using safeguard::base::printable_same_width;

TEST_CASE("control characters are written as escapes, other text is kept") {
  CHECK(printable("plain text, café, \xF0\x9F\x98\x80") == "plain text, café, \xF0\x9F\x98\x80");
  CHECK(printable("line one\n\tline two") == "line one\n\tline two");
  CHECK(printable("\x1b[2Jcleared") == "\\u001b[2Jcleared");
  CHECK(printable(std::string("a\0b", 3)) == "a\\u0000b");
  CHECK(printable("over\rwrite\b\x7f") == "over\\u000dwrite\\u0008\\u007f");
  CHECK(printable("\xC2\x9B"
                  "31m") == "\\u009b31m");     // C1 CSI
  CHECK(printable("\xC2\xA0") == "\xC2\xA0");  // U+00A0 is not a control
  // Bidirectional overrides and isolates reorder the rest of the line; marks do not.
  CHECK(printable("a\xE2\x80\xAE"
                  "b\xE2\x81\xA6"
                  "c\xE2\x81\xA9") == "a\\u202eb\\u2066c\\u2069");
  CHECK(printable("\xE2\x80\xAA\xE2\x80\xA9\xE2\x80\x8F") == "\\u202a\xE2\x80\xA9\xE2\x80\x8F");
  CHECK(printable("bad \xFF byte") == "bad \\xff byte");
  CHECK(printable("\xE2\x82") == "\\xe2\\x82");  // cut short
  CHECK(printable("\xC0\xAF") == "\\xc0\\xaf");  // overlong
  CHECK(printable("\\u001b") == "\\u001b");      // already written out: unchanged
}

TEST_CASE("the same-width form keeps one column per character") {
  CHECK(printable_same_width("a\x1b[1mb\tc") == "a?[1mb\tc");
  CHECK(printable_same_width("\xC2\x9B|\xFF|é") == "?|?|é");
}

TEST_CASE("a formatted diagnostic shows a quoted name's controls escaped, caret in place") {
  safeguard::Diagnostic d;
  d.file = "rules.yaml";
  d.line = 2;
  d.column = 3;
  d.caret_length = 4;
  d.code = "param.invalid-name";
  d.message = "parameter name 'a\x1b[31m' is not allowed";
  d.source_line = "  a\x1b[31m: 1";
  d.hint = std::string("rename it\0", 10);
  CHECK(safeguard::format(d) ==
        "rules.yaml:2:3: error: parameter name 'a\\u001b[31m' is not allowed "
        "[param.invalid-name]\n"
        "    a?[31m: 1\n"
        "    ^~~~\n"
        "  hint: rename it\\u0000\n");
}

TEST_CASE("a result as text shows case data's controls escaped") {
  safeguard::Result r;
  r.evaluated = true;
  r.as_of = "2024-06-03";
  r.level.id = "universal";
  safeguard::Flag f;
  f.id = "front-door.x";
  f.severity = "high";
  f.title = "Title\x1b[2J";
  f.message = "contact K\r1";
  r.flags.push_back(f);
  const std::string text = safeguard::to_text(r);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find("front-door.x - Title\\u001b[2J\n") != std::string::npos);
  CHECK(text.find("contact K\\u000d1\n") != std::string::npos);
}
