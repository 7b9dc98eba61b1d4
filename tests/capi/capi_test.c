/* The C ABI, used from C as a host would: tests/capi/capi_test RULES_DIR CASES_DIR */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safeguard/safeguard.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static char* read_text(const char* dir, const char* name, size_t* length) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = malloc((size_t)size + 1);
  if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) exit(2);
  text[size] = '\0';
  fclose(f);
  if (length) *length = (size_t)size;
  return text;
}

/* Replaces the first `from` in `text` with `to` (a new string). */
static char* replace(const char* text, const char* from, const char* to) {
  const char* at = strstr(text, from);
  if (!at) exit(3);
  size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to);
  char* out = malloc(n + 1);
  memcpy(out, text, head);
  strcpy(out + head, to);
  strcat(out, at + strlen(from));
  return out;
}

/* Evaluates `snapshot` as of `as_of` and checks the result JSON holds `needle`; a failure
 * names the caller's line. */
#define CHECK_RESULT_HAS(rules, snapshot, length, as_of, needle) \
  check_result_has(__LINE__, rules, snapshot, length, as_of, needle)
static void check_result_has(int line, const safeguard_rules* rules, const char* snapshot,
                             size_t length, const char* as_of, const char* needle) {
  char* result = NULL;
  const safeguard_status status =
      safeguard_evaluate(rules, snapshot, length, as_of, 0, &result, NULL, NULL);
  if (status != SAFEGUARD_OK || result == NULL || strstr(result, needle) == NULL) {
    fprintf(stderr, "%s:%d: CHECK failed: the result as of %s holds %s\n", __FILE__, line, as_of,
            needle);
    ++failures;
  }
  safeguard_string_free(result);
}

static const char* rules_dir;
static const char* cases_dir;

static void test_version(void) {
  CHECK(strcmp(safeguard_version(), SAFEGUARD_VERSION_STRING) == 0);
  CHECK(safeguard_version_number() == SAFEGUARD_VERSION_NUMBER);
  CHECK(strcmp(safeguard_status_name(SAFEGUARD_ERROR_RULES), "rules") == 0);
  CHECK(strcmp(safeguard_status_name((safeguard_status)99), "unknown") == 0);
}

