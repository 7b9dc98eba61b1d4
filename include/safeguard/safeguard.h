/* safeguard C ABI: load a rule set, evaluate case snapshots (JSON in, JSON out).
 *
 * For hosts in C, C#, Java (JNI/FFM), Python (ctypes), Go (cgo) and anything else that can
 * call C. docs/embedding.md has complete examples; in short:
 *
 *   safeguard_rules* rules = NULL;
 *   safeguard_error* error = NULL;
 *   if (safeguard_rules_load_dir("rules", 0, &rules, &error) != SAFEGUARD_OK) {
 *     fprintf(stderr, "%s", safeguard_error_message(error));
 *     safeguard_error_free(error);
 *     return 2;
 *   }
 *   char* result = NULL;
 *   if (safeguard_evaluate(rules, json, SAFEGUARD_NUL_TERMINATED, "2024-06-03", 0,
 *                          &result, NULL, &error) == SAFEGUARD_OK) {
 *     puts(result);
 *     safeguard_string_free(result);
 *   }
 *   safeguard_rules_free(rules);
 *
 * Conventions, for every function:
 *  - A function that can fail returns a safeguard_status. On SAFEGUARD_OK its outputs are
 *    set; otherwise its outputs are NULL and, if `error` is not NULL, *error receives an
 *    error object (free it with safeguard_error_free) that says why and where.
 *  - Whatever the library returns through a `**` output is the caller's to free, with the
 *    matching *_free function. Strings returned as `const char*` belong to the object they
 *    came from and live as long as it does. Every *_free function accepts NULL. Freeing
 *    an object twice, or using it after it was freed, is undefined behaviour (as with
 *    free()); set your pointer to NULL after freeing. Handles are independent of one
 *    another: a safeguard_live keeps its own reference to the rule set it was created with
 *    or swapped to, and a handle from safeguard_live_current stays valid after
 *    safeguard_rules_free of the initial rules and safeguard_live_free.
 *  - No C++ exception ever leaves the library; out of memory is SAFEGUARD_ERROR_NO_MEMORY.
 *  - Thread safety: every function may be called from any number of threads at once, on
 *    the same handles, except that a handle must not be freed while another thread still
 *    uses it. A safeguard_rules handle is immutable; a safeguard_live handle swaps rule
 *    sets atomically (see below).
 *  - Strings are UTF-8. Errors name rule files, field paths and rule ids, never values
 *    from a snapshot.
 *
 * Versioning: the ABI follows the library's major version (the SONAME is
 * libsafeguard.so.MAJOR; before 1.0, when a minor version may break, libsafeguard.so.0.MINOR).
 * Within one, functions and flags are only added, and the structs the library hands out
 * (safeguard_diagnostic) only grow at their end.
 * safeguard_file, the one struct the caller fills in, never changes.
 */
#ifndef SAFEGUARD_H
#define SAFEGUARD_H

#include <stddef.h>
#include <stdint.h>

#include "safeguard/version.h"

#if defined(_WIN32)
#define SAFEGUARD_C_API
#elif defined(__GNUC__) || defined(__clang__)
#define SAFEGUARD_C_API __attribute__((visibility("default")))
#else
#define SAFEGUARD_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes and errors -------------------------------------------------------- */

typedef enum safeguard_status {
  SAFEGUARD_OK = 0,
  /* A NULL handle or pointer, an unknown flag, or an as-of date that is not YYYY-MM-DD. */
  SAFEGUARD_ERROR_ARGUMENT = 1,
  /* The rule set has errors: the error's diagnostics give file:line:col for each. */
  SAFEGUARD_ERROR_RULES = 2,
  /* The snapshot cannot be evaluated: not JSON (line:col given), not a JSON object, or
   * written for another snapshot schema. Data problems inside a valid snapshot are not
   * errors: they make rules undetermined in the result. */
  SAFEGUARD_ERROR_SNAPSHOT = 3,
  SAFEGUARD_ERROR_NO_MEMORY = 4,
  /* A bug in safeguard; the message says what escaped. Please report it. */
  SAFEGUARD_ERROR_INTERNAL = 5
} safeguard_status;

/* "ok", "argument", "rules", "snapshot", "no-memory", "internal"; "unknown" otherwise. */
SAFEGUARD_C_API const char* safeguard_status_name(safeguard_status status);

typedef struct safeguard_error safeguard_error;

/* One located problem. Owned by the error it came from. Fields may be added at the end. */
typedef struct safeguard_diagnostic {
  const char* severity; /* "error", "warning" or "note" */
  const char* code;     /* stable id (docs/diagnostics.md), e.g. "rule.unknown-key" */
  const char* file;     /* rule file, "<snapshot>", ...; "" when none */
  uint32_t line;        /* 1-based; 0 when the problem has no position */
  uint32_t column;      /* 1-based, in code points; 0 when none */
  const char* message;
  const char* hint; /* "" when none */
} safeguard_diagnostic;

SAFEGUARD_C_API safeguard_status safeguard_error_status(const safeguard_error* error);
/* Every diagnostic as a compiler prints it: file:line:col: error: message, the source
 * line, a caret, the hint. Ends with a newline. */
