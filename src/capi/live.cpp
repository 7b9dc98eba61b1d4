// safeguard_live: the C face of LiveRuleSet (hot reload).
#include "capi/handles.hpp"

using safeguard::capi::fail;
using safeguard::capi::guarded;

namespace {

safeguard_status reloaded(safeguard::LoadResult loaded, safeguard_error** error) {
  if (!loaded.ok()) return fail(error, SAFEGUARD_ERROR_RULES, std::move(loaded.diagnostics));
  return SAFEGUARD_OK;
}

}  // namespace

extern "C" {

safeguard_status safeguard_live_create(const safeguard_rules* initial, safeguard_live** live,
                                       safeguard_error** error) {
  if (live) *live = nullptr;
  if (error) *error = nullptr;
  return guarded(error, [&] {
    if (!initial || !live) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  "initial and live are required");
    }
    *live = new safeguard_live(initial->rule_set);
    return SAFEGUARD_OK;
  });
}

safeguard_status safeguard_live_reload_dir(safeguard_live* live, const char* directory,
                                           unsigned flags, safeguard_error** error) {
  if (error) *error = nullptr;
  safeguard_load_options options;
  if (safeguard_status s = safeguard::capi::options_from_flags(flags, &options, error);
      s != SAFEGUARD_OK) {
    return s;
  }
  return safeguard_live_reload_dir_with(live, directory, &options, error);
}

safeguard_status safeguard_live_reload_files(safeguard_live* live, const safeguard_file* files,
                                             size_t count, unsigned flags,
                                             safeguard_error** error) {
  if (error) *error = nullptr;
  safeguard_load_options options;
  if (safeguard_status s = safeguard::capi::options_from_flags(flags, &options, error);
      s != SAFEGUARD_OK) {
    return s;
  }
  return safeguard_live_reload_files_with(live, files, count, &options, error);
}

safeguard_status safeguard_live_reload_dir_with(safeguard_live* live, const char* directory,
                                                const safeguard_load_options* options,
                                                safeguard_error** error) {
  if (error) *error = nullptr;
  return guarded(error, [&] {
    if (!live || !directory) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  "live and directory are required");
    }
    std::lock_guard<std::mutex> turn(live->reload_mutex);
    return reloaded(live->live.reload(directory, safeguard::capi::load_options(options)), error);
  });
}

safeguard_status safeguard_live_reload_files_with(safeguard_live* live, const safeguard_file* files,
                                                  size_t count,
                                                  const safeguard_load_options* options,
                                                  safeguard_error** error) {
  if (error) *error = nullptr;
  return guarded(error, [&] {
    if (!live || (!files && count > 0)) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument", "live and files are required");
    }
    if (safeguard_status s = safeguard::capi::check_files(files, count, error); s != SAFEGUARD_OK) {
      return s;
    }
    // As LiveRuleSet::reload: one reload at a time, and a failed one changes nothing.
    std::lock_guard<std::mutex> turn(live->reload_mutex);
    safeguard::LoadResult loaded = safeguard::capi::load_files(files, count, options);
    if (loaded.ok()) live->live.replace(loaded.rule_set);
    return reloaded(std::move(loaded), error);
  });
}

safeguard_status safeguard_live_replace(safeguard_live* live, const safeguard_rules* rules) {
  return guarded(nullptr, [&] {
    if (!live || !rules) return SAFEGUARD_ERROR_ARGUMENT;
    live->live.replace(rules->rule_set);
    return SAFEGUARD_OK;
  });
}

safeguard_rules* safeguard_live_current(const safeguard_live* live) {
  if (!live) return nullptr;
  try {
    auto handle = std::make_unique<safeguard_rules>();
    handle->rule_set = live->live.current();
    return handle.release();
  } catch (...) {
    return nullptr;
  }
}

uint64_t safeguard_live_generation(const safeguard_live* live) {
  if (!live) return 0;
  try {
    return live->live.generation();
  } catch (...) {
    return 0;  // std::mutex::lock failing: not expected on any supported system
  }
}

safeguard_status safeguard_live_evaluate(const safeguard_live* live, const char* snapshot_json,
                                         size_t length, const char* as_of, unsigned flags,
                                         char** result_json, size_t* result_length,
                                         safeguard_error** error) {
  if (result_json) *result_json = nullptr;
  if (error) *error = nullptr;
  if (result_length) *result_length = 0;
  return guarded(error, [&] {
    if (!live || !result_json) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  "live and result_json are required");
    }
    // Hold the rule set for the whole evaluation: a reload meanwhile cannot free it.
    const std::shared_ptr<const safeguard::RuleSet> rule_set = live->live.current();
    return safeguard::capi::evaluate(*rule_set, snapshot_json, length, as_of, flags, result_json,
                                     result_length, error);
  });
}

void safeguard_live_free(safeguard_live* live) {
  delete live;
}

}  // extern "C"