static void test_load_and_evaluate(void) {
  safeguard_rules* rules = NULL;
  safeguard_error* error = NULL;
  CHECK(safeguard_rules_load_dir(rules_dir, 0, &rules, &error) == SAFEGUARD_OK);
  CHECK(error == NULL);
  if (!rules) return;
  CHECK(strcmp(safeguard_rules_name(rules), "demo") == 0);
  CHECK(strcmp(safeguard_rules_version(rules), "1.0") == 0);
  CHECK(strlen(safeguard_rules_fingerprint(rules)) == 64);
  CHECK(strcmp(safeguard_rules_warnings(rules), "") == 0);

  char* overdue = read_text(cases_dir, "overdue.json", NULL);
  char* result = NULL;
  size_t length = 0;
  CHECK(safeguard_evaluate(rules, overdue, SAFEGUARD_NUL_TERMINATED, "2024-06-03", 0, &result,
                           &length, &error) == SAFEGUARD_OK);
  CHECK(result != NULL && error == NULL);
  if (result) {
    CHECK(length == strlen(result));
    CHECK(strncmp(result, "{\"level\":{\"id\":\"child_protection\"", 33) == 0);
    CHECK(strstr(result, "\"id\":\"front-door.decision-overdue\"") != NULL);
    CHECK(strstr(result, "\"as_of\":\"2024-06-03\"") != NULL);
    CHECK(strchr(result, '\n') == NULL);
  }
  safeguard_string_free(result);

  /* The same case a day before the deadline raises nothing. */
  result = NULL;
  CHECK(safeguard_evaluate(rules, overdue, strlen(overdue), "2024-05-31", 0, &result, NULL, NULL) ==
        SAFEGUARD_OK);
  if (result) CHECK(strstr(result, "\"flags\":[]") != NULL);
  safeguard_string_free(result);

  /* Flags: explain, pretty; unknown flags are refused. */
  result = NULL;
  CHECK(safeguard_evaluate(rules, overdue, SAFEGUARD_NUL_TERMINATED, "2024-06-03",
                           SAFEGUARD_EVAL_EXPLAIN | SAFEGUARD_EVAL_PRETTY, &result, NULL,
                           NULL) == SAFEGUARD_OK);
  if (result) {
    CHECK(strstr(result, "\"explain\"") != NULL);
    CHECK(strchr(result, '\n') != NULL);
  }
  safeguard_string_free(result);
  result = NULL;
  CHECK(safeguard_evaluate(rules, overdue, SAFEGUARD_NUL_TERMINATED, "2024-06-03", 1u << 20,
                           &result, NULL, &error) == SAFEGUARD_ERROR_ARGUMENT);
  CHECK(result == NULL && error != NULL);
  safeguard_error_free(error);
  error = NULL;

  /* Missing data is not an error: the rule is undetermined. */
  char* missing = read_text(cases_dir, "missing.json", NULL);
  result = NULL;
  CHECK(safeguard_evaluate(rules, missing, SAFEGUARD_NUL_TERMINATED, "2024-06-03", 0, &result, NULL,
                           &error) == SAFEGUARD_OK);
  if (result) CHECK(strstr(result, "\"reason\":\"missing\"") != NULL);
  safeguard_string_free(result);
  free(missing);

  /* Not JSON: a snapshot error located by line and column, and no result. */
  const char* broken = "{\"schema\": \"safeguarding-case/1\",\n  \"case_id\": }";
  result = (char*)"untouched";
  CHECK(safeguard_evaluate(rules, broken, SAFEGUARD_NUL_TERMINATED, "2024-06-03", 0, &result, NULL,
                           &error) == SAFEGUARD_ERROR_SNAPSHOT);
  CHECK(result == NULL);
  CHECK(error != NULL);
  if (error) {
    CHECK(safeguard_error_status(error) == SAFEGUARD_ERROR_SNAPSHOT);
    CHECK(safeguard_error_diagnostic_count(error) == 1);
    const safeguard_diagnostic* d = safeguard_error_diagnostic(error, 0);
    CHECK(d != NULL);
    if (d) {
      CHECK(strcmp(d->code, "snapshot.json") == 0);
      CHECK(strcmp(d->severity, "error") == 0);
      CHECK(d->line == 2);
      CHECK(d->column > 0);
    }
    CHECK(safeguard_error_diagnostic(error, 1) == NULL);
    CHECK(strncmp(safeguard_error_json(error), "{\"status\":\"snapshot\",", 21) == 0);
    safeguard_error_free(error);
    error = NULL;
  }

  /* A JSON array is not a snapshot; a bad date is the caller's mistake. */
  CHECK(safeguard_evaluate(rules, "[1]", 3, "2024-06-03", 0, &result, NULL, NULL) ==
        SAFEGUARD_ERROR_SNAPSHOT);
  CHECK(safeguard_evaluate(rules, overdue, SAFEGUARD_NUL_TERMINATED, "2024-02-30", 0, &result, NULL,
                           &error) == SAFEGUARD_ERROR_ARGUMENT);
  CHECK(result == NULL);
  if (error) CHECK(strcmp(safeguard_error_diagnostic(error, 0)->code, "input.as-of") == 0);
  safeguard_error_free(error);
  error = NULL;

  free(overdue);
  safeguard_rules_free(rules);
}

