#include "ruleset/load/builtin_calendars.hpp"

#include <stdexcept>
#include <string>

namespace safeguard::ruleset {

const std::vector<std::shared_ptr<const Calendar>>& builtin_calendars() {
  static const std::vector<std::shared_ptr<const Calendar>> calendars = [] {
    std::vector<std::shared_ptr<const Calendar>> loaded;
    for (const auto& text : builtin_calendar_texts()) {
      CalendarLoad one =
          Calendar::from_yaml(text.yaml, std::string("<built-in>/") + text.file_name, loaded);
      // The texts are the shipped files, checked by their own tests; a failure here is a
      // build defect, not bad input.
      if (!one.calendar)
        throw std::logic_error("built-in calendar failed to load: " + std::string(text.file_name));
      loaded.push_back(one.calendar);
    }
    return loaded;
  }();
  return calendars;
}

}  // namespace safeguard::ruleset
