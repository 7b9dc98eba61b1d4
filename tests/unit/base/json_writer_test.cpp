#include <catch2/catch.hpp>

#include <string>

#include "base/json_writer.hpp"

using safeguard::base::append_json_string;

namespace {

std::string quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// The escaping one character at a time, for ASCII and whole UTF-8 sequences.
std::string reference(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace

TEST_CASE("JSON strings escape what needs it wherever it falls in a run of plain text") {
  // Plain runs are found 16 bytes at a time (SSE2; 8 elsewhere), short strings in a padded
  // copy, the last block overlapping the one before: put each kind of character at every
  // position of strings up to and past two blocks, alone and after another.
  // ' ' and '~' are the plain bytes next to those escaped (a lone 0x80 or 0xff is
  // replaced, which the reference above does not do).
  const std::string specials[] = {"\"",   "\\",   "\n",       "\t", std::string(1, '\0'),
                                  "\x1f", "\x7f", "\xc3\xa9", " ",  "~"};
  for (std::size_t length = 1; length <= 40; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (const std::string& special : specials) {
        std::string text(length, 'a');
        text.replace(at, 1, special);
        INFO("length " << length << ", at " << at);
        CHECK(quoted(text) == reference(text));
        for (std::size_t second = at + special.size(); second < text.size(); second += 3) {
          std::string two = text;
          two.replace(second, 1, "\"");
          INFO("second special at " << second);
          CHECK(quoted(two) == reference(two));
        }
      }
    }
  }
  CHECK(quoted("plain text, no escapes at all: 0123456789") ==
        "\"plain text, no escapes at all: 0123456789\"");
  CHECK(quoted("") == "\"\"");
  // A byte that starts no valid UTF-8 sequence, after a plain run, is replaced.
  CHECK(quoted("abcdefgh\xff") == "\"abcdefgh\xEF\xBF\xBD\"");
}

TEST_CASE("copy_plain_json_text copies exactly the printable ASCII texts needing no escape") {
  // Blocks of 16 are tested and stored as they are loaded, the last one overlapping, a
  // short text through a padded copy: each kind of character at every position of texts
  // up to and past two blocks, and the plain texts themselves.
  using safeguard::base::copy_plain_json_text;
  // The bounds of the one signed compare that finds control characters, DEL and bytes
  // from 0x80 up: ' ' and '~' are plain, 0x80 and 0xff are not.
  const std::string specials[] = {"\"",   "\\",   "\n",       "\t", std::string(1, '\0'),
                                  "\x1f", "\x7f", "\xc3\xa9", " ",  "~",
                                  "\x80", "\xff", "\x20\x7e"};
  const auto check = [](const std::string& text) {
    INFO("text of length " << text.size());
    std::string out(text.size() + 16, '#');
    bool plain = true;
    for (const char c : text) plain = plain && c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
    CHECK(copy_plain_json_text(&out[0], text) == plain);
    if (plain) {
      CHECK(out.substr(0, text.size()) == text);
      CHECK(quoted(text) == "\"" + text + "\"");
    }
  };
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string text;
    for (std::size_t i = 0; i < length; ++i) text += static_cast<char>('a' + i % 26);
    check(text);
    for (std::size_t at = 0; at < length; ++at) {
      for (const std::string& special : specials) {
        std::string odd = text;
        odd.replace(at, 1, special);
        INFO("at " << at);
        check(odd);
      }
    }
  }
}
