# Installs the build into a temporary prefix, then builds and runs the examples against
# the installed package only: find_package(safeguard CONFIG) from C++ (shared and static)
# and C, pkg-config from C, ctypes from Python (when python3 is there), and the CLI.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK=... -DGENERATOR=... -DCC=... -DCXX=...
#         [-DSANITIZE=...] [-DPYTHON=...] -P consumer_test.cmake
cmake_minimum_required(VERSION 3.20)

set(prefix "${WORK}/prefix")
set(rules "${SOURCE_DIR}/tests/capi/rules")
set(case "${SOURCE_DIR}/tests/capi/cases/overdue.json")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_out "${out}" PARENT_SCOPE)
endfunction()

function(expect_result what text)
  if(NOT text MATCHES "^\\{\"level\":\\{\"id\":\"child_protection\"" OR
     NOT text MATCHES "\"id\":\"front-door.decision-overdue\"")
    message(FATAL_ERROR "${what} printed no result, or the wrong one:\n${text}")
  endif()
endfunction()

step("install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
file(GLOB libdirs "${prefix}/lib*")
foreach(d IN LISTS libdirs)
  if(EXISTS "${d}/cmake/safeguard/safeguardConfig.cmake")
    set(libdir "${d}")
  endif()
endforeach()
if(NOT libdir)
  message(FATAL_ERROR "no lib*/cmake/safeguard/safeguardConfig.cmake under ${prefix}")
endif()
foreach(f include/safeguard/safeguard.h include/safeguard/safeguard.hpp include/safeguard/version.h
          include/safeguard/version.hpp share/safeguard/rules/calendars bin/safeguard)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
file(GLOB shared "${libdir}/libsafeguard.so.*.*.*")
if(NOT shared OR NOT EXISTS "${libdir}/libsafeguard.a" OR NOT EXISTS "${libdir}/pkgconfig/safeguard.pc")
  message(FATAL_ERROR "libraries or safeguard.pc missing in ${libdir}")
endif()

set(flags)
if(SANITIZE)
  # Instrumented libraries need instrumented hosts (the sanitizer runtime must come first).
  set(flags "-DCMAKE_C_FLAGS=-fsanitize=${SANITIZE}" "-DCMAKE_CXX_FLAGS=-fsanitize=${SANITIZE}"
            "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=${SANITIZE}")
endif()

function(build_example name dir)
  step("configure ${name}" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/examples/${dir}" -B "${WORK}/${name}"
    -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_C_COMPILER=${CC}" "-DCMAKE_CXX_COMPILER=${CXX}" ${flags} ${ARGN})
  step("build ${name}" "${CMAKE_COMMAND}" --build "${WORK}/${name}")
endfunction()

# C++ against the shared library (the exported symbols only), then the static one.
build_example(embed-cpp embed-cpp)
step("run embed-cpp" "${WORK}/embed-cpp/embed-cpp" "${rules}" "${case}" 2024-06-03)
expect_result(embed-cpp "${step_out}")
build_example(embed-cpp-static embed-cpp -DSAFEGUARD_LINK_STATIC=ON)
step("run embed-cpp (static)" "${WORK}/embed-cpp-static/embed-cpp" "${rules}" "${case}" 2024-06-03)
expect_result("embed-cpp (static)" "${step_out}")
step("ldd embed-cpp (static)" ldd "${WORK}/embed-cpp-static/embed-cpp")
if(step_out MATCHES "libsafeguard")
  message(FATAL_ERROR "the static build links libsafeguard.so")
endif()

# C through CMake, and through pkg-config with a plain compiler command.
build_example(embed-c embed-c)
step("run embed-c" "${WORK}/embed-c/embed-c" "${rules}" "${case}" 2024-06-03)
expect_result(embed-c "${step_out}")
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} "${libdir}/pkgconfig")
  step("pkg-config" "${PKG_CONFIG}" --cflags --libs safeguard)
  separate_arguments(pc_flags UNIX_COMMAND "${step_out}")
  set(san)
  if(SANITIZE)
    set(san "-fsanitize=${SANITIZE}")
  endif()
  step("cc with pkg-config" "${CC}" -std=c11 -Wall -Wextra -Werror ${san}
    "${SOURCE_DIR}/examples/embed-c/main.c" ${pc_flags} -o "${WORK}/embed-c-pkgconfig")
  step("run embed-c (pkg-config)" "${CMAKE_COMMAND}" -E env "LD_LIBRARY_PATH=${libdir}"
    "${WORK}/embed-c-pkgconfig" "${rules}" "${case}" 2024-06-03)
  expect_result("embed-c (pkg-config)" "${step_out}")
endif()

# Python over the C ABI, with ctypes. A sanitized library cannot be loaded into an
# uninstrumented python.
if(PYTHON AND NOT SANITIZE)
  step("run embed-python" "${CMAKE_COMMAND}" -E env "SAFEGUARD_LIBRARY=${shared}"
    "${PYTHON}" "${SOURCE_DIR}/examples/embed-python/example.py" "${rules}" "${case}" 2024-06-03)
  expect_result(embed-python "${step_out}")
endif()

# The installed CLI.
step("installed CLI" "${prefix}/bin/safeguard" eval --rules "${rules}" --as-of 2024-06-03 --format json "${case}")
expect_result("installed safeguard eval" "${step_out}")
message(STATUS "consumer: installed package builds and runs (C++ shared and static, C, pkg-config, python: ${PYTHON})")
