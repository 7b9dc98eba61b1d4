// Formatting diagnostics: location, message, code, the source line with a caret, the hint;
// a very long source line is cut to a window around the caret.
#include <catch2/catch.hpp>

#include <string>

#include "safeguard/diagnostic.hpp"

using safeguard::Diagnostic;
using safeguard::format;

namespace {

Diagnostic at(const std::string& line, std::uint32_t column, std::uint32_t length = 1) {
  Diagnostic d;
  d.file = "rules.yaml";
  d.line = 3;
  d.column = column;
  d.caret_length = length;
  d.code = "cel.syntax";
  d.message = "unexpected ')'";
  d.source_line = line;
  d.hint = "remove it";
  return d;
}

}  // namespace

TEST_CASE("a very long line is cut to a window around the caret") {
  const std::string line = std::string(5000, '[') + ")" + std::string(5000, ']');
  const std::string text = format(at(line, 5001));
  const std::size_t first = text.find('\n') + 1;
  const std::string shown = text.substr(first, text.find('\n', first) - first);
  const std::size_t caret_at = text.find('\n', first) + 1;
  const std::string caret = text.substr(caret_at, text.find('\n', caret_at) - caret_at);
  CHECK(shown.size() < 200);
  CHECK(shown.compare(0, 5, "  ...") == 0);
  CHECK(shown.compare(shown.size() - 3, 3, "...") == 0);
  // The caret still points at the ')'.
  REQUIRE(caret.size() <= shown.size());
  CHECK(caret.back() == '^');
  CHECK(shown[caret.size() - 1] == ')');
}

TEST_CASE("a long line is cut by code points, never inside a character") {
  std::string line;
  for (int i = 0; i < 400; ++i) line += "\xC3\xA9";  // é, two bytes each
  line += "!";
  const std::string text = format(at(line, 401));
  const std::size_t first = text.find('\n') + 1;
  const std::string shown = text.substr(first, text.find('\n', first) - first);
  // "  ..." then whole two-byte characters, then the '!'.
  CHECK(shown.compare(0, 5, "  ...") == 0);
  CHECK((shown.size() - 5 - 1) % 2 == 0);
  CHECK(shown.back() == '!');
  const std::size_t caret_at = text.find('\n', first) + 1;
  const std::string caret = text.substr(caret_at, text.find('\n', caret_at) - caret_at);
  // The caret is under the '!': as many columns as code points before it on the shown line.
  const std::size_t code_points_before = 2 + 3 + (shown.size() - 5 - 1) / 2;
  CHECK(caret.size() == code_points_before + 1);
}
