# Warning flags for safeguard's own targets (never applied to dependencies).
add_library(safeguard_warnings INTERFACE)
target_compile_options(safeguard_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wcast-align -Wmissing-declarations -Wimplicit-fallthrough
  $<$<BOOL:${SAFEGUARD_WERROR}>:-Werror>)
