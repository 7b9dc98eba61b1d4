// The internal side of safeguard::Calendar: the engine evaluates with the
// time::WorkingCalendar inside a public Calendar, and wraps loaded WorkingCalendars as
// public Calendars.
#pragma once

#include <memory>

#include "safeguard/calendar.hpp"
#include "time/calendar.hpp"

namespace safeguard {

struct Calendar::Impl {
  std::shared_ptr<const time::WorkingCalendar> working;
};

class CalendarAccess {
 public:
  // The calendar's working-day tables; valid as long as `calendar` is.
  static const time::WorkingCalendar& working(const Calendar& calendar) noexcept {
    return *calendar.impl_->working;
  }

  // Shares ownership of the tables, for holders that may outlive the Calendar handle.
  static std::shared_ptr<const time::WorkingCalendar> share(const Calendar& calendar) noexcept {
    return calendar.impl_->working;
  }

  static std::shared_ptr<const Calendar> wrap(std::shared_ptr<const time::WorkingCalendar> w) {
    auto impl = std::make_shared<Calendar::Impl>();
    impl->working = std::move(w);
    return std::shared_ptr<const Calendar>(new Calendar(std::move(impl)));
  }
};

}  // namespace safeguard
