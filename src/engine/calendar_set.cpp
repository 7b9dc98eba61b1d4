#include "engine/calendar_set.hpp"

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

std::vector<std::string> CalendarSet::names() const {
  std::vector<std::string> out;
  for (const auto& [name, cal] : by_name_) out.push_back(name);
  return out;
}

}  // namespace safeguard::engine