static void test_load_errors(void) {
  safeguard_rules* rules = (safeguard_rules*)&rules;
  safeguard_error* error = NULL;
  CHECK(safeguard_rules_load_dir("/nonexistent/safeguard-rules", 0, &rules, &error) ==
        SAFEGUARD_ERROR_RULES);
  CHECK(rules == NULL);
  CHECK(error != NULL && safeguard_error_diagnostic_count(error) >= 1);
  safeguard_error_free(error);
  error = NULL;

  /* A misspelt key and a CEL syntax error, in memory: both reported, each located. */
  size_t manifest_length = 0, rules_length = 0;
  char* manifest = read_text(rules_dir, "ruleset.yaml", &manifest_length);
  char* front_door = read_text(rules_dir, "front-door.yaml", &rules_length);
  char* bad1 = replace(front_door, "severity: high", "severty: high");
  char* bad2 = replace(bad1, "raised(\"front-door.decision-overdue\")",
                       "raised(\"front-door.decision-overdue\") &&");
  safeguard_file files[2] = {{"ruleset.yaml", manifest, manifest_length},
                             {"front-door.yaml", bad2, strlen(bad2)}};
  CHECK(safeguard_rules_load_files(files, 2, 0, &rules, &error) == SAFEGUARD_ERROR_RULES);
  CHECK(rules == NULL);
  CHECK(error != NULL);
  if (error) {
    CHECK(safeguard_error_diagnostic_count(error) >= 2);
    for (size_t i = 0; i < safeguard_error_diagnostic_count(error); ++i) {
      const safeguard_diagnostic* d = safeguard_error_diagnostic(error, i);
      if (strcmp(d->severity, "error") != 0) continue;
      CHECK(strcmp(d->file, "front-door.yaml") == 0);
      CHECK(d->line > 0 && d->column > 0);
      CHECK(d->message[0] != '\0' && d->code[0] != '\0');
    }
    CHECK(strstr(safeguard_error_message(error), "front-door.yaml:") != NULL);
    CHECK(strstr(safeguard_error_json(error), "\"status\":\"rules\"") != NULL);
  }
  safeguard_error_free(error);
  error = NULL;

  /* The good files load from memory, and rule_file names are the relative paths. */
  files[1].text = front_door;
  files[1].length = rules_length;
  CHECK(safeguard_rules_load_files(files, 2, SAFEGUARD_LOAD_WARNINGS_AS_ERRORS, &rules, &error) ==
        SAFEGUARD_OK);
  CHECK(rules != NULL && error == NULL);
  safeguard_rules_free(rules);
  /* NUL-terminated texts may say so, as evaluate's snapshot may (copying SIZE_MAX bytes
   * was an internal error); a NULL text is still an argument error. */
  files[0].length = SAFEGUARD_NUL_TERMINATED;
  files[1].length = SAFEGUARD_NUL_TERMINATED;
  CHECK(safeguard_rules_load_files(files, 2, SAFEGUARD_LOAD_WARNINGS_AS_ERRORS, &rules, &error) ==
        SAFEGUARD_OK);
  CHECK(rules != NULL && error == NULL);
  safeguard_rules_free(rules);
  files[1].text = NULL;
  CHECK(safeguard_rules_load_files(files, 2, 0, &rules, &error) == SAFEGUARD_ERROR_ARGUMENT);
  CHECK(rules == NULL);
  safeguard_error_free(error);
  error = NULL;
  files[0].length = manifest_length;

  /* A warning (an unused parameter) is kept with the rule set, or fails the load when
   * warnings are errors. */
  char* spare =
      replace(front_door, "decision_working_days: 1", "decision_working_days: 1\n  spare: 2");
  files[1].text = spare;
  files[1].length = strlen(spare);
  CHECK(safeguard_rules_load_files(files, 2, 0, &rules, NULL) == SAFEGUARD_OK);
  if (rules) CHECK(strstr(safeguard_rules_warnings(rules), "spare") != NULL);
  safeguard_rules_free(rules);
  CHECK(safeguard_rules_load_files(files, 2, SAFEGUARD_LOAD_WARNINGS_AS_ERRORS, &rules, NULL) ==
        SAFEGUARD_ERROR_RULES);
  CHECK(rules == NULL);
  free(spare);

  free(bad2);
  free(bad1);
  free(front_door);
  free(manifest);
}

static void test_null_arguments(void) {
  safeguard_rules* rules = NULL;
  safeguard_error* error = NULL;
  char* result = NULL;
  CHECK(safeguard_rules_load_dir(NULL, 0, &rules, &error) == SAFEGUARD_ERROR_ARGUMENT);
  CHECK(rules == NULL && error != NULL);
  safeguard_error_free(error);
  CHECK(safeguard_rules_load_dir(rules_dir, 0, NULL, NULL) == SAFEGUARD_ERROR_ARGUMENT);
  CHECK(safeguard_rules_load_dir(rules_dir, 1u << 7, &rules, NULL) == SAFEGUARD_ERROR_ARGUMENT);
  CHECK(safeguard_evaluate(NULL, "{}", 2, "2024-06-03", 0, &result, NULL, NULL) ==
        SAFEGUARD_ERROR_ARGUMENT);
  CHECK(safeguard_live_create(NULL, NULL, NULL) == SAFEGUARD_ERROR_ARGUMENT);
  CHECK(safeguard_live_current(NULL) == NULL);
  CHECK(safeguard_live_generation(NULL) == 0);
  CHECK(strcmp(safeguard_error_message(NULL), "") == 0);
  CHECK(safeguard_error_diagnostic(NULL, 0) == NULL);
  CHECK(strcmp(safeguard_rules_name(NULL), "") == 0);
  safeguard_error_free(NULL);
  safeguard_rules_free(NULL);
  safeguard_live_free(NULL);
  safeguard_string_free(NULL);
}

