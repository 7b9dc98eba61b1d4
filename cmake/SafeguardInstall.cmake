# Installation and packaging: headers, the shared and static libraries, the CLI, the
# shipped rules, a CMake package (find_package(safeguard CONFIG) -> safeguard::safeguard)
# and a pkg-config file. Included at the end of src/CMakeLists.txt, where the targets are.
include(CMakePackageConfigHelpers)

set(SAFEGUARD_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/safeguard")

# The C header's version macros (C has no use for version.hpp's namespace).
configure_file("${PROJECT_SOURCE_DIR}/cmake/version.h.in"
  "${SAFEGUARD_GENERATED_INCLUDE}/safeguard/version.h" @ONLY)

# Only the API leaves the shared library: hidden visibility for our code, and a version
# script for the template instantiations and dependencies that visibility cannot reach.
set(safeguard_map "${PROJECT_SOURCE_DIR}/cmake/safeguard.map")
target_link_options(safeguard_shared PRIVATE "LINKER:--version-script=${safeguard_map}")
set_property(TARGET safeguard_shared APPEND PROPERTY LINK_DEPENDS "${safeguard_map}")
set_target_properties(safeguard_shared PROPERTIES EXPORT_NAME safeguard)
set_target_properties(safeguard_static PROPERTIES EXPORT_NAME safeguard_static)

# A project that adds safeguard with add_subdirectory links safeguard::safeguard and
# usually does not want safeguard's files in its own installation.
option(SAFEGUARD_INSTALL "Generate safeguard's install rules" ${PROJECT_IS_TOP_LEVEL})
if(NOT SAFEGUARD_INSTALL)
  return()
endif()

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/safeguard"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT development)
install(FILES "${SAFEGUARD_GENERATED_INCLUDE}/safeguard/version.hpp"
              "${SAFEGUARD_GENERATED_INCLUDE}/safeguard/version.h"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/safeguard" COMPONENT development)

install(TARGETS safeguard_shared EXPORT safeguard-targets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT runtime NAMELINK_COMPONENT development
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT runtime
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS safeguard_static EXPORT safeguard-static-targets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT development
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
if(TARGET safeguard_cli)
  install(TARGETS safeguard_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT runtime)
endif()

# The shipped rule pack and calendars; the CLI finds them at ../share/safeguard/rules.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/rules/"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/safeguard/rules" COMPONENT runtime)

install(EXPORT safeguard-targets NAMESPACE safeguard::
  FILE safeguard-targets.cmake DESTINATION "${SAFEGUARD_CMAKE_DIR}" COMPONENT development)
install(EXPORT safeguard-static-targets NAMESPACE safeguard::
  FILE safeguard-static-targets.cmake DESTINATION "${SAFEGUARD_CMAKE_DIR}" COMPONENT development)
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/safeguardConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/safeguardConfig.cmake" INSTALL_DESTINATION "${SAFEGUARD_CMAKE_DIR}")
# 0.x releases may break compatibility at minor versions; from 1.0, at major versions.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(safeguard_compatibility SameMinorVersion)
else()
  set(safeguard_compatibility SameMajorVersion)
endif()
write_basic_package_version_file("${PROJECT_BINARY_DIR}/safeguardConfigVersion.cmake"
  COMPATIBILITY ${safeguard_compatibility})
install(FILES "${PROJECT_BINARY_DIR}/safeguardConfig.cmake"
              "${PROJECT_BINARY_DIR}/safeguardConfigVersion.cmake"
  DESTINATION "${SAFEGUARD_CMAKE_DIR}" COMPONENT development)

# pkg-config: the prefix is found relative to the .pc file, so the tree can be moved.
file(RELATIVE_PATH SAFEGUARD_PC_RELATIVE_PREFIX
  "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" SAFEGUARD_PC_RELATIVE_PREFIX "${SAFEGUARD_PC_RELATIVE_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/safeguard.pc.in"
  "${PROJECT_BINARY_DIR}/safeguard.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/safeguard.pc"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig" COMPONENT development)
