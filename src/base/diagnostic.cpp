#include "safeguard/diagnostic.hpp"

#include <algorithm>

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
  if (d.line > 0 && d.column > 0 && !d.source_line.empty()) {
    // Tabs are shown as single spaces so the caret lines up whatever the tab width.
    std::string shown = d.source_line;
    std::replace(shown.begin(), shown.end(), '\t', ' ');
    out += "  " + shown + '\n';
    out += "  " + std::string(d.column - 1, ' ') + '^';
    if (d.caret_length > 1) out += std::string(d.caret_length - 1, '~');
    out += '\n';
  }
  if (!d.hint.empty()) out += "  hint: " + d.hint + '\n';
  return out;
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
