// safeguard_rules: loading, accessors, evaluation; and the version query.
#include <cstdlib>
#include <cstring>

#include "capi/handles.hpp"
#include "engine/impl.hpp"
#include "engine/load_memory.hpp"
#include "safeguard/version.hpp"

namespace safeguard::capi {

namespace {

constexpr unsigned kEvalFlags = SAFEGUARD_EVAL_EXPLAIN | SAFEGUARD_EVAL_SHOW_VALUES |
                                SAFEGUARD_EVAL_NO_VALIDATE | SAFEGUARD_EVAL_PRETTY;

// Codes the engine gives when the caller, not the snapshot, is at fault.
bool is_argument_error(const std::vector<Diagnostic>& errors) {
  for (const auto& d : errors) {
    if (d.code == "input.as-of") return true;
  }
  return false;
}

}  // namespace

safeguard_status options_from_flags(unsigned flags, safeguard_load_options* options,
                                    safeguard_error** error) noexcept {
  if ((flags & ~kLoadFlags) != 0) {
    return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument", "unknown load flag");
  }
  options->options.warnings_as_errors = (flags & SAFEGUARD_LOAD_WARNINGS_AS_ERRORS) != 0;
  return SAFEGUARD_OK;
}

safeguard_status check_files(const safeguard_file* files, std::size_t count,
                             safeguard_error** error) {
  for (std::size_t i = 0; i < count; ++i) {
    if (!files[i].path || (!files[i].text && files[i].length > 0)) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  "files[" + std::to_string(i) + "] has no path or no text");
    }
  }
  return SAFEGUARD_OK;
}

std::vector<ruleset::InputView> file_views(const safeguard_file* files, std::size_t count) {
  std::vector<ruleset::InputView> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    // SAFEGUARD_NUL_TERMINATED, as the evaluate functions take it: copying SIZE_MAX bytes
    // failed as an "internal error" (std::length_error).
    const std::size_t length =
        files[i].length == SAFEGUARD_NUL_TERMINATED ? std::strlen(files[i].text) : files[i].length;
    out.push_back(ruleset::InputView{files[i].path, std::string_view(files[i].text, length)});
  }
  return out;
}

LoadResult load_files(const safeguard_file* files, std::size_t count,
                      const safeguard_load_options* options) {
  // The texts are the host's until the call returns: a file over its limit is refused by
  // the loader, with the loader's diagnostic, before any of it is copied.
  return engine::load_in_memory(file_views(files, count), load_options(options));
}

safeguard_status make_rules(LoadResult loaded, safeguard_rules** rules, safeguard_error** error) {
  if (!loaded.ok()) return fail(error, SAFEGUARD_ERROR_RULES, std::move(loaded.diagnostics));
  auto handle = std::make_unique<safeguard_rules>();
  handle->rule_set = std::move(loaded.rule_set);
  handle->warnings = format(loaded.diagnostics);
  *rules = handle.release();
  return SAFEGUARD_OK;
}

safeguard_status evaluate(const RuleSet& rule_set, const char* snapshot_json, std::size_t length,
                          const char* as_of, unsigned flags, char** result_json,
                          std::size_t* result_length, safeguard_error** error) {
  if (!snapshot_json || !as_of) {
    return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                "snapshot_json and as_of are required");
  }
  if ((flags & ~kEvalFlags) != 0) {
    return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument", "unknown evaluation flag");
  }
  if (length == SAFEGUARD_NUL_TERMINATED) length = std::strlen(snapshot_json);
  EvalOptions options;
  options.as_of = as_of;
  options.explain = (flags & (SAFEGUARD_EVAL_EXPLAIN | SAFEGUARD_EVAL_SHOW_VALUES)) != 0;
  options.show_values = (flags & SAFEGUARD_EVAL_SHOW_VALUES) != 0;
  options.validate = (flags & SAFEGUARD_EVAL_NO_VALIDATE) == 0;
  // The text is written into a string the thread keeps, then copied once into the block
  // the host owns.
  thread_local std::string json;
  json.clear();
  const std::string_view snapshot(snapshot_json, length);
  const bool pretty = (flags & SAFEGUARD_EVAL_PRETTY) != 0;
  // Compact JSON is written straight from the evaluation; pretty JSON comes from a Result.
  // Either way a snapshot that cannot be evaluated gives its errors from that one
  // evaluation (it was evaluated a second time, into a Result, for them).
  std::vector<Diagnostic> errors;
  bool evaluated = false;
  if (!pretty) {
    evaluated = engine::evaluate_json_or_errors(rule_set, snapshot, options, json, errors);
  } else {
    // Each thread fills one Result again for every call, keeping its storage (evaluate_into
    // sets every field, so nothing of an earlier call is kept). An explanation can be
    // large, so it gets a Result of its own rather than leave the thread holding that much.
    thread_local Result reused;
    Result own;
    Result& result = options.explain ? own : reused;
    rule_set.evaluate_into(snapshot, options, result);
    evaluated = result.evaluated;
    if (evaluated) {
      result.write_json(json, pretty);
    } else {
      errors = std::move(result.errors);  // the next call sets them again
    }
  }
  if (!evaluated) {
    const safeguard_status status =
        is_argument_error(errors) ? SAFEGUARD_ERROR_ARGUMENT : SAFEGUARD_ERROR_SNAPSHOT;
    return fail(error, status, std::move(errors));
  }
  // malloc, so that safeguard_string_free (free) matches whatever allocator the C++
  // side uses, and hosts may even pass it to free() themselves.
  char* out = static_cast<char*>(std::malloc(json.size() + 1));
  if (!out) return fail(error, SAFEGUARD_ERROR_NO_MEMORY, "capi.no-memory", "out of memory");
  std::memcpy(out, json.data(), json.size());
  out[json.size()] = '\0';
  *result_json = out;
  if (result_length) *result_length = json.size();
  // Nor does the thread keep the size of an explanation's text.
  if (json.capacity() > (std::size_t{1} << 20)) std::string().swap(json);
  return SAFEGUARD_OK;
}

}  // namespace safeguard::capi

