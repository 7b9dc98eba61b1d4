// The calendars built into the library (rules/calendars/*.yaml, embedded at build time).
#pragma once

#include <memory>
#include <vector>

#include "safeguard/calendar.hpp"

namespace safeguard::ruleset {

struct BuiltinCalendarText {
  const char* file_name;
  const char* yaml;
};

// Generated: see cmake/embed_calendars.cmake.
const std::vector<BuiltinCalendarText>& builtin_calendar_texts();

// The built-in calendars, loaded once on first use (thread-safe).
const std::vector<std::shared_ptr<const Calendar>>& builtin_calendars();

}  // namespace safeguard::ruleset
