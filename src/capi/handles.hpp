// The structs behind the C ABI's opaque handles, and the guard that keeps C++ exceptions
// from crossing it.
#pragma once

#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "ruleset/load/loader.hpp"
#include "safeguard/diagnostic.hpp"
#include "safeguard/live_rule_set.hpp"
#include "safeguard/rule_set.hpp"
#include "safeguard/safeguard.h"

struct safeguard_rules {
  std::shared_ptr<const safeguard::RuleSet> rule_set;
  std::string warnings;  // formatted, "" when none
};

struct safeguard_live {
  safeguard::LiveRuleSet live;
  // Serialises the C reloads, as LiveRuleSet::reload does its own: a reload from memory
  // loads without copying the host's texts (engine::load_in_memory) and then replaces.
  std::mutex reload_mutex;
  explicit safeguard_live(std::shared_ptr<const safeguard::RuleSet> initial)
      : live(std::move(initial)) {}
};

struct safeguard_load_options {
  mutable std::mutex mutex;  // loads read while a host thread may be changing them
  safeguard::LoadOptions options;
};

struct safeguard_error {
  safeguard_status status = SAFEGUARD_ERROR_INTERNAL;
  std::vector<safeguard::Diagnostic> diagnostics;
  std::vector<safeguard_diagnostic> views;  // point into `diagnostics`
  std::string message;
  std::string json;
};

namespace safeguard::capi {

// Fills *error (when the caller asked for one) and returns `status`.
safeguard_status fail(safeguard_error** error, safeguard_status status,
                      std::vector<Diagnostic> diagnostics) noexcept;
safeguard_status fail(safeguard_error** error, safeguard_status status, const char* code,
                      std::string message) noexcept;

safeguard_error* out_of_memory_error() noexcept;
bool is_out_of_memory_error(const safeguard_error* error) noexcept;

// Runs `body` (returning safeguard_status); turns any exception into a status.
template <typename Body>
safeguard_status guarded(safeguard_error** error, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(error, SAFEGUARD_ERROR_NO_MEMORY, "capi.no-memory", "out of memory");
  } catch (const std::exception& e) {
    return fail(error, SAFEGUARD_ERROR_INTERNAL, "capi.internal",
                std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(error, SAFEGUARD_ERROR_INTERNAL, "capi.internal", "internal error");
  }
}

// The rule set a load produced, as a new handle; or the load's diagnostics as an error.
safeguard_status make_rules(LoadResult loaded, safeguard_rules** rules, safeguard_error** error);

constexpr unsigned kLoadFlags = SAFEGUARD_LOAD_WARNINGS_AS_ERRORS;

// Options that carry only load flags (the functions without _with); refuses unknown flags.
safeguard_status options_from_flags(unsigned flags, safeguard_load_options* options,
                                    safeguard_error** error) noexcept;
// A copy of the options (the defaults for NULL).
LoadOptions load_options(const safeguard_load_options* options);
// SAFEGUARD_ERROR_ARGUMENT when a file has no path, or no text but a length.
safeguard_status check_files(const safeguard_file* files, std::size_t count,
                             safeguard_error** error);
// The host's files as views (paths copied, texts not): each text is checked against its
// limit before the loader copies it.
std::vector<ruleset::InputView> file_views(const safeguard_file* files, std::size_t count);
// The rule set loaded from the host's files (engine::load_in_memory).
LoadResult load_files(const safeguard_file* files, std::size_t count,
                      const safeguard_load_options* options);

// Shared by safeguard_evaluate and safeguard_live_evaluate.
safeguard_status evaluate(const RuleSet& rule_set, const char* snapshot_json, std::size_t length,
                          const char* as_of, unsigned flags, char** result_json,
                          std::size_t* result_length, safeguard_error** error);

}  // namespace safeguard::capi
