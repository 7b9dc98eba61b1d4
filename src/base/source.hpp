// Source text with a line table. Positions inside the pipeline are byte offsets; they
// become line:column only when a diagnostic is shown (style.md, habit 6).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "safeguard/diagnostic.hpp"

namespace safeguard::base {

struct Position {
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, in code points
};

// A problem found at a byte offset of some text, before it is placed in a file.
struct Issue {
  Severity severity = Severity::kError;
  std::string code;
  std::uint32_t offset = 0;
  std::uint32_t length = 1;  // bytes underlined
  std::string message;
  std::string hint;
};

class SourceText {
 public:
  SourceText() = default;
  SourceText(std::string name, std::string text);

  const std::string& name() const noexcept { return name_; }
  std::string_view text() const noexcept { return text_; }

  Position position(std::uint32_t offset) const noexcept;

  // Line `line` (1-based) without its line terminator; empty when out of range.
  std::string_view line_text(std::uint32_t line) const noexcept;

  // Byte offset where 1-based `line` starts (text size when out of range).
  std::uint32_t line_start(std::uint32_t line) const noexcept;

  std::uint32_t line_count() const noexcept { return static_cast<std::uint32_t>(starts_.size()); }

  Diagnostic diagnostic(const Issue& issue) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<std::uint32_t> starts_;  // byte offset of each line start
};

// Fills line, column, source line and caret width of `d` for a span [offset, offset+length)
// of `source`.
void place(Diagnostic& d, const SourceText& source, std::uint32_t offset, std::uint32_t length);

}  // namespace safeguard::base
