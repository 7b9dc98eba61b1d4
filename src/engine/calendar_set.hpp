// The calendars an evaluation can use: a default and any named ones.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cel/eval/frame.hpp"
#include "safeguard/calendar.hpp"
#include "time/calendar.hpp"

namespace safeguard::engine {

class CalendarSet final : public cel::CalendarLookup {
 public:
  void add(const std::shared_ptr<const Calendar>& calendar);
  const time::WorkingCalendar* find(std::string_view name) const noexcept override;
  bool empty() const noexcept { return by_name_.empty(); }
  std::vector<std::string> names() const;

  // SHA-256 (hex) of every calendar here (name, title, weekend, coverage, closures), in
  // name order, then of `default_calendar` the same way: all that decides working days.
  // A null default is hashed as none.
  std::string digest(const time::WorkingCalendar* default_calendar) const;

 private:
  std::map<std::string, std::shared_ptr<const time::WorkingCalendar>, std::less<>> by_name_;
};

// The working-day tables of a public Calendar handle.
std::shared_ptr<const time::WorkingCalendar> working_calendar(const Calendar& calendar);

}  // namespace safeguard::engine
