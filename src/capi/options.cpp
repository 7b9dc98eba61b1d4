// safeguard_load_options: limits, host calendars and the default calendar for the C ABI's
// *_with load functions.
#include <cstdint>
#include <cstring>
#include <limits>
#include <mutex>

#include "capi/handles.hpp"

using safeguard::capi::fail;
using safeguard::capi::guarded;

namespace {

// Each limit by the name SECURITY.md gives it, with the largest value its field can hold.
struct LimitField {
  const char* name;
  std::uint64_t max;
  std::uint64_t (*get)(const safeguard::Limits&);
  void (*set)(safeguard::Limits&, std::uint64_t);
};

#define SAFEGUARD_LIMIT(field)                                                     \
  LimitField {                                                                     \
#field, std::numeric_limits<decltype(safeguard::Limits::field)>::max(),          \
        [](const safeguard::Limits& l) { return static_cast<std::uint64_t>(l.field); }, \
        [](safeguard::Limits& l, std::uint64_t v) {                                  \
          l.field = static_cast<decltype(safeguard::Limits::field)>(v);              \
        } \
  }

const LimitField kLimitFields[] = {
    SAFEGUARD_LIMIT(max_rule_file_bytes),  SAFEGUARD_LIMIT(max_rule_files),
    SAFEGUARD_LIMIT(max_yaml_depth),       SAFEGUARD_LIMIT(max_yaml_nodes),
    SAFEGUARD_LIMIT(max_expression_bytes), SAFEGUARD_LIMIT(max_expression_depth),
    SAFEGUARD_LIMIT(max_regex_bytes),      SAFEGUARD_LIMIT(max_snapshot_bytes),
    SAFEGUARD_LIMIT(max_json_depth),       SAFEGUARD_LIMIT(max_evaluation_steps),
    SAFEGUARD_LIMIT(max_evaluation_bytes),
};

#undef SAFEGUARD_LIMIT

const LimitField* find_limit(const char* name) {
  if (!name) return nullptr;
  for (const LimitField& f : kLimitFields) {
    if (std::strcmp(f.name, name) == 0) return &f;
  }
  return nullptr;
}

std::string limit_names() {
  std::string out;
  for (const LimitField& f : kLimitFields) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

}  // namespace

namespace safeguard::capi {

LoadOptions load_options(const safeguard_load_options* options) {
  if (!options) return LoadOptions{};
  const std::lock_guard<std::mutex> lock(options->mutex);
  return options->options;
}

}  // namespace safeguard::capi

extern "C" {

safeguard_load_options* safeguard_load_options_create(void) {
  try {
    return new safeguard_load_options();
  } catch (...) {
    return nullptr;
  }
}

void safeguard_load_options_free(safeguard_load_options* options) {
  delete options;
}

safeguard_status safeguard_load_options_set_flags(safeguard_load_options* options, unsigned flags,
                                                  safeguard_error** error) {
  if (error) *error = nullptr;
  return guarded(error, [&] {
    if (!options) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument", "options is required");
    }
    const std::lock_guard<std::mutex> lock(options->mutex);
    return safeguard::capi::options_from_flags(flags, options, error);
  });
}

safeguard_status safeguard_load_options_set_limit(safeguard_load_options* options, const char* name,
                                                  uint64_t value, safeguard_error** error) {
  if (error) *error = nullptr;
  return guarded(error, [&] {
    if (!options || !name) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  "options and name are required");
    }
    const LimitField* field = find_limit(name);
    if (!field) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  std::string("unknown limit '") + name + "'; the limits are " + limit_names());
    }
    if (value == 0 || value > field->max) {
      return fail(
          error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
          std::string("limit ") + name + " must be between 1 and " + std::to_string(field->max));
    }
    const std::lock_guard<std::mutex> lock(options->mutex);
    field->set(options->options.limits, value);
    return SAFEGUARD_OK;
  });
}

uint64_t safeguard_load_options_limit(const safeguard_load_options* options, const char* name) {
  const LimitField* field = find_limit(name);
  if (!options || !field) return 0;
  try {
    const std::lock_guard<std::mutex> lock(options->mutex);
    return field->get(options->options.limits);
  } catch (...) {
    return 0;  // std::mutex::lock failing: not expected on any supported system
  }
}

safeguard_status safeguard_load_options_add_calendar(safeguard_load_options* options,
                                                     const char* yaml, size_t length,
                                                     const char* name_for_errors,
                                                     safeguard_error** error) {
  if (error) *error = nullptr;
  return guarded(error, [&] {
    if (!options || !yaml) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  "options and yaml are required");
    }
    if (length == SAFEGUARD_NUL_TERMINATED) length = std::strlen(yaml);
    const std::lock_guard<std::mutex> lock(options->mutex);
    // A host calendar may extend a built-in one or one the host added before it.
    safeguard::CalendarLoad loaded = safeguard::Calendar::from_yaml(
        std::string_view(yaml, length), name_for_errors ? name_for_errors : "<calendar>",
        options->options.calendars);
    if (!loaded.calendar) {
      return fail(error, SAFEGUARD_ERROR_RULES, std::move(loaded.diagnostics));
    }
    auto& calendars = options->options.calendars;
    for (auto& c : calendars) {
      if (c->name() == loaded.calendar->name()) {
        c = loaded.calendar;
        return SAFEGUARD_OK;
      }
    }
    calendars.push_back(loaded.calendar);
    return SAFEGUARD_OK;
  });
}

safeguard_status safeguard_load_options_set_calendar(safeguard_load_options* options,
                                                     const char* name, safeguard_error** error) {
  if (error) *error = nullptr;
  return guarded(error, [&] {
    if (!options || !name) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  "options and name are required");
    }
    const std::lock_guard<std::mutex> lock(options->mutex);
    options->options.calendar = name;
    return SAFEGUARD_OK;
  });
}

}  // extern "C"
