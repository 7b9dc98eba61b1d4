/* Embedding safeguard in a C host through the C ABI.
 *
 *   embed-c RULES_DIR CASE.json [AS_OF]
 */
#include <stdio.h>
#include <stdlib.h>

#include <safeguard/safeguard.h>

static char* read_file(const char* path, size_t* length) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  size_t capacity = 1 << 16, used = 0, n;
  char* text = malloc(capacity);
  while (text && (n = fread(text + used, 1, capacity - used, f)) > 0) {
    used += n;
    if (used == capacity) {
      char* bigger = realloc(text, capacity *= 2);
      if (!bigger) free(text);
      text = bigger;
    }
  }
  fclose(f);
  *length = used;
  return text;
}

/* Prints every diagnostic of an error, then frees it. */
static void report(safeguard_error* error) {
  for (size_t i = 0; i < safeguard_error_diagnostic_count(error); ++i) {
    const safeguard_diagnostic* d = safeguard_error_diagnostic(error, i);
    fprintf(stderr, "%s:%u:%u: %s: %s [%s]\n", d->file, (unsigned)d->line, (unsigned)d->column,
            d->severity, d->message, d->code);
  }
  safeguard_error_free(error);
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: embed-c RULES_DIR CASE.json [AS_OF]\n");
    return 2;
  }
  const char* as_of = argc > 3 ? argv[3] : "2024-06-03";
  if (safeguard_version_number() / 10000 != SAFEGUARD_VERSION_MAJOR) {
    fprintf(stderr, "libsafeguard %s does not match the headers (%s)\n", safeguard_version(),
            SAFEGUARD_VERSION_STRING);
    return 2;
  }

  safeguard_rules* rules = NULL;
  safeguard_error* error = NULL;
  if (safeguard_rules_load_dir(argv[1], 0, &rules, &error) != SAFEGUARD_OK) {
    fputs(safeguard_error_message(error), stderr); /* compiler-style, with carets */
    safeguard_error_free(error);
    return 2;
  }
  fprintf(stderr, "safeguard %s, rule set %s %s\n", safeguard_version(),
          safeguard_rules_name(rules), safeguard_rules_version(rules));

  size_t length = 0;
  char* snapshot = read_file(argv[2], &length);
  if (!snapshot) {
    fprintf(stderr, "cannot read %s\n", argv[2]);
    safeguard_rules_free(rules);
    return 2;
  }

  char* result = NULL;
  int status = safeguard_evaluate(rules, snapshot, length, as_of, 0, &result, NULL, &error);
  if (status == SAFEGUARD_OK) {
    puts(result); /* the result JSON; docs/result-json.md */
    safeguard_string_free(result);
  } else {
    fprintf(stderr, "%s: cannot evaluate (%s):\n", argv[2], safeguard_status_name(status));
    report(error);
  }

  free(snapshot);
  safeguard_rules_free(rules);
  return status == SAFEGUARD_OK ? 0 : 1;
}
