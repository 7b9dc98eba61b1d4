// Message templates: "{count} contact(s) waited more than {params.days} working day(s)".
// Text in braces is a CEL expression (it may use the rule's facts by name); "{{" and "}}"
// stand for literal braces.
#include "ruleset/load/rule_files.hpp"

namespace safeguard::ruleset {

namespace {

ExprText slice(const ExprText& whole, std::size_t begin, std::size_t end) {
  ExprText e;
  e.text = whole.text.substr(begin, end - begin);
  e.file = whole.file;
  e.start = whole.offsets.empty() ? whole.start : whole.offsets[begin];
  e.offsets.assign(whole.offsets.begin() + static_cast<std::ptrdiff_t>(begin),
                   whole.offsets.begin() + static_cast<std::ptrdiff_t>(end) + 1);
  return e;
}

void bad(Reporter& r, const ExprText& t, std::size_t at, std::string message,
         std::string hint = {}) {
  base::Issue issue;
  issue.code = "rule.bad-template";
  issue.offset = static_cast<std::uint32_t>(at);
  issue.message = std::move(message);
  issue.hint = std::move(hint);
  r.in_expression(t, issue);
}

}  // namespace

std::vector<TemplatePart> parse_template(const ExprText& t, Reporter& r) {
  std::vector<TemplatePart> parts;
  std::string literal;
  const std::string& s = t.text;
  auto flush = [&] {
    if (literal.empty()) return;
    TemplatePart p;
    p.text = std::move(literal);
    parts.push_back(std::move(p));
    literal.clear();
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '{' && i + 1 < s.size() && s[i + 1] == '{') {
      literal += '{';
      i += 2;
      continue;
    }
    if (c == '}' && i + 1 < s.size() && s[i + 1] == '}') {
      literal += '}';
      i += 2;
      continue;
    }
    if (c == '}') {
      bad(r, t, i, "unmatched '}' in the message", "write '}}' for a literal brace");
      return {};
    }
    if (c != '{') {
      literal += c;
      ++i;
      continue;
    }
    // Find the matching '}', skipping nested braces and quoted strings in the expression.
    std::size_t j = i + 1;
    int depth = 0;
    char quote = 0;
    for (; j < s.size(); ++j) {
      const char d = s[j];
      if (quote != 0) {
        if (d == '\\') {
          ++j;
        } else if (d == quote) {
          quote = 0;
        }
        continue;
      }
      if (d == '"' || d == '\'') {
        quote = d;
      } else if (d == '{') {
        ++depth;
      } else if (d == '}') {
        if (depth == 0) break;
        --depth;
      }
    }
    if (j >= s.size()) {
      bad(r, t, i, "unterminated '{' in the message",
          "close it with '}', or write '{{' for a literal brace");
      return {};
    }
    const std::string inner = s.substr(i + 1, j - i - 1);
    if (inner.find_first_not_of(" \t\n") == std::string::npos) {
      bad(r, t, i, "empty '{}' in the message",
          "put a fact name or a CEL expression between the braces");
      return {};
    }
    flush();
    TemplatePart p;
    p.is_expression = true;
    p.text = inner;
    p.expr = slice(t, i + 1, j);
    parts.push_back(std::move(p));
    i = j + 1;
  }
  flush();
  return parts;
}

}  // namespace safeguard::ruleset
