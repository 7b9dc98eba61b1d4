#include "engine/calendar_set.hpp"

#include "base/sha256.hpp"
#include "ruleset/load/calendar_access.hpp"

namespace safeguard::engine {

std::shared_ptr<const time::WorkingCalendar> working_calendar(const Calendar& calendar) {
  return CalendarAccess::share(calendar);
}

void CalendarSet::add(const std::shared_ptr<const Calendar>& calendar) {
  if (!calendar) return;
  by_name_[calendar->name()] = CalendarAccess::share(*calendar);
}

const time::WorkingCalendar* CalendarSet::find(std::string_view name) const noexcept {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second.get();
}

namespace {

void add_calendar(base::Sha256& hash, const time::WorkingCalendar& c) {
  // Each field ends with a NUL, so no two calendars hash the same text.
  const auto field = [&hash](const std::string& text) {
    hash.update(text);
    hash.update(std::string_view("\0", 1));
  };
  field(c.name());
  field(c.title());
  field(std::to_string(c.weekend()));
  field(std::to_string(c.first()));
  field(std::to_string(c.last()));
  field(std::to_string(c.closures().size()));
  for (const time::Closure& closure : c.closures()) {
    field(std::to_string(closure.day));
    field(closure.name);
  }
}

}  // namespace

std::string CalendarSet::digest(const time::WorkingCalendar* default_calendar) const {
  base::Sha256 hash;
  for (const auto& [name, calendar] : by_name_) add_calendar(hash, *calendar);
  hash.update("default");
  hash.update(std::string_view("\0", 1));
  if (default_calendar != nullptr) add_calendar(hash, *default_calendar);
  return hash.hex_digest();
}

std::vector<std::string> CalendarSet::names() const {
  std::vector<std::string> out;
  for (const auto& [name, cal] : by_name_) out.push_back(name);
  return out;
}

}  // namespace safeguard::engine
