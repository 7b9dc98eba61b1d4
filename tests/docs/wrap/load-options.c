/* docs/embedding.md: load options from C, with the names the example takes as given. */
#include <stdio.h>

#include <safeguard/safeguard.h>

void host(const char* council_yaml) {
  safeguard_rules* rules = NULL;
  safeguard_error* error = NULL;
  // @EXAMPLE@ (the example is put here)
  safeguard_rules_free(rules);
  safeguard_error_free(error);
}
