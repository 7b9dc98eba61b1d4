#include "snapshot/json_locate.hpp"

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/utf8.hpp"

namespace safeguard::snapshot {

namespace {

class Scanner {
 public:
  Scanner(std::string_view text, std::uint32_t max_depth) : s_(text), max_depth_(max_depth) {}

  JsonProblem run() {
    skip_space();
    if (pos_ >= s_.size()) return fail("the document is empty");
    if (!value()) return problem_;
    skip_space();
    if (pos_ < s_.size()) return fail("unexpected text after the JSON value");
    return problem_;
  }

 private:
  JsonProblem fail(std::string message) {
    if (!problem_.found) {
      problem_.found = true;
      problem_.offset = pos_;
      problem_.message = std::move(message);
      std::uint32_t line = 1;
      std::size_t line_start = 0;
      for (std::size_t i = 0; i < pos_ && i < s_.size(); ++i) {
        if (s_[i] == '\n') {
          ++line;
          line_start = i + 1;
        }
      }
      problem_.line = line;
      problem_.column = static_cast<std::uint32_t>(
                            base::count_code_points(s_.substr(line_start, pos_ - line_start))) +
                        1;
    }
    return problem_;
  }

  void skip_space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // Containers are tracked on an explicit stack: no recursion, whatever the nesting.
  bool value() {
    std::vector<char> stack;
    for (;;) {
      skip_space();
      if (pos_ >= s_.size()) {
        fail("unexpected end of the document; expected a value");
        return false;
      }
      const char c = s_[pos_];
      bool scalar_done = false;
      if (c == '{' || c == '[') {
        if (stack.size() >= max_depth_) {
          fail("nesting is too deep (the limit is " + std::to_string(max_depth_) + ")");
          return false;
        }
        stack.push_back(c);
        ++pos_;
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == (c == '{' ? '}' : ']')) {
          ++pos_;
          stack.pop_back();
          scalar_done = true;
        } else if (c == '{') {
          if (!member_key()) return false;
          continue;
        } else {
          continue;
        }
      } else if (c == '"') {
        if (!string()) return false;
        scalar_done = true;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!number()) return false;
        scalar_done = true;
      } else if (literal("true") || literal("false") || literal("null")) {
        scalar_done = true;
      } else {
        fail(c == '\'' ? "strings must use double quotes" : "expected a value");
        return false;
      }
      (void)scalar_done;
      // After a value: close containers or expect a separator.
      for (;;) {
        if (stack.empty()) return true;
        skip_space();
        if (pos_ >= s_.size()) {
          fail(std::string("unexpected end of the document; expected ',' or '") +
               (stack.back() == '{' ? '}' : ']') + "'");
          return false;
        }
        const char d = s_[pos_];
        if (d == ',') {
          ++pos_;
          if (stack.back() == '{') {
            skip_space();
            if (!member_key()) return false;
          }
          break;  // next value
        }
        if (d == (stack.back() == '{' ? '}' : ']')) {
          ++pos_;
          stack.pop_back();
          continue;
        }
        fail(std::string("expected ',' or '") + (stack.back() == '{' ? '}' : ']') + "'");
        return false;
      }
    }
  }

