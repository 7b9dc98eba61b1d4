#include "base/source.hpp"

#include <algorithm>

#include "base/utf8.hpp"

namespace safeguard::base {

SourceText::SourceText(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') starts_.push_back(i + 1);
  }
}

Position SourceText::position(std::uint32_t offset) const noexcept {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line_index = static_cast<std::uint32_t>(it - starts_.begin() - 1);
  const std::uint32_t start = starts_[line_index];
  std::string_view before(text_.data() + start, offset - start);
  return Position{line_index + 1, static_cast<std::uint32_t>(count_code_points(before)) + 1};
}

std::uint32_t SourceText::line_start(std::uint32_t line) const noexcept {
  if (line == 0 || line > starts_.size()) return static_cast<std::uint32_t>(text_.size());
  return starts_[line - 1];
}

std::string_view SourceText::line_text(std::uint32_t line) const noexcept {
  if (line == 0 || line > starts_.size()) return {};
  std::uint32_t start = starts_[line - 1];
  std::uint32_t end =
      line < starts_.size() ? starts_[line] - 1 : static_cast<std::uint32_t>(text_.size());
  if (end > start && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(start, end - start);
}

void place(Diagnostic& d, const SourceText& source, std::uint32_t offset, std::uint32_t length) {
  const Position pos = source.position(offset);
  d.file = source.name();
  d.line = pos.line;
  d.column = pos.column;
  const std::string_view line = source.line_text(pos.line);
  d.source_line = std::string(line);
  // Underline no further than the end of the line, in code points.
  const std::uint32_t line_begin = source.line_start(pos.line);
  const std::uint32_t span_end =
      std::min<std::uint32_t>(offset + std::max<std::uint32_t>(length, 1),
                              line_begin + static_cast<std::uint32_t>(line.size()));
  std::uint32_t width = 1;
  if (span_end > offset && offset >= line_begin) {
    width = static_cast<std::uint32_t>(
        count_code_points(std::string_view(source.text()).substr(offset, span_end - offset)));
  }
  d.caret_length = std::max<std::uint32_t>(width, 1);
}

Diagnostic SourceText::diagnostic(const Issue& issue) const {
  Diagnostic d;
  d.severity = issue.severity;
  d.code = issue.code;
  d.message = issue.message;
  d.hint = issue.hint;
  place(d, *this, issue.offset, issue.length);
  return d;
}

}  // namespace safeguard::base