/* A live handle over the rule set in rules_dir (version 1.0), or NULL after a failed check. */
static safeguard_live* live_from_rules_dir(void) {
  safeguard_rules* rules = NULL;
  safeguard_live* live = NULL;
  CHECK(safeguard_rules_load_dir(rules_dir, 0, &rules, NULL) == SAFEGUARD_OK);
  if (!rules) return NULL;
  CHECK(safeguard_live_create(rules, &live, NULL) == SAFEGUARD_OK);
  safeguard_rules_free(rules); /* the live handle keeps its own reference */
  return live;
}

static void test_live(void) {
  safeguard_live* live = live_from_rules_dir();
  safeguard_error* error = NULL;
  if (!live) return;
  CHECK(safeguard_live_generation(live) == 0);

  char* overdue = read_text(cases_dir, "overdue.json", NULL);
  char* result = NULL;
  CHECK(safeguard_live_evaluate(live, overdue, SAFEGUARD_NUL_TERMINATED, "2024-06-03", 0, &result,
                                NULL, NULL) == SAFEGUARD_OK);
  if (result) CHECK(strstr(result, "\"version\":\"1.0\"") != NULL);
  safeguard_string_free(result);

  /* Version 2 gives two working days: the case is no longer overdue. */
  size_t manifest_length = 0, rules_length = 0;
  char* manifest = read_text(rules_dir, "ruleset.yaml", &manifest_length);
  char* front_door = read_text(rules_dir, "front-door.yaml", &rules_length);
  char* manifest2 = replace(manifest, "version: \"1.0\"", "version: \"2.0\"");
  char* front_door2 = replace(front_door, "decision_working_days: 1", "decision_working_days: 2");
  safeguard_file v2[2] = {{"ruleset.yaml", manifest2, strlen(manifest2)},
                          {"front-door.yaml", front_door2, strlen(front_door2)}};
  safeguard_rules* before = safeguard_live_current(live);
  CHECK(safeguard_live_reload_files(live, v2, 2, 0, &error) == SAFEGUARD_OK);
  CHECK(error == NULL);
  CHECK(safeguard_live_generation(live) == 1);
  result = NULL;
  CHECK(safeguard_live_evaluate(live, overdue, SAFEGUARD_NUL_TERMINATED, "2024-06-03", 0, &result,
                                NULL, NULL) == SAFEGUARD_OK);
  if (result) {
    CHECK(strstr(result, "\"version\":\"2.0\"") != NULL);
    CHECK(strstr(result, "\"flags\":[]") != NULL);
  }
  safeguard_string_free(result);
  /* A handle taken before the reload still evaluates with version 1. */
  result = NULL;
  CHECK(safeguard_evaluate(before, overdue, SAFEGUARD_NUL_TERMINATED, "2024-06-03", 0, &result,
                           NULL, NULL) == SAFEGUARD_OK);
  if (result) CHECK(strstr(result, "\"version\":\"1.0\"") != NULL);
  safeguard_string_free(result);

  /* A failed reload keeps version 2 and says why. */
  char* broken = replace(front_door2, "when: undecided", "when: undecidd");
  safeguard_file bad[2] = {{"ruleset.yaml", manifest, manifest_length},
                           {"front-door.yaml", broken, strlen(broken)}};
  CHECK(safeguard_live_reload_files(live, bad, 2, 0, &error) == SAFEGUARD_ERROR_RULES);
  CHECK(error != NULL);
  if (error) {
    CHECK(strstr(safeguard_error_message(error), "undecidd") != NULL);
    CHECK(safeguard_error_diagnostic(error, 0)->line > 0);
  }
  safeguard_error_free(error);
  error = NULL;
  CHECK(safeguard_live_reload_dir(live, "/nonexistent/rules", 0, &error) == SAFEGUARD_ERROR_RULES);
  safeguard_error_free(error);
  error = NULL;
  CHECK(safeguard_live_generation(live) == 1);
  safeguard_rules* now = safeguard_live_current(live);
  CHECK(now != NULL && strcmp(safeguard_rules_version(now), "2.0") == 0);

  /* Replace with an already loaded rule set; back to the directory's version 1. */
  CHECK(safeguard_live_replace(live, before) == SAFEGUARD_OK);
  CHECK(safeguard_live_generation(live) == 2);
  CHECK(safeguard_live_reload_dir(live, rules_dir, 0, NULL) == SAFEGUARD_OK);
  CHECK(safeguard_live_generation(live) == 3);
  safeguard_rules* last = safeguard_live_current(live);
  CHECK(last != NULL && strcmp(safeguard_rules_version(last), "1.0") == 0);

  /* Handles are independent: one from safeguard_live_current outlives the live handle. */
  safeguard_live_free(live);
  CHECK(strcmp(safeguard_rules_version(last), "1.0") == 0);
  result = NULL;
  CHECK(safeguard_evaluate(last, overdue, SAFEGUARD_NUL_TERMINATED, "2024-06-03", 0, &result, NULL,
                           NULL) == SAFEGUARD_OK);
  safeguard_string_free(result);
  safeguard_rules_free(last);
  safeguard_rules_free(now);
  safeguard_rules_free(before);
  free(broken);
  free(front_door2);
  free(manifest2);
  free(front_door);
  free(manifest);
  free(overdue);
}

