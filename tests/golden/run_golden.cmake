# Runs `safeguard check CASE` in GOLDEN_DIR and compares what it prints (standard output
# and standard error together) with CASE/expected.txt. The exit code must be 2 when the
# expected output has an error and 0 when it has none. With UPDATE=1 it rewrites
# expected.txt instead of comparing.
foreach(var SAFEGUARD CASE GOLDEN_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_golden.cmake needs -D${var}=...")
  endif()
endforeach()

execute_process(
  COMMAND "${SAFEGUARD}" check "${CASE}"
  WORKING_DIRECTORY "${GOLDEN_DIR}"
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out
  RESULT_VARIABLE code)

set(expected_file "${GOLDEN_DIR}/${CASE}/expected.txt")
if(UPDATE)
  file(WRITE "${expected_file}" "${out}")
  message(STATUS "updated ${expected_file}")
  return()
endif()

file(READ "${expected_file}" expected)
if(NOT out STREQUAL expected)
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/${CASE}.actual.txt" "${out}")
  message(FATAL_ERROR "output of 'safeguard check ${CASE}' differs from ${CASE}/expected.txt\n"
    "--- expected\n${expected}--- actual\n${out}---\n"
    "If the change is deliberate: scripts/update-golden <build-dir>, then review the diff.")
endif()

string(FIND "${expected}" ": error: " has_error)
if(has_error GREATER -1)
  set(want 2)
else()
  set(want 0)
endif()
if(NOT code STREQUAL "${want}")
  message(FATAL_ERROR "'safeguard check ${CASE}' exited with ${code}, expected ${want}")
endif()
