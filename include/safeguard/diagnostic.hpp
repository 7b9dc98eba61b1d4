// Diagnostics: how safeguard reports problems in rule files, expressions and snapshots.
//
// Loading and compiling never stop at the first problem: every stage collects
// diagnostics, each with a stable code, a location and (where the input is a rule file or
// expression, never case data) the offending source line with a caret.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "safeguard/export.hpp"

namespace safeguard {

enum class Severity : std::uint8_t { kError, kWarning, kNote };

SAFEGUARD_API const char* to_string(Severity severity) noexcept;

struct Diagnostic {
  Severity severity = Severity::kError;
  // Stable identifier, documented in docs/diagnostics.md (e.g. "cel.syntax",
  // "rule.unknown-key"). Hosts may match on it; the message text may change.
  std::string code;
  std::string file;          // rule file, "<expr>" or a snapshot name; may be empty
  std::uint32_t line = 0;    // 1-based; 0 when the problem has no position
  std::uint32_t column = 0;  // 1-based, counted in Unicode code points
  std::string message;
  std::string hint;                // optional advice, e.g. "did you mean 'severity'?"
  std::string source_line;         // the line the caret points into (rule text, never case data)
  std::uint32_t caret_length = 1;  // width of the underline, in code points
};

// "file:line:col: error: message", then the source line, a caret line and the hint,
// as compilers print them.
SAFEGUARD_API std::string format(const Diagnostic& diagnostic);

// All diagnostics in order, one after another.
SAFEGUARD_API std::string format(const std::vector<Diagnostic>& diagnostics);

SAFEGUARD_API bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept;

}  // namespace safeguard
