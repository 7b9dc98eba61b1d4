// safeguard::Calendar, the public face of time::WorkingCalendar.
#include "safeguard/calendar.hpp"

#include <set>

#include "ruleset/load/builtin_calendars.hpp"
#include "ruleset/load/calendar_access.hpp"
#include "ruleset/load/calendar_file.hpp"
#include "ruleset/load/calendar_yaml.hpp"
#include "time/date.hpp"

namespace safeguard {

namespace {

ruleset::CalendarMap to_map(const std::vector<std::shared_ptr<const Calendar>>& calendars) {
  ruleset::CalendarMap map;
  for (const auto& c : calendars) {
    if (c) map.emplace(c->name(), CalendarAccess::share(*c));
  }
  return map;
}

// What one file's `extends:` may name: `calendars`, then the built-in calendars they do
// not replace. (Not for a directory: a directory may redefine a built-in calendar, which
// the directory loader would take for a second definition of a loaded one.)
ruleset::CalendarMap with_built_ins(const std::vector<std::shared_ptr<const Calendar>>& calendars) {
  ruleset::CalendarMap map = to_map(calendars);
  for (const auto& c : ruleset::builtin_calendars())
    map.emplace(c->name(), CalendarAccess::share(*c));
  return map;
}

CalendarLoad wrap(ruleset::CalendarFileResult r) {
  CalendarLoad out;
  out.diagnostics = std::move(r.diagnostics);
  if (r.calendar) out.calendar = CalendarAccess::wrap(std::move(r.calendar));
  return out;
}

Diagnostic problem(Severity severity, std::string code, std::string message) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.file = "<with_closures>";
  d.message = std::move(message);
  return d;
}

}  // namespace

const char* to_string(CalendarError error) noexcept {
  switch (error) {
    case CalendarError::kNone:
      return "none";
    case CalendarError::kInvalidDate:
      return "invalid date";
    case CalendarError::kOutsideCoverage:
      return "outside the calendar's coverage";
  }
  return "unknown";
}

const std::vector<std::shared_ptr<const Calendar>>& Calendar::built_in() {
  return ruleset::builtin_calendars();
}

std::shared_ptr<const Calendar> Calendar::built_in(std::string_view name) {
  return ruleset::builtin_calendar(name);
}

Calendar::Calendar(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Calendar::~Calendar() = default;

CalendarLoad Calendar::load_file(const std::string& path,
                                 const std::vector<std::shared_ptr<const Calendar>>& known) {
  return wrap(ruleset::load_calendar_file(path, with_built_ins(known)));
}

CalendarLoad Calendar::from_yaml(std::string_view yaml, std::string name_for_errors,
                                 const std::vector<std::shared_ptr<const Calendar>>& known) {
  return wrap(ruleset::load_calendar_text(yaml, std::move(name_for_errors), with_built_ins(known)));
}

CalendarSetLoad Calendar::load_directory(
    const std::string& directory, const std::vector<std::shared_ptr<const Calendar>>& known) {
  ruleset::CalendarDirectoryResult r = ruleset::load_calendar_directory(directory, to_map(known));
  CalendarSetLoad out;
  out.diagnostics = std::move(r.diagnostics);
  for (auto& entry : r.calendars) out.calendars.push_back(CalendarAccess::wrap(entry.second));
  return out;
}

CalendarLoad Calendar::with_closures(std::string name, const std::vector<std::string>& dates,
                                     std::string closure_name) const {
  CalendarLoad out;
  const time::WorkingCalendar& parent = *impl_->working;
  if (!ruleset::is_calendar_name(name)) {
    out.diagnostics.push_back(
        problem(Severity::kError, "calendar.invalid-name",
                "calendar name '" + name + "' must be lower-case letters, digits and '-'"));
  }
  time::WorkingCalendar::Derivation d;
  std::set<std::int64_t> seen;
  for (const std::string& text : dates) {
    const std::optional<std::int64_t> day = time::parse_date(text);
    if (!day) {
      out.diagnostics.push_back(
          problem(Severity::kError, "calendar.invalid-date", "'" + text + "' is not a date"));
    } else if (!parent.covers(*day)) {
      out.diagnostics.push_back(problem(Severity::kError, "calendar.outside-coverage",
                                        text + " is outside the dates " + parent.name() +
                                            " covers (" + time::format_date(parent.first()) +
                                            " to " + time::format_date(parent.last()) + ")"));
    } else if (!seen.insert(*day).second) {
      out.diagnostics.push_back(
          problem(Severity::kError, "calendar.duplicate-date", text + " is listed twice"));
    } else if (const time::Closure* c = parent.closure_on(*day)) {
      out.diagnostics.push_back(
          problem(Severity::kWarning, "calendar.redundant-closure",
                  text + " is already closed in " + parent.name() + " (" + c->name + ")"));
    } else {
      d.closures.push_back(time::Closure{*day, closure_name});
    }
  }
  if (has_errors(out.diagnostics)) return out;
  d.name = name;
  d.title = std::move(name);
  time::WorkingCalendar::Built built = time::WorkingCalendar::derive(parent, std::move(d));
  if (built.calendar) out.calendar = CalendarAccess::wrap(std::move(built.calendar));
  return out;
}

const std::string& Calendar::name() const noexcept {
  return impl_->working->name();
}
const std::string& Calendar::title() const noexcept {
  return impl_->working->title();
}
std::string Calendar::covers_from() const {
  return time::format_date(impl_->working->first());
}
std::string Calendar::covers_until() const {
  return time::format_date(impl_->working->last());
}

CalendarResult<bool> Calendar::is_working_day(std::string_view date) const {
  const std::optional<std::int64_t> day = time::parse_date(date);
  if (!day) return {false, CalendarError::kInvalidDate};
  const std::optional<bool> working = impl_->working->is_working_day(*day);
  if (!working) return {false, CalendarError::kOutsideCoverage};
  return {*working, CalendarError::kNone};
}

CalendarResult<std::string> Calendar::add_working_days(std::string_view date,
                                                       std::int64_t n) const {
  const std::optional<std::int64_t> day = time::parse_date(date);
  if (!day) return {{}, CalendarError::kInvalidDate};
  const std::optional<std::int64_t> result = impl_->working->add_working_days(*day, n);
  if (!result) return {{}, CalendarError::kOutsideCoverage};
  return {time::format_date(*result), CalendarError::kNone};
}

CalendarResult<std::int64_t> Calendar::working_days_between(std::string_view from,
                                                            std::string_view to) const {
  const std::optional<std::int64_t> a = time::parse_date(from);
  const std::optional<std::int64_t> b = time::parse_date(to);
  if (!a || !b) return {0, CalendarError::kInvalidDate};
  const std::optional<std::int64_t> result = impl_->working->working_days_between(*a, *b);
  if (!result) return {0, CalendarError::kOutsideCoverage};
  return {*result, CalendarError::kNone};
}

}  // namespace safeguard
