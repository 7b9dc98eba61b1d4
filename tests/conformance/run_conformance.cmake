# Driver for the conformance.cel test (cmake -P). Installs @bufbuild/cel-spec@VERSION into
# PREFIX unless that exact version is already there, exports the protobuf-free tests and
# runs the runner. Any failure, including npm being offline, fails the test with a message.
#
# Inputs: NODE NPM VERSION PREFIX EXPORT RUNNER KNOWN

foreach(var NODE NPM VERSION PREFIX EXPORT RUNNER KNOWN)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "" OR "${${var}}" MATCHES "-NOTFOUND$")
    message(FATAL_ERROR
      "conformance: ${var} is not set (found '${${var}}'). The conformance test needs Node.js "
      "and npm (Node 20 or later); install them or configure with -DSAFEGUARD_CONFORMANCE=OFF.")
  endif()
endforeach()

set(package_json "${PREFIX}/node_modules/@bufbuild/cel-spec/package.json")
set(installed "")
if(EXISTS "${package_json}")
  file(READ "${package_json}" manifest)
  string(JSON installed ERROR_VARIABLE json_error GET "${manifest}" version)
endif()

if(NOT installed STREQUAL VERSION)
  message(STATUS "conformance: installing @bufbuild/cel-spec@${VERSION} into ${PREFIX}")
  file(MAKE_DIRECTORY "${PREFIX}")
  execute_process(
    COMMAND "${NPM}" install --no-save --no-audit --no-fund --prefix "${PREFIX}"
            "@bufbuild/cel-spec@${VERSION}"
    WORKING_DIRECTORY "${PREFIX}"
    RESULT_VARIABLE npm_result)
  if(NOT npm_result EQUAL 0)
    message(FATAL_ERROR
      "conformance: 'npm install @bufbuild/cel-spec@${VERSION}' failed (${npm_result}). "
      "The test needs the npm registry the first time it runs (or an npm cache holding the "
      "package); it does not pass without running the suite.")
  endif()
endif()

set(tests_json "${PREFIX}/tests.json")
execute_process(
  COMMAND "${NODE}" "${EXPORT}" "${PREFIX}" "${VERSION}" "${tests_json}"
  RESULT_VARIABLE export_result)
if(NOT export_result EQUAL 0)
  message(FATAL_ERROR "conformance: export.mjs failed (${export_result})")
endif()

execute_process(COMMAND "${RUNNER}" "${tests_json}" "${KNOWN}" RESULT_VARIABLE run_result)
if(NOT run_result EQUAL 0)
  message(FATAL_ERROR "conformance: the runner reported failures (see above)")
endif()