SAFEGUARD_C_API const char* safeguard_error_message(const safeguard_error* error);
SAFEGUARD_C_API size_t safeguard_error_diagnostic_count(const safeguard_error* error);
/* NULL when index is out of range. */
SAFEGUARD_C_API const safeguard_diagnostic* safeguard_error_diagnostic(const safeguard_error* error,
                                                                       size_t index);
/* {"status": "...", "diagnostics": [{"severity", "code", "file", "line", "column",
 *  "message", "hint"}]}: the same information, for hosts that would rather parse JSON. */
SAFEGUARD_C_API const char* safeguard_error_json(const safeguard_error* error);
SAFEGUARD_C_API void safeguard_error_free(safeguard_error* error);

/* ---- version ------------------------------------------------------------------------ */

/* The version of the library actually loaded, e.g. "0.1.0" (SAFEGUARD_VERSION_STRING is
 * the version of the headers compiled against). */
SAFEGUARD_C_API const char* safeguard_version(void);
/* major * 10000 + minor * 100 + patch, as SAFEGUARD_VERSION_NUMBER. */
SAFEGUARD_C_API int safeguard_version_number(void);

/* ---- rule sets ---------------------------------------------------------------------- */

/* An immutable, compiled rule set. Evaluate with it from any number of threads. */
typedef struct safeguard_rules safeguard_rules;

/* A rule file held in memory (e.g. in a host's database). Filled in by the caller. */
typedef struct safeguard_file {
  const char* path; /* relative, e.g. "ruleset.yaml", "front-door.yaml", "calendars/x.yaml" */
  const char* text; /* need not be NUL-terminated */
  size_t length;    /* bytes of text, or SAFEGUARD_NUL_TERMINATED when it is */
} safeguard_file;

/* Load flags. */
#define SAFEGUARD_LOAD_WARNINGS_AS_ERRORS 1u

/* Loads the rule set in `directory` (its ruleset.yaml and the files it names). */
SAFEGUARD_C_API safeguard_status safeguard_rules_load_dir(const char* directory, unsigned flags,
                                                          safeguard_rules** rules,
                                                          safeguard_error** error);
/* Loads a rule set from `count` files in memory; one must be "ruleset.yaml", and no two
 * may have the same path (file.duplicate-path). The texts are read during the call and
 * not kept: the caller may free them when this returns. A text over the limit of its kind
 * of file (file.too-large, schema.too-large, calendar.too-large) is refused before any of
 * it is copied. */
SAFEGUARD_C_API safeguard_status safeguard_rules_load_files(const safeguard_file* files,
                                                            size_t count, unsigned flags,
                                                            safeguard_rules** rules,
                                                            safeguard_error** error);
/* The manifest's name and version, and the SHA-256 of the rule set's files (hex). */
SAFEGUARD_C_API const char* safeguard_rules_name(const safeguard_rules* rules);
SAFEGUARD_C_API const char* safeguard_rules_version(const safeguard_rules* rules);
SAFEGUARD_C_API const char* safeguard_rules_fingerprint(const safeguard_rules* rules);
/* Warnings from loading, formatted like safeguard_error_message; "" when none. */
SAFEGUARD_C_API const char* safeguard_rules_warnings(const safeguard_rules* rules);
SAFEGUARD_C_API void safeguard_rules_free(safeguard_rules* rules);

/* ---- load options ------------------------------------------------------------------- */

/* Settings for loading a rule set beyond the flags: limits (SECURITY.md), calendars a host
 * supplies (a council's office closures), the default calendar. Build one, then pass it to
 * the *_with load functions; a load copies what it needs, so one options object may serve
 * any number of loads, on any threads, and be changed or freed between them. */
typedef struct safeguard_load_options safeguard_load_options;

/* New options with the defaults (those of safeguard_rules_load_dir); NULL only when out of
 * memory. */
SAFEGUARD_C_API safeguard_load_options* safeguard_load_options_create(void);
SAFEGUARD_C_API void safeguard_load_options_free(safeguard_load_options* options);
/* SAFEGUARD_LOAD_* flags. */
SAFEGUARD_C_API safeguard_status safeguard_load_options_set_flags(safeguard_load_options* options,
                                                                  unsigned flags,
                                                                  safeguard_error** error);
/* Sets a limit by its name in SECURITY.md, e.g. "max_evaluation_steps", "max_snapshot_bytes".
 * An unknown name, 0, or a value the limit cannot hold is SAFEGUARD_ERROR_ARGUMENT. */
SAFEGUARD_C_API safeguard_status safeguard_load_options_set_limit(safeguard_load_options* options,
                                                                  const char* name, uint64_t value,
                                                                  safeguard_error** error);
/* The current value of a limit; 0 for an unknown name. */
SAFEGUARD_C_API uint64_t safeguard_load_options_limit(const safeguard_load_options* options,
                                                      const char* name);
/* Adds a working-day calendar from YAML text in the format of rules/calendars/ and
 * examples/calendars/; it may `extends:` a built-in calendar or one added before it. It replaces
 * a calendar of the same name that a rule set ships. A calendar with errors is
 * SAFEGUARD_ERROR_RULES with located diagnostics (`name_for_errors` stands in for a file
 * name; may be NULL), and the options are unchanged. */
