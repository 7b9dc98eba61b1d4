// Calendar files: YAML descriptions of working-day calendars (rules/calendars/*.yaml),
// loaded into immutable time::WorkingCalendars.
//
//   calendar: england-and-wales            # name rules and manifests refer to
//   title: England and Wales               # optional; for people
//   covers: {from: 2018-01-01, until: 2030-12-31}   # dates the closure list is complete for
//   weekend: [saturday, sunday]            # optional; this is the default
//   closures:
//     - {date: 2018-01-01, name: New Year's Day}
//     - {from: 2024-12-30, until: 2024-12-31, name: Office closure}
//
// A council calendar names another with `extends:` and inherits its coverage, weekend and
// closures; it adds `closures`, and may narrow `covers` or replace `weekend`.
//
// Every problem in a file is reported, not only the first; a file with any error yields no
// calendar at all, never a partly built one.
//
// Diagnostic codes (stable; hosts may match on them):
//   calendar.io                 the file or directory could not be read
//   calendar.too-large          the file is larger than kMaxCalendarFileBytes
//   calendar.encoding           the file is not valid UTF-8
//   calendar.syntax             the YAML itself is malformed
//   calendar.wrong-type         a value has the wrong shape (mapping, list or single value)
//   calendar.unknown-key        a key the format does not have ("did you mean ...?")
//   calendar.duplicate-key      a key given twice in one mapping
//   calendar.missing-key        a required key is absent (calendar, covers, closures, a
//                               closure's date or name)
//   calendar.invalid-name       a calendar name that is not lower-case letters, digits, '-'
//   calendar.invalid-date       not a real YYYY-MM-DD date (2023-02-29, 2024-13-01)
//   calendar.invalid-range      a range that ends before it starts
//   calendar.coverage-too-long  'covers' longer than time::kMaxCoverageDays
//   calendar.range-too-long     one closure entry spanning more than 366 days
//   calendar.invalid-closure    a closure with both 'date' and 'from'/'until'
//   calendar.invalid-weekday    a misspelt weekday in 'weekend' ("did you mean ...?")
//   calendar.no-working-days    'weekend' lists all seven days
//   calendar.duplicate-weekday  a day listed twice in 'weekend'
//   yaml.limit                  nesting past yaml-cpp's own guard (as for rule files)
//   calendar.duplicate-date     a date listed twice in 'closures'
//   calendar.outside-coverage   a closure outside 'covers', or 'covers' wider than the
//                               calendar it extends
//   calendar.unknown-calendar   'extends' names a calendar that is not loaded
//   calendar.extends-cycle      calendars that extend each other in a circle
//   calendar.duplicate-name     two calendars with the same name
//   calendar.weekend-closure    warning: a single-date closure on a weekend day (usually the
//                               holiday itself where its substitute weekday was meant)
//   calendar.redundant-closure  warning: a closure already closed in the extended calendar
//   calendar.too-many-problems  stands for the problems past kMaxCalendarDiagnostics; an
//                               error whenever any of them is one
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "safeguard/diagnostic.hpp"
#include "time/calendar.hpp"

namespace safeguard::ruleset {

// Calendars by name, for resolving `extends`.
using CalendarMap =
    std::map<std::string, std::shared_ptr<const time::WorkingCalendar>, std::less<>>;

inline constexpr std::size_t kMaxCalendarFileBytes = 1u << 20;
// Diagnostics kept per load; past it, one calendar.too-many-problems stands for the rest.
inline constexpr std::size_t kMaxCalendarDiagnostics = 200;

// calendar.too-large for a calendar of `size` bytes (over kMaxCalendarFileBytes), named
// `file_name`: given by the rule set loader, which refuses such a file before reading it,
// and by the loaders of calendar texts. `exact` false: only a lower bound of the size is
// known (base::BoundedFile::size_exact).
Diagnostic calendar_too_large(const std::string& file_name, std::uintmax_t size, bool exact = true);

struct CalendarFileResult {
  std::shared_ptr<const time::WorkingCalendar> calendar;  // null when there is any error
  std::vector<Diagnostic> diagnostics;                    // errors and warnings
};

// One calendar from YAML text; `file_name` is what diagnostics show. `known` resolves
// `extends`.
CalendarFileResult load_calendar_text(std::string_view text, std::string file_name,
                                      const CalendarMap& known);

// One calendar from a file.
CalendarFileResult load_calendar_file(const std::string& path, const CalendarMap& known);

struct CalendarDirectoryResult {
  CalendarMap calendars;  // empty when any file has an error: all or nothing
  std::vector<Diagnostic> diagnostics;
};

// One calendar file's text and the name diagnostics show for it.
struct CalendarText {
  std::string name;
  std::string text;
};

// What the calendars of one load may `extends:`, besides each other.
struct CalendarScope {
  CalendarMap fixed;      // already loaded: a text defining one of these names is an error
  CalendarMap overrides;  // the host's: they win over a text's calendar of the same name
  // The built-in ones, used where no text defines the name: their names, and the calendar
  // of a name, asked for only when a text extends it (parsing the built-in calendars was a
  // fifth of loading a rule set that replaces them all, as the shipped pack does).
  std::vector<std::string> fallback_names;
  std::function<std::shared_ptr<const time::WorkingCalendar>(const std::string&)> fallback;
};

// Calendars from several texts (a directory's files, a rule set's calendars/ folder kept in
// a database), built in dependency order so a text may extend another whatever their order.
// All or nothing, as for a directory.
CalendarDirectoryResult load_calendar_texts(std::vector<CalendarText> texts,
                                            const CalendarScope& scope);

// Every *.yaml and *.yml file directly in `directory`, in file-name order for diagnostics,
// built in dependency order so a file may extend another in the same directory (or one in
// `known`). A calendar whose name is already in `known` is an error.
CalendarDirectoryResult load_calendar_directory(const std::string& directory,
                                                const CalendarMap& known);

}  // namespace safeguard::ruleset
