// Working-day calendars: bank holidays, weekends and a council's office closures, used by
// add_working_days() and working_days_between() in rules.
//
// A Calendar is immutable and shared as std::shared_ptr<const Calendar>: load it once, hand
// it to any number of evaluations on any number of threads. Calendars are data files
// (the shipped rules/calendars/*.yaml show the format, and
// examples/calendars/council-office-closures.yaml a council's own); a council derives its
// calendar from a national one with extra closure days, either in a file (`extends:`) or
// in code (with_closures).
//
// A calendar covers a range of dates for which its closure list is complete. Any answer
// that depends on a day outside that range is an error (CalendarError::kOutsideCoverage),
// never a guess: a missing bank holiday would silently move every deadline.
//
// Counting conventions: the day a count starts from is day 0, whether or not it is a
// working day. add_working_days(d, n) is the n-th working day after d (before d when n is
// negative; d itself when n is 0). working_days_between(a, b) counts the working days after
// a up to and including b, and is negative when b is before a.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "safeguard/diagnostic.hpp"
#include "safeguard/export.hpp"

namespace safeguard {

class Calendar;
class CalendarAccess;

enum class CalendarError : std::uint8_t {
  kNone,
  kInvalidDate,      // an argument is not a "YYYY-MM-DD" date
  kOutsideCoverage,  // the answer needs days the calendar does not cover
};

SAFEGUARD_API const char* to_string(CalendarError error) noexcept;

// A value, or why there is none.
template <typename T>
struct CalendarResult {
  T value{};
  CalendarError error = CalendarError::kNone;

  bool ok() const noexcept { return error == CalendarError::kNone; }
};

// The outcome of loading one calendar: the calendar, or null and at least one error.
// Warnings may accompany a calendar.
struct CalendarLoad {
  std::shared_ptr<const Calendar> calendar;
  std::vector<Diagnostic> diagnostics;
};

// The outcome of loading a directory: every calendar in it, or none if any file has an
// error.
struct CalendarSetLoad {
  std::vector<std::shared_ptr<const Calendar>> calendars;  // sorted by name
  std::vector<Diagnostic> diagnostics;
};

class SAFEGUARD_API Calendar {
 public:
  // The calendars built into the library: england-and-wales, scotland, northern-ireland
  // (the shipped rules/calendars/ files), sorted by name.
  static const std::vector<std::shared_ptr<const Calendar>>& built_in();
  // One of them by name; null when there is none.
  static std::shared_ptr<const Calendar> built_in(std::string_view name);

  // Loads a calendar file. `extends:` may name a built-in calendar or one of `known` (which
  // win over built-in ones of the same name).
  static CalendarLoad load_file(const std::string& path,
                                const std::vector<std::shared_ptr<const Calendar>>& known = {});

  // Loads a calendar from YAML text, e.g. kept in a host's database; `name_for_errors` is
  // shown in diagnostics in place of a file name.
  static CalendarLoad from_yaml(std::string_view yaml, std::string name_for_errors = "<calendar>",
                                const std::vector<std::shared_ptr<const Calendar>>& known = {});

  // Loads every *.yaml/*.yml file in a directory (not its subdirectories); files may
  // extend each other or `known` calendars (pass Calendar::built_in() to extend those; a
  // directory may also define calendars of the built-in names, e.g. rules/calendars/).
  static CalendarSetLoad load_directory(
      const std::string& directory, const std::vector<std::shared_ptr<const Calendar>>& known = {});

  // This calendar plus closure days ("YYYY-MM-DD"), under a new name: a council's office
  // closures. Each date must lie within this calendar's coverage; invalid, duplicate or
  // uncovered dates are errors (reported as diagnostics, no calendar).
  CalendarLoad with_closures(std::string name, const std::vector<std::string>& dates,
                             std::string closure_name = "Office closure") const;

  // The name rules refer to ("england-and-wales") and the one people read.
  const std::string& name() const noexcept;
  const std::string& title() const noexcept;

  // First and last dates covered, "YYYY-MM-DD".
  std::string covers_from() const;
  std::string covers_until() const;

  // Whether `date` is a working day. Weekends are known at any date; a weekday outside the
  // coverage is kOutsideCoverage.
  CalendarResult<bool> is_working_day(std::string_view date) const;

  // The n-th working day after `date` ("YYYY-MM-DD"), or before it when n < 0.
  CalendarResult<std::string> add_working_days(std::string_view date, std::int64_t n) const;

  // Working days after `from` up to and including `to`; negative when `to` is earlier.
  CalendarResult<std::int64_t> working_days_between(std::string_view from,
                                                    std::string_view to) const;

  ~Calendar();
  Calendar(const Calendar&) = delete;
  Calendar& operator=(const Calendar&) = delete;

 private:
  friend class CalendarAccess;
  struct Impl;

  explicit Calendar(std::shared_ptr<const Impl> impl);

  std::shared_ptr<const Impl> impl_;
};

}  // namespace safeguard