/* A file over its limit, given in memory, is refused with the loader's diagnostic for that
 * kind of file before any of it is copied, and a live rule set keeps its rules. The second
 * length claims more than could ever be allocated: a copy made before the size check failed
 * as SAFEGUARD_ERROR_NO_MEMORY, not with the diagnostic. No byte of a file over its limit
 * is read, so the claim is never acted on. */
static void test_too_large_in_memory(void) {
  safeguard_rules* rules = NULL;
  safeguard_live* live = live_from_rules_dir();
  safeguard_error* error = NULL;
  if (!live) return;

  size_t manifest_length = 0, rules_length = 0;
  char* manifest = read_text(rules_dir, "ruleset.yaml", &manifest_length);
  char* front_door = read_text(rules_dir, "front-door.yaml", &rules_length);
  /* One byte over the default limit of a rule file (1 MiB), in a real buffer. */
  const size_t big_length = ((size_t)1 << 20) + 1;
  char* big = malloc(big_length);
  if (!big) exit(2);
  memset(big, '#', big_length);
  safeguard_file files[2] = {{"ruleset.yaml", manifest, manifest_length},
                             {"front-door.yaml", big, big_length}};
  const size_t claimed = SIZE_MAX / 4;
  for (int round = 0; round < 2; ++round) {
    if (round == 1) {
      files[1].text = front_door;
      files[1].length = claimed;
    }
    CHECK(safeguard_rules_load_files(files, 2, 0, &rules, &error) == SAFEGUARD_ERROR_RULES);
    CHECK(rules == NULL);
    CHECK(error != NULL && safeguard_error_diagnostic_count(error) == 1);
    if (error && safeguard_error_diagnostic_count(error) == 1) {
      const safeguard_diagnostic* d = safeguard_error_diagnostic(error, 0);
      CHECK(strcmp(d->code, "file.too-large") == 0);
      CHECK(strcmp(d->file, "front-door.yaml") == 0);
      CHECK(strstr(d->message, "; the limit is 1048576)") != NULL);
      CHECK(strstr(safeguard_error_message(error), "front-door.yaml") != NULL);
    }
    safeguard_error_free(error);
    error = NULL;

    CHECK(safeguard_live_reload_files(live, files, 2, 0, &error) == SAFEGUARD_ERROR_RULES);
    CHECK(error != NULL && safeguard_error_diagnostic_count(error) == 1);
    if (error && safeguard_error_diagnostic_count(error) == 1) {
      CHECK(strcmp(safeguard_error_diagnostic(error, 0)->code, "file.too-large") == 0);
      CHECK(strcmp(safeguard_error_diagnostic(error, 0)->file, "front-door.yaml") == 0);
    }
    safeguard_error_free(error);
    error = NULL;
    CHECK(safeguard_live_generation(live) == 0);
    safeguard_rules* current = safeguard_live_current(live);
    CHECK(current != NULL && strcmp(safeguard_rules_version(current), "1.0") == 0);
    safeguard_rules_free(current);
  }

  /* The rule set still reloads from memory once the file is right. */
  files[1].length = rules_length;
  CHECK(safeguard_live_reload_files(live, files, 2, 0, &error) == SAFEGUARD_OK);
  CHECK(error == NULL);
  CHECK(safeguard_live_generation(live) == 1);

  safeguard_live_free(live);
  free(big);
  free(front_door);
  free(manifest);
}

