// First half of loading a calendar file: YAML text to a CalendarDoc, our own plain
// structure, checking everything that can be checked without other calendars. No yaml-cpp
// type leaves calendar_yaml.cpp (style.md, habit 12). The codes it reports are listed in
// calendar_file.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/source.hpp"
#include "safeguard/diagnostic.hpp"

namespace safeguard::ruleset {

struct CalendarDoc {
  // Bytes of the file a value came from, for carets.
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t length = 1;
  };
  // For problems of the file as a whole (a missing key): no line, no caret.
  static constexpr Span kWholeFile{0xFFFFFFFFu, 0};

  std::string name;  // "calendar:"; empty when missing or invalid
  Span name_span;
  std::string title;  // defaults to the name
  std::optional<std::string> extends;
  Span extends_span;
  std::optional<std::int64_t> covers_from;  // both set or neither
  std::optional<std::int64_t> covers_until;
  Span covers_span;
  std::optional<std::uint8_t> weekend;  // bit per weekday, 0 = Sunday
  Span weekend_span;

  struct Entry {
    std::int64_t from = 0;  // a single date has from == until
    std::int64_t until = 0;
    std::string name;
    Span span;  // the date (or "from") value
  };
  std::vector<Entry> closures;
};

// Parses `source` as a calendar file, appending every problem to `diagnostics`. Returns the
// document whenever the YAML itself parsed, even with other errors, so that a directory
// load can still see names and `extends` to order files and to avoid cascading reports;
// callers must check `diagnostics` for errors before building anything from it.
std::optional<CalendarDoc> read_calendar_doc(const base::SourceText& source,
                                             std::vector<Diagnostic>& diagnostics);

// Lower-case letters, digits and '-', 1 to 64 characters, not starting or ending with '-'.
bool is_calendar_name(std::string_view name) noexcept;

// Adds an issue at `span` of `source` to `out` (defined in calendar_file.cpp), keeping to
// kMaxCalendarDiagnostics.
void add_calendar_issue(std::vector<Diagnostic>& out, const base::SourceText& source,
                        Severity severity, std::string code, CalendarDoc::Span span,
                        std::string message, std::string hint = {});

}  // namespace safeguard::ruleset
