// The calendars built into the library (rules/calendars/*.yaml, embedded at build time).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "safeguard/calendar.hpp"

namespace safeguard::ruleset {

struct BuiltinCalendarText {
  const char* file_name;
  const char* calendar_name;  // the file's `calendar:`
  const char* extends;        // the file's `extends:`, or "" for none
  const char* yaml;
};

// Generated: see cmake/embed_calendars.cmake.
const std::vector<BuiltinCalendarText>& builtin_calendar_texts();

// The built-in calendar of this name, parsed on first use (thread-safe), or null when there
// is none. A rule set that brings its own calendars under the built-in names (the shipped
// pack does) never pays for parsing these: they were a fifth of loading the shipped pack.
std::shared_ptr<const Calendar> builtin_calendar(std::string_view name);

// Whether builtin_calendar(name) has parsed that calendar in this process (for tests).
bool builtin_calendar_parsed(std::string_view name);

// All the built-in calendars, in the order of builtin_calendar_texts().
const std::vector<std::shared_ptr<const Calendar>>& builtin_calendars();

}  // namespace safeguard::ruleset