static const char kCouncilCalendar[] =
    "calendar: test-council\n"
    "title: Test council\n"
    "extends: england-and-wales\n"
    "covers: {from: 2024-01-01, until: 2024-12-31}\n"
    "closures:\n"
    "  - {date: 2024-05-31, name: Office closure}\n";

static void test_load_options(void) {
  safeguard_load_options* options = safeguard_load_options_create();
  safeguard_error* error = NULL;
  safeguard_rules* rules = NULL;
  char* result = NULL;
  size_t length = 0;
  char* overdue = read_text(cases_dir, "overdue.json", &length);
  CHECK(options != NULL);
  if (!options) return;

  /* Limits by name, with their defaults; nonsense refused. */
  CHECK(safeguard_load_options_limit(options, "max_evaluation_steps") == 5000000);
  CHECK(safeguard_load_options_limit(options, "max_json_depth") == 64);
  CHECK(safeguard_load_options_limit(options, "no_such_limit") == 0);
  CHECK(safeguard_load_options_set_limit(options, "max_evaluation_stpes", 10, &error) ==
        SAFEGUARD_ERROR_ARGUMENT);
  if (error) CHECK(strstr(safeguard_error_message(error), "max_evaluation_steps") != NULL);
  safeguard_error_free(error);
  error = NULL;
  CHECK(safeguard_load_options_set_limit(options, "max_json_depth", 0, NULL) ==
        SAFEGUARD_ERROR_ARGUMENT);
  CHECK(safeguard_load_options_set_limit(options, "max_json_depth", 1ull << 32, NULL) ==
        SAFEGUARD_ERROR_ARGUMENT);
  CHECK(safeguard_load_options_limit(options, "max_json_depth") == 64);
  CHECK(safeguard_load_options_set_flags(options, 1u << 9, NULL) == SAFEGUARD_ERROR_ARGUMENT);

  /* A tiny evaluation budget makes the rule undetermined, not quiet. */
  CHECK(safeguard_load_options_set_limit(options, "max_evaluation_steps", 1, NULL) == SAFEGUARD_OK);
  CHECK(safeguard_load_options_limit(options, "max_evaluation_steps") == 1);
  CHECK(safeguard_rules_load_dir_with(rules_dir, options, &rules, &error) == SAFEGUARD_OK);
  CHECK(rules != NULL && error == NULL);
  if (rules) {
    CHECK(safeguard_evaluate(rules, overdue, length, "2024-06-03", 0, &result, NULL, NULL) ==
          SAFEGUARD_OK);
    if (result) {
      CHECK(strstr(result, "\"flags\":[]") != NULL);
      CHECK(strstr(result, "budget-exceeded") != NULL);
    }
    safeguard_string_free(result);
    result = NULL;
    safeguard_rules_free(rules);
    rules = NULL;
  }
  CHECK(safeguard_load_options_set_limit(options, "max_evaluation_steps", 5000000, NULL) ==
        SAFEGUARD_OK);

  /* A council calendar: 2024-05-31 closed, so the contact of Thursday 2024-05-30 is due a
   * decision by Monday 2024-06-03 and is not overdue on that day. */
  CHECK(safeguard_load_options_add_calendar(options, kCouncilCalendar, SAFEGUARD_NUL_TERMINATED,
                                            "council.yaml", &error) == SAFEGUARD_OK);
  CHECK(error == NULL);
  CHECK(safeguard_load_options_set_calendar(options, "test-council", NULL) == SAFEGUARD_OK);
  CHECK(safeguard_rules_load_dir_with(rules_dir, options, &rules, &error) == SAFEGUARD_OK);
  if (rules) {
    CHECK_RESULT_HAS(rules, overdue, length, "2024-06-03", "\"flags\":[]");
    CHECK_RESULT_HAS(rules, overdue, length, "2024-06-04", "front-door.decision-overdue");

    /* Reloading a live handle with the same options keeps the council calendar. */
    safeguard_live* live = NULL;
    CHECK(safeguard_live_create(rules, &live, NULL) == SAFEGUARD_OK);
    CHECK(safeguard_live_reload_dir_with(live, rules_dir, options, NULL) == SAFEGUARD_OK);
    CHECK(safeguard_live_generation(live) == 1);
    CHECK(safeguard_live_evaluate(live, overdue, length, "2024-06-03", 0, &result, NULL, NULL) ==
          SAFEGUARD_OK);
    if (result) CHECK(strstr(result, "\"flags\":[]") != NULL);
    safeguard_string_free(result);
    result = NULL;
    /* ... and without options, the manifest's calendar is back. */
    CHECK(safeguard_live_reload_dir_with(live, rules_dir, NULL, NULL) == SAFEGUARD_OK);
    CHECK(safeguard_live_evaluate(live, overdue, length, "2024-06-03", 0, &result, NULL, NULL) ==
          SAFEGUARD_OK);
    if (result) CHECK(strstr(result, "front-door.decision-overdue") != NULL);
    safeguard_string_free(result);
    result = NULL;
    safeguard_live_free(live);
    safeguard_rules_free(rules);
    rules = NULL;
  }

  /* A broken calendar is refused with a located error and changes nothing. */
  CHECK(safeguard_load_options_add_calendar(options,
                                            "calendar: broken\ntitle: Broken\n"
                                            "extends: england-and-wales\n"
                                            "closures:\n  - {date: 2024-02-30, name: x}\n",
                                            SAFEGUARD_NUL_TERMINATED, "broken.yaml",
                                            &error) == SAFEGUARD_ERROR_RULES);
  if (error) {
    const safeguard_diagnostic* d = safeguard_error_diagnostic(error, 0);
    CHECK(d != NULL);
    if (d) {
      CHECK(strcmp(d->file, "broken.yaml") == 0);
      CHECK(d->line == 5);
    }
  }
  safeguard_error_free(error);
  error = NULL;

  /* An unknown default calendar is a load error. */
  CHECK(safeguard_load_options_set_calendar(options, "no-such-calendar", NULL) == SAFEGUARD_OK);
  CHECK(safeguard_rules_load_dir_with(rules_dir, options, &rules, &error) == SAFEGUARD_ERROR_RULES);
  CHECK(rules == NULL);
  if (error) CHECK(strstr(safeguard_error_message(error), "no-such-calendar") != NULL);
  safeguard_error_free(error);
  error = NULL;

  /* An empty name clears the override: the manifest's calendar again, so the contact of
   * 2024-05-30 is overdue on 2024-06-03 (31 May is a working day there). */
  CHECK(safeguard_load_options_set_calendar(options, "", NULL) == SAFEGUARD_OK);
  CHECK(safeguard_rules_load_dir_with(rules_dir, options, &rules, NULL) == SAFEGUARD_OK);
  if (rules) {
    CHECK_RESULT_HAS(rules, overdue, length, "2024-06-03", "front-door.decision-overdue");
    safeguard_rules_free(rules);
    rules = NULL;
  }

  /* NULL options are the defaults. */
  CHECK(safeguard_rules_load_dir_with(rules_dir, NULL, &rules, NULL) == SAFEGUARD_OK);
  safeguard_rules_free(rules);
  CHECK(safeguard_load_options_set_limit(NULL, "max_json_depth", 3, NULL) ==
        SAFEGUARD_ERROR_ARGUMENT);
  safeguard_load_options_free(NULL);

  free(overdue);
  safeguard_load_options_free(options);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: capi_test RULES_DIR CASES_DIR\n");
    return 2;
  }
  rules_dir = argv[1];
  cases_dir = argv[2];
  test_version();
  test_load_and_evaluate();
  test_load_errors();
  test_null_arguments();
  test_live();
  test_too_large_in_memory();
  test_load_options();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("capi_test: all checks passed\n");
  return 0;
}
