# The shipped rule pack over the example cases, on four workers and on one: the outputs
# must be identical (and, in the tsan preset, free of data races).
#   cmake -DSAFEGUARD=... -DSOURCE_DIR=... -DWORK=... -P batch_pack.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(GLOB cases "${SOURCE_DIR}/examples/cases/*.json")
list(SORT cases)
set(lines "")
foreach(c IN LISTS cases)
  file(READ "${c}" text)
  string(REPLACE "\n" "" text "${text}")  # JSON strings hold no raw newlines
  string(APPEND lines "${text}\n")
endforeach()
set(input "")
foreach(i RANGE 19)
  string(APPEND input "${lines}")
endforeach()
file(WRITE "${WORK}/in.jsonl" "${input}")
foreach(jobs 4 1)
  execute_process(COMMAND "${SAFEGUARD}" batch --rules "${SOURCE_DIR}/rules" --as-of 2024-06-03
    --jobs ${jobs} --quiet --no-progress "${WORK}/in.jsonl" -o "${WORK}/out${jobs}.jsonl"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "batch --jobs ${jobs} failed (${rc}):\n${err}")
  endif()
endforeach()
file(READ "${WORK}/out4.jsonl" four)
file(READ "${WORK}/out1.jsonl" one)
if(NOT four STREQUAL one OR four STREQUAL "")
  message(FATAL_ERROR "--jobs 4 and --jobs 1 differ on the shipped pack")
endif()
