// Working-day calendars: which days a council's offices work, for timescales counted in
// working days ("a decision within one working day of receipt").
//
// A WorkingCalendar is a weekend (a set of weekdays), a list of closure days (bank
// holidays, office closures), and the range of dates for which that list is known to be
// complete: its coverage. Outside the coverage the calendar does not guess: any answer that
// depends on a day outside it is an error, because a bank holiday missing from the data
// would silently shift every deadline.
//
// Conventions (domain.md section 9, case-snapshot "Time"): the day a count starts from is
// day 0 whether or not it is a working day; add_working_days(d, n) is the n-th working day
// after d; working_days_between(a, b) counts the working days after a up to and including b.
//
// Built once, immutable, shared as std::shared_ptr<const WorkingCalendar>. Lookups are O(1)
// (a prefix sum of working days and a table of them over the coverage), because rules call
// them per list element.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace safeguard::time {

// Bit (1 << weekday) for weekdays 0 = Sunday .. 6 = Saturday.
inline constexpr std::uint8_t kSaturdaySunday = (1u << 0) | (1u << 6);

// Coverage is limited so that the tables stay small (two 32-bit entries per day).
inline constexpr std::int64_t kMaxCoverageDays = 200 * 366;

struct Closure {
  std::int64_t day = 0;  // days since 1970-01-01
  std::string name;      // "Good Friday", "Office closure"
};

class WorkingCalendar {
 public:
  // Why a calendar could not be built (the loader turns these into diagnostics first;
  // this is the last line of defence).
  enum class BuildError : std::uint8_t {
    kNone,
    kBadCoverage,  // first > last, outside 0001..9999, or longer than kMaxCoverageDays
    kClosureOutsideCoverage,
    kDuplicateClosure,
    kNoWorkingDays,  // every weekday is a weekend day
  };

  struct Spec {
    std::string name;   // "england-and-wales"
    std::string title;  // "England and Wales"
    std::uint8_t weekend = kSaturdaySunday;
    std::int64_t first = 0;  // coverage, inclusive
    std::int64_t last = 0;
    std::vector<Closure> closures;  // any order; sorted when built
  };

  struct Built {
    std::shared_ptr<const WorkingCalendar> calendar;  // null on error
    BuildError error = BuildError::kNone;
    std::int64_t day = 0;  // the offending closure, for kClosureOutsideCoverage/kDuplicateClosure
  };

  static Built build(Spec spec);

  // What a derived calendar changes: a council's office closures on top of a national
  // calendar.
  struct Derivation {
    std::string name;
    std::string title;
    std::vector<Closure> closures;      // added to the base's; any order
    std::optional<std::int64_t> first;  // narrower coverage, within the base's
    std::optional<std::int64_t> last;
    std::optional<std::uint8_t> weekend;  // replaces the base's weekend
  };

  // `base` plus `d`. A day that is already a closure of `base` is not an error (the base's
  // name is kept); base closures outside a narrower coverage are dropped.
  static Built derive(const WorkingCalendar& base, Derivation d);

  const std::string& name() const noexcept { return name_; }
  const std::string& title() const noexcept { return title_; }
  std::uint8_t weekend() const noexcept { return weekend_; }
  std::int64_t first() const noexcept { return first_; }
  std::int64_t last() const noexcept { return last_; }
  const std::vector<Closure>& closures() const noexcept { return closures_; }

  bool covers(std::int64_t day) const noexcept { return day >= first_ && day <= last_; }

  // Whether `day` is a working day. A weekend day is never one, inside the coverage or not;
  // a weekday outside the coverage is unknown (std::nullopt).
  std::optional<bool> is_working_day(std::int64_t day) const noexcept;

  // The closure on `day`, if any (for explanations: "2024-03-29 is Good Friday").
  const Closure* closure_on(std::int64_t day) const noexcept;

  // The n-th working day after `day` (n > 0), the |n|-th working day before it (n < 0), or
  // `day` itself (n = 0, whatever `day` is). std::nullopt when a day that must be examined
  // lies outside the coverage: for n > 0 the days after `day` up to the result, for n < 0
  // the days from the result up to the day before `day`.
  std::optional<std::int64_t> add_working_days(std::int64_t day, std::int64_t n) const noexcept;

  // Working days after `from` up to and including `to`; when to < from, minus the working
  // days after `to` up to and including `from`. 0 when from == to. std::nullopt when a day
  // in that span lies outside the coverage.
  std::optional<std::int64_t> working_days_between(std::int64_t from,
                                                   std::int64_t to) const noexcept;

 private:
  WorkingCalendar() = default;

  std::string name_;
  std::string title_;
  std::uint8_t weekend_ = kSaturdaySunday;
  std::int64_t first_ = 0;
  std::int64_t last_ = 0;
  std::vector<Closure> closures_;  // sorted by day, unique
  // before_[i]: working days in [first_, first_ + i), for i in 0 .. days covered.
  std::vector<std::int32_t> before_;
  // working_[k]: offset from first_ of the k-th working day (0-based) of the coverage.
  std::vector<std::int32_t> working_;
};

}  // namespace safeguard::time
