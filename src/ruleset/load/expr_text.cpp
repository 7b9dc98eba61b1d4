#include "ruleset/load/expr_text.hpp"

#include <algorithm>

namespace safeguard::ruleset {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::size_t utf8_length_of(std::uint32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

std::uint32_t hex_value(std::string_view s) {
  std::uint32_t v = 0;
  for (char c : s) {
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= static_cast<std::uint32_t>(c - 'A' + 10);
  }
  return v;
}

// Aligns the scalar's value with the file text it came from. Where the two cannot be
// aligned (an unusual escape), the rest of the expression maps to the scalar's start:
// the line is still right, only the column is approximate.
std::vector<std::uint32_t> align(std::string_view file, std::uint32_t start,
                                 std::string_view text) {
  std::vector<std::uint32_t> offsets(text.size() + 1, start);
  std::size_t j = start;
  char quote = 0;
  if (j < file.size()) {
    const char c = file[j];
    if (c == '"' || c == '\'') {
      quote = c;
      ++j;
    } else if (c == '|' || c == '>') {
      while (j < file.size() && file[j] != '\n') ++j;
    }
  }
  std::size_t i = 0;
  std::size_t guard = 0;
  while (i < text.size()) {
    if (++guard > 16 * (file.size() + text.size() + 16)) break;
    if (j >= file.size()) break;
    const char tc = text[i];
    const char fc = file[j];
    if (quote == '"' && fc == '\\' && j + 1 < file.size()) {
      const char e = file[j + 1];
      if (e == '\n') {  // line continuation: produces nothing
        j += 2;
        while (j < file.size() && (file[j] == ' ' || file[j] == '\t')) ++j;
        continue;
      }
      std::size_t produced = 1;
      std::size_t consumed = 2;
      if (e == 'x' || e == 'u' || e == 'U') {
        const std::size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        consumed = 2 + digits;
        if (j + consumed <= file.size())
          produced = utf8_length_of(hex_value(file.substr(j + 2, digits)));
      }
      for (std::size_t k = 0; k < produced && i < text.size(); ++k)
        offsets[i++] = static_cast<std::uint32_t>(j);
      j += consumed;
      continue;
    }
    if (quote == '\'' && fc == '\'' && j + 1 < file.size() && file[j + 1] == '\'') {
      offsets[i++] = static_cast<std::uint32_t>(j);
      j += 2;
      continue;
    }
    if (fc == tc) {
      offsets[i++] = static_cast<std::uint32_t>(j++);
      continue;
    }
    if (is_space(fc)) {
      if (tc == ' ' || tc == '\n') {
        // A line break folded into a space (or kept): consume the whole whitespace run.
        offsets[i++] = static_cast<std::uint32_t>(j);
        while (j < file.size() && is_space(file[j])) ++j;
        continue;
      }
      ++j;  // indentation of a block or continuation line
      continue;
    }
    if (tc == ' ' || tc == '\n') {
      offsets[i++] = static_cast<std::uint32_t>(j);  // whitespace the file does not have
      continue;
    }
    break;  // cannot align
  }
  const auto fallback =
      i < text.size() ? start : static_cast<std::uint32_t>(std::min(j, file.size()));
  for (; i <= text.size(); ++i) offsets[i] = i < text.size() ? start : fallback;
  return offsets;
}

}  // namespace

ExprText expression_text(const base::SourceText& file, std::uint32_t file_index,
                         const YamlNode& scalar) {
  ExprText e;
  e.text = scalar.scalar;
  e.file = file_index;
  e.start = scalar.offset;
  e.offsets = align(file.text(), scalar.offset, e.text);
  return e;
}

ExprText synthetic_expression(std::string text, std::uint32_t file_index, std::uint32_t at) {
  ExprText e;
  e.offsets.assign(text.size() + 1, at);
  e.text = std::move(text);
  e.file = file_index;
  e.start = at;
  return e;
}

Diagnostic expression_diagnostic(const base::SourceText& file, const ExprText& expr,
                                 const base::Issue& issue) {
  Diagnostic d;
  d.severity = issue.severity;
  d.code = issue.code;
  d.message = issue.message;
  d.hint = issue.hint;
  const std::size_t begin = std::min<std::size_t>(issue.offset, expr.text.size());
  const std::size_t end =
      std::min<std::size_t>(begin + std::max<std::uint32_t>(issue.length, 1), expr.text.size());
  const std::uint32_t file_begin = expr.offsets.empty() ? expr.start : expr.offsets[begin];
  std::uint32_t length = 1;
  if (!expr.offsets.empty() && end > begin) {
    const std::uint32_t last = expr.offsets[end - 1];
    if (last >= file_begin) length = last - file_begin + 1;
  }
  base::place(d, file, file_begin, length);
  return d;
}

}  // namespace safeguard::ruleset
