#include "safeguard/diagnostic.hpp"

#include <algorithm>
#include <vector>

#include "base/terminal_text.hpp"
#include "base/utf8.hpp"

namespace safeguard {

const char* to_string(Severity severity) noexcept {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

namespace {

// A line longer than this many code points is shown as a window around the caret.
constexpr std::size_t kShownCodePoints = 160;
constexpr std::size_t kShownBeforeCaret = 60;

// Byte offsets of the code points of `line` (and one past the end).
std::vector<std::size_t> code_point_offsets(const std::string& line) {
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  offsets.push_back(line.size());
  return offsets;
}

// The source line and its caret. A very long line (a generated file, a minified schema, a
// hostile input) is cut to a window around the caret, marked "...", instead of printing
// megabytes of it.
void append_excerpt(std::string& out, const Diagnostic& d) {
  std::string line = base::printable_same_width(d.source_line);
  // Tabs are shown as single spaces so the caret lines up whatever the tab width.
  std::replace(line.begin(), line.end(), '\t', ' ');
  std::size_t caret = d.column - 1;  // in code points
  std::size_t length = std::max<std::size_t>(d.caret_length, 1);
  const std::vector<std::size_t> at = code_point_offsets(line);
  const std::size_t points = at.size() - 1;
  std::string shown = line;
  std::size_t pad = caret;
  if (points > kShownCodePoints) {
    const std::size_t first = std::min(caret > kShownBeforeCaret ? caret - kShownBeforeCaret : 0,
                                       points - std::min(points, kShownCodePoints));
    const std::size_t last = std::min(points, first + kShownCodePoints);
    shown = (first > 0 ? "..." : "") + line.substr(at[first], at[last] - at[first]) +
            (last < points ? "..." : "");
    pad = (first > 0 ? 3 : 0) + (caret >= first ? caret - first : 0);
    if (caret >= last) pad = (first > 0 ? 3 : 0) + (last - first);  // past the window: at its end
    length = std::min(length, last > caret ? last - caret : 1);
  }
  out += "  " + shown + '\n';
  out += "  " + std::string(pad, ' ') + '^';
  if (length > 1) out += std::string(length - 1, '~');
  out += '\n';
}

}  // namespace

std::string format(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) {
    out += d.file;
    if (d.line > 0) {
      out += ':' + std::to_string(d.line);
      if (d.column > 0) out += ':' + std::to_string(d.column);
    }
    out += ": ";
  }
  out += to_string(d.severity);
  out += ": ";
  out += d.message;
  if (!d.code.empty()) out += " [" + d.code + "]";
  out += '\n';
  // Snapshot errors carry a position but no excerpt (the line is case data), and a caret
  // under nothing only confuses.
  if (d.line > 0 && d.column > 0 && !d.source_line.empty()) append_excerpt(out, d);
  if (!d.hint.empty()) out += "  hint: " + d.hint + '\n';
  // A name quoted from a rule file may hold an escape sequence for the terminal, or a NUL
  // that would cut the message short where it becomes a C string (the C ABI).
  return base::printable(out);
}

std::string format(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += format(d);
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace safeguard