SAFEGUARD_C_API safeguard_status safeguard_load_options_add_calendar(
    safeguard_load_options* options, const char* yaml, size_t length, const char* name_for_errors,
    safeguard_error** error);
/* The calendar that rules use when they name none, overriding the manifest's `calendar`.
 * Checked when loading: a name that no calendar has is a load error. An empty name ("")
 * clears the override, so the manifest's `calendar` applies again. */
SAFEGUARD_C_API safeguard_status safeguard_load_options_set_calendar(
    safeguard_load_options* options, const char* name, safeguard_error** error);

/* safeguard_rules_load_dir and _load_files with options (NULL: the defaults). */
SAFEGUARD_C_API safeguard_status
safeguard_rules_load_dir_with(const char* directory, const safeguard_load_options* options,
                              safeguard_rules** rules, safeguard_error** error);
SAFEGUARD_C_API safeguard_status safeguard_rules_load_files_with(
    const safeguard_file* files, size_t count, const safeguard_load_options* options,
    safeguard_rules** rules, safeguard_error** error);

/* ---- evaluation --------------------------------------------------------------------- */

/* Evaluation flags. */
#define SAFEGUARD_EVAL_EXPLAIN 1u     /* record which parts of each condition held */
#define SAFEGUARD_EVAL_SHOW_VALUES 2u /* with EXPLAIN: include values (case data!) */
#define SAFEGUARD_EVAL_NO_VALIDATE 4u /* skip the snapshot schema check (not advised) */
#define SAFEGUARD_EVAL_PRETTY 8u      /* indent the result JSON */

/* Pass as a length when the text is NUL-terminated. */
#define SAFEGUARD_NUL_TERMINATED ((size_t)-1)

/* Evaluates one case snapshot (JSON text) as of `as_of` ("YYYY-MM-DD"). On SAFEGUARD_OK,
 * *result_json is the result in the stable form of docs/result-json.md, byte-identical
 * to the C++ API's Result::to_json for the same inputs; free it with safeguard_string_free.
 * `result_length` may be NULL. */
SAFEGUARD_C_API safeguard_status safeguard_evaluate(const safeguard_rules* rules,
                                                    const char* snapshot_json, size_t length,
                                                    const char* as_of, unsigned flags,
                                                    char** result_json, size_t* result_length,
                                                    safeguard_error** error);

SAFEGUARD_C_API void safeguard_string_free(char* text);

/* ---- live rule sets (hot reload) ---------------------------------------------------- */

/* Holds the current rule set of a long-running host and swaps it for a newly loaded one
 * atomically. An evaluation uses the rule set that was current when it started, to the
 * end, even if a reload happens meanwhile. A reload that fails keeps the current rule set
 * and reports why. */
typedef struct safeguard_live safeguard_live;

/* Starts with `initial` (which the caller still frees separately when done with it). */
SAFEGUARD_C_API safeguard_status safeguard_live_create(const safeguard_rules* initial,
                                                       safeguard_live** live,
                                                       safeguard_error** error);
/* Loads a rule set and, if it has no errors, makes it current. */
SAFEGUARD_C_API safeguard_status safeguard_live_reload_dir(safeguard_live* live,
                                                           const char* directory, unsigned flags,
                                                           safeguard_error** error);
SAFEGUARD_C_API safeguard_status safeguard_live_reload_files(safeguard_live* live,
                                                             const safeguard_file* files,
                                                             size_t count, unsigned flags,
                                                             safeguard_error** error);
/* The same, with options (NULL: the defaults). */
SAFEGUARD_C_API safeguard_status
safeguard_live_reload_dir_with(safeguard_live* live, const char* directory,
                               const safeguard_load_options* options, safeguard_error** error);
SAFEGUARD_C_API safeguard_status
safeguard_live_reload_files_with(safeguard_live* live, const safeguard_file* files, size_t count,
                                 const safeguard_load_options* options, safeguard_error** error);
/* Makes an already loaded rule set current. */
SAFEGUARD_C_API safeguard_status safeguard_live_replace(safeguard_live* live,
                                                        const safeguard_rules* rules);
/* A handle to the rule set current now (free it); NULL only when out of memory or `live`
 * is NULL. Evaluate several cases with it to be sure they all see the same rules. */
SAFEGUARD_C_API safeguard_rules* safeguard_live_current(const safeguard_live* live);
/* Counts successful swaps: 0 for the initial rule set. */
SAFEGUARD_C_API uint64_t safeguard_live_generation(const safeguard_live* live);
/* safeguard_evaluate with the current rule set. */
SAFEGUARD_C_API safeguard_status safeguard_live_evaluate(const safeguard_live* live,
                                                         const char* snapshot_json, size_t length,
                                                         const char* as_of, unsigned flags,
                                                         char** result_json, size_t* result_length,
                                                         safeguard_error** error);
SAFEGUARD_C_API void safeguard_live_free(safeguard_live* live);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SAFEGUARD_H */