  bool member_key() {
    skip_space();
    if (pos_ >= s_.size() || s_[pos_] != '"') {
      fail(pos_ < s_.size() && s_[pos_] == '}' ? "trailing comma before '}'"
                                               : "expected a member name in double quotes");
      return false;
    }
    if (!string()) return false;
    skip_space();
    if (pos_ >= s_.size() || s_[pos_] != ':') {
      fail("expected ':' after the member name");
      return false;
    }
    ++pos_;
    return true;
  }

  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  static bool hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  bool string() {
    ++pos_;  // opening quote
    while (pos_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        ++pos_;
        if (pos_ >= s_.size()) break;
        const char e = s_[pos_];
        if (e == 'u') {
          const std::size_t escape = pos_ - 1;
          int unit = 0;
          if (!hex_escape(pos_, &unit)) return false;
          pos_ += 5;
          // A surrogate must come as a high-low pair; alone it is not a character.
          if (unit >= 0xDC00 && unit <= 0xDFFF) {
            pos_ = escape;
            fail("unpaired surrogate escape (\\uDC00-\\uDFFF) in a string");
            return false;
          }
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            int low = 0;
            if (pos_ + 1 >= s_.size() || s_[pos_] != '\\' || s_[pos_ + 1] != 'u' ||
                !hex_escape(pos_ + 1, &low) || low < 0xDC00 || low > 0xDFFF) {
              pos_ = escape;
              fail("unpaired surrogate escape (\\uD800-\\uDBFF) in a string");
              return false;
            }
            pos_ += 6;
          }
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          fail("invalid escape in a string");
          return false;
        }
        ++pos_;
        continue;
      }
      if (c < 0x20) {
        fail("control character in a string (escape it)");
        return false;
      }
      if (c >= 0x80) {
        std::size_t len = (c & 0xE0) == 0xC0   ? 2
                          : (c & 0xF0) == 0xE0 ? 3
                          : (c & 0xF8) == 0xF0 ? 4
                                               : 0;
        if (len == 0 || pos_ + len > s_.size() || !base::is_valid_utf8(s_.substr(pos_, len))) {
          fail("invalid UTF-8 in a string");
          return false;
        }
        pos_ += len;
        continue;
      }
      ++pos_;
    }
    fail("unterminated string");
    return false;
  }

  // The four hex digits after the 'u' at `u`; fails (at the current position) if invalid.
  bool hex_escape(std::size_t u, int* unit) {
    *unit = 0;
    for (std::size_t k = 1; k <= 4; ++k) {
      if (u + k >= s_.size() || !hex(s_[u + k])) {
        fail("invalid \\u escape in a string");
        return false;
      }
      const char h = s_[u + k];
      *unit = *unit * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
    }
    return true;
  }

  bool number() {
    const std::size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9')) {
      fail("invalid number");
      return false;
    }
    if (s_[pos_] == '0' && pos_ + 1 < s_.size() && s_[pos_ + 1] >= '0' && s_[pos_ + 1] <= '9') {
      fail("numbers may not have leading zeros");
      return false;
    }
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    bool integer = true;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      integer = false;
      ++pos_;
      if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9')) {
        fail("expected digits after the decimal point");
        return false;
      }
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      integer = false;
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9')) {
        fail("expected digits in the exponent");
        return false;
      }
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    if (!integer) {
      const std::string text(s_.substr(start, pos_ - start));
      if (std::isinf(std::strtod(text.c_str(), nullptr))) {
        pos_ = start;
        fail("number is too large for a double");
        return false;
      }
    }
    if (integer) {
      // Integers must fit 64 bits (signed if negative); the evaluator has no big numbers.
      std::string_view digits = s_.substr(start, pos_ - start);
      const bool negative = digits[0] == '-';
      if (negative) digits.remove_prefix(1);
      const std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
      if (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit)) {
        pos_ = start;
        fail("integer is too large (beyond 64 bits)");
        return false;
      }
    }
    return true;
  }

  std::string_view s_;
  std::uint32_t max_depth_;
  std::size_t pos_ = 0;
  JsonProblem problem_;
};

}  // namespace

JsonProblem locate_json_problem(std::string_view text, std::uint32_t max_depth) {
  if (const std::size_t bad = base::find_invalid_utf8(text); bad != std::string_view::npos) {
    // Report invalid UTF-8 outside strings too (simdjson validates the whole input).
    JsonProblem p;
    p.found = true;
    p.offset = bad;
    std::uint32_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < bad; ++i) {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    p.line = line;
    p.column = static_cast<std::uint32_t>(
                   base::count_code_points(text.substr(line_start, bad - line_start))) +
               1;
    p.message = "invalid UTF-8";
    return p;
  }
  return Scanner(text, max_depth).run();
}

}  // namespace safeguard::snapshot
