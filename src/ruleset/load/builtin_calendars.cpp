#include "ruleset/load/builtin_calendars.hpp"

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>

#include "ruleset/load/calendar_access.hpp"
#include "ruleset/load/calendar_file.hpp"

namespace safeguard::ruleset {

namespace {

struct Slot {
  std::once_flag once;
  std::shared_ptr<const Calendar> calendar;
  std::atomic<bool> parsed{false};
};

std::vector<Slot>& slots() {
  static std::vector<Slot> all(builtin_calendar_texts().size());
  return all;
}

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::size_t index_of(std::string_view name) {
  const auto& texts = builtin_calendar_texts();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (name == texts[i].calendar_name) return i;
  }
  return kNone;
}

// The texts are the shipped files, checked by their own tests: a failure to load one is a
// build defect, not bad input.
[[noreturn]] void defect(const BuiltinCalendarText& text, const char* what) {
  throw std::logic_error(std::string("built-in calendar ") + text.file_name + ": " + what);
}

std::shared_ptr<const Calendar> load(std::size_t index) {
  const auto& texts = builtin_calendar_texts();
  const BuiltinCalendarText& text = texts[index];
  // Checked before any call_once: loading a calendar of a cycle from inside its own
  // call_once would never return.
  std::size_t base = kNone;
  if (*text.extends != '\0') {
    base = index_of(text.extends);
    if (base == kNone) defect(text, "extends no built-in calendar");
    std::size_t step = base;
    for (std::size_t hops = 0; *texts[step].extends != '\0'; ++hops) {
      step = index_of(texts[step].extends);
      if (step == kNone) break;
      if (hops == texts.size()) defect(text, "extends in a circle");
    }
  }
  Slot& slot = slots()[index];
  std::call_once(slot.once, [&] {
    CalendarMap known;
    if (base != kNone) known.emplace(text.extends, CalendarAccess::share(*load(base)));
    // Not through Calendar::from_yaml, which offers every built-in calendar to `extends:`.
    CalendarFileResult one =
        load_calendar_text(text.yaml, std::string("<built-in>/") + text.file_name, known);
    if (!one.calendar) defect(text, "failed to load");
    if (one.calendar->name() != text.calendar_name) defect(text, "parsed under another name");
    slot.calendar = CalendarAccess::wrap(std::move(one.calendar));
    slot.parsed = true;
  });
  return slot.calendar;
}

}  // namespace

std::shared_ptr<const Calendar> builtin_calendar(std::string_view name) {
  const std::size_t index = index_of(name);
  return index == kNone ? nullptr : load(index);
}

bool builtin_calendar_parsed(std::string_view name) {
  const std::size_t index = index_of(name);
  return index != kNone && slots()[index].parsed.load();
}

const std::vector<std::shared_ptr<const Calendar>>& builtin_calendars() {
  static const std::vector<std::shared_ptr<const Calendar>> calendars = [] {
    std::vector<std::shared_ptr<const Calendar>> loaded;
    for (std::size_t i = 0; i < builtin_calendar_texts().size(); ++i) loaded.push_back(load(i));
    return loaded;
  }();
  return calendars;
}

}  // namespace safeguard::ruleset
