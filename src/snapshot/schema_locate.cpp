#include "snapshot/schema_locate.hpp"

#include <cstdlib>

#include "base/utf8.hpp"

namespace safeguard::snapshot::schema {

namespace {

class Walker {
 public:
  explicit Walker(std::string_view text) : s_(text) {}

  std::uint32_t locate(const std::vector<std::string>& tokens, bool at_key) {
    skip_space();
    for (std::size_t n = 0; n < tokens.size(); ++n) {
      const bool last = n + 1 == tokens.size();
      const std::size_t container = pos_;
      if (peek() == '{') {
        if (!enter_member(tokens[n], last && at_key)) return static_cast<std::uint32_t>(container);
        if (last && at_key) return static_cast<std::uint32_t>(pos_);
      } else if (peek() == '[') {
        if (!enter_element(tokens[n])) return static_cast<std::uint32_t>(container);
      } else {
        break;
      }
    }
    return static_cast<std::uint32_t>(pos_);
  }

 private:
  char peek() const noexcept { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  void skip_space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // Leaves pos_ at the value of member `name` (at its name, with `stop_at_key`).
  bool enter_member(const std::string& name, bool stop_at_key) {
    ++pos_;
    for (;;) {
      skip_space();
      if (peek() != '"') return false;
      const std::size_t key_start = pos_;
      const std::string key = read_string();
      skip_space();
      if (peek() != ':') return false;
      ++pos_;
      skip_space();
      if (key == name) {
        if (stop_at_key) pos_ = key_start;
        return true;
      }
      skip_value();
      skip_space();
      if (peek() != ',') return false;
      ++pos_;
    }
  }

  bool enter_element(const std::string& token) {
    char* end = nullptr;
    const unsigned long wanted = std::strtoul(token.c_str(), &end, 10);
    if (token.empty() || *end != '\0') return false;
    ++pos_;
    skip_space();
    if (peek() == ']') return false;
    for (unsigned long index = 0;; ++index) {
      skip_space();
      if (index == wanted) return true;
      skip_value();
      skip_space();
      if (peek() != ',') return false;
      ++pos_;
    }
  }

  // Containers are skipped by counting brackets outside strings: no recursion.
  void skip_value() {
    int depth = 0;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '"') {
        skip_string();
        if (depth == 0) return;
        continue;
      }
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return;
        if (--depth == 0) {
          ++pos_;
          return;
        }
      } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
        return;
      }
      ++pos_;
    }
  }

  void skip_string() {
    ++pos_;
    while (pos_ < s_.size() && s_[pos_] != '"') pos_ += s_[pos_] == '\\' ? 2 : 1;
    ++pos_;
  }

  unsigned hex4() {
    unsigned v = 0;
    for (int k = 0; k < 4 && pos_ < s_.size(); ++k, ++pos_) {
      const char c = s_[pos_];
      v = v * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
  }

  std::string read_string() {
    std::string out;
    ++pos_;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      if (s_[pos_] != '\\') {
        out.push_back(s_[pos_++]);
        continue;
      }
      ++pos_;
      const char e = pos_ < s_.size() ? s_[pos_++] : '\0';
      switch (e) {
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          char32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4() - 0xDC00);
          }
          if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
          base::append_utf8(out, cp);
          break;
        }
        default:
          out.push_back(e);
          break;
      }
    }
    ++pos_;
    return out;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::uint32_t locate_pointer(std::string_view text, const std::vector<std::string>& tokens,
                             bool at_key) {
  return Walker(text).locate(tokens, at_key);
}

}  // namespace safeguard::snapshot::schema
