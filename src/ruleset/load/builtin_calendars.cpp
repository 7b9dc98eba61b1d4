#include "ruleset/load/builtin_calendars.hpp"

#include <stdexcept>
#include <string>

#include "ruleset/load/calendar_access.hpp"
#include "ruleset/load/calendar_file.hpp"

namespace safeguard::ruleset {

const std::vector<std::shared_ptr<const Calendar>>& builtin_calendars() {
  static const std::vector<std::shared_ptr<const Calendar>> calendars = [] {
    // Not through Calendar::from_yaml, which offers these very calendars to `extends:`.
    std::vector<std::shared_ptr<const Calendar>> loaded;
    CalendarMap known;
    for (const auto& text : builtin_calendar_texts()) {
      CalendarFileResult one =
          load_calendar_text(text.yaml, std::string("<built-in>/") + text.file_name, known);
      // The texts are the shipped files, checked by their own tests; a failure here is a
      // build defect, not bad input.
      if (!one.calendar)
        throw std::logic_error("built-in calendar failed to load: " + std::string(text.file_name));
      known.emplace(one.calendar->name(), one.calendar);
      loaded.push_back(CalendarAccess::wrap(std::move(one.calendar)));
    }
    return loaded;
  }();
  return calendars;
}

}  // namespace safeguard::ruleset