using safeguard::capi::fail;
using safeguard::capi::guarded;

namespace {

template <typename T>
void clear(T** out) {
  if (out) *out = nullptr;
}

}  // namespace

extern "C" {

const char* safeguard_version(void) {
  return safeguard::version();
}

int safeguard_version_number(void) {
  return SAFEGUARD_VERSION_MAJOR * 10000 + SAFEGUARD_VERSION_MINOR * 100 + SAFEGUARD_VERSION_PATCH;
}

safeguard_status safeguard_rules_load_dir(const char* directory, unsigned flags,
                                          safeguard_rules** rules, safeguard_error** error) {
  clear(rules);
  clear(error);
  safeguard_load_options options;
  if (safeguard_status s = safeguard::capi::options_from_flags(flags, &options, error);
      s != SAFEGUARD_OK) {
    return s;
  }
  return safeguard_rules_load_dir_with(directory, &options, rules, error);
}

safeguard_status safeguard_rules_load_files(const safeguard_file* files, size_t count,
                                            unsigned flags, safeguard_rules** rules,
                                            safeguard_error** error) {
  clear(rules);
  clear(error);
  safeguard_load_options options;
  if (safeguard_status s = safeguard::capi::options_from_flags(flags, &options, error);
      s != SAFEGUARD_OK) {
    return s;
  }
  return safeguard_rules_load_files_with(files, count, &options, rules, error);
}

safeguard_status safeguard_rules_load_dir_with(const char* directory,
                                               const safeguard_load_options* options,
                                               safeguard_rules** rules, safeguard_error** error) {
  clear(rules);
  clear(error);
  return guarded(error, [&] {
    if (!directory || !rules) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  "directory and rules are required");
    }
    return safeguard::capi::make_rules(
        safeguard::RuleSet::load(directory, safeguard::capi::load_options(options)), rules, error);
  });
}

safeguard_status safeguard_rules_load_files_with(const safeguard_file* files, size_t count,
                                                 const safeguard_load_options* options,
                                                 safeguard_rules** rules, safeguard_error** error) {
  clear(rules);
  clear(error);
  return guarded(error, [&] {
    if ((!files && count > 0) || !rules) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument", "files and rules are required");
    }
    if (safeguard_status s = safeguard::capi::check_files(files, count, error); s != SAFEGUARD_OK) {
      return s;
    }
    return safeguard::capi::make_rules(safeguard::capi::load_files(files, count, options), rules,
                                       error);
  });
}

const char* safeguard_rules_name(const safeguard_rules* rules) {
  return rules ? rules->rule_set->info().name.c_str() : "";
}

const char* safeguard_rules_version(const safeguard_rules* rules) {
  return rules ? rules->rule_set->info().version.c_str() : "";
}

const char* safeguard_rules_fingerprint(const safeguard_rules* rules) {
  return rules ? rules->rule_set->info().fingerprint.c_str() : "";
}

const char* safeguard_rules_warnings(const safeguard_rules* rules) {
  return rules ? rules->warnings.c_str() : "";
}

void safeguard_rules_free(safeguard_rules* rules) {
  delete rules;
}

safeguard_status safeguard_evaluate(const safeguard_rules* rules, const char* snapshot_json,
                                    size_t length, const char* as_of, unsigned flags,
                                    char** result_json, size_t* result_length,
                                    safeguard_error** error) {
  clear(result_json);
  clear(error);
  if (result_length) *result_length = 0;
  return guarded(error, [&] {
    if (!rules || !result_json) {
      return fail(error, SAFEGUARD_ERROR_ARGUMENT, "capi.argument",
                  "rules and result_json are required");
    }
    return safeguard::capi::evaluate(*rules->rule_set, snapshot_json, length, as_of, flags,
                                     result_json, result_length, error);
  });
}

}  // extern "C"
