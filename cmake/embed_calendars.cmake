# Writes a C++ source that carries the shipped calendar files, so a rule set can name
# england-and-wales, scotland or northern-ireland without shipping its own copies.
#   cmake -DOUT=<file.cpp> -DIN="<a.yaml;b.yaml>" -P embed_calendars.cmake
set(body "// Generated from rules/calendars by cmake/embed_calendars.cmake. Do not edit.\n")
string(APPEND body "#include \"ruleset/load/builtin_calendars.hpp\"\n\n")
string(APPEND body "namespace safeguard::ruleset {\n\n")
string(APPEND body "const std::vector<BuiltinCalendarText>& builtin_calendar_texts() {\n")
string(APPEND body "  static const std::vector<BuiltinCalendarText> texts = {\n")
foreach(file IN LISTS IN)
  file(READ "${file}" text)
  get_filename_component(name "${file}" NAME)
  # The calendar's name and the one it extends, read from its top-level keys, so that a
  # rule set that replaces a built-in calendar never has it parsed (builtin_calendars.cpp
  # checks these against the parsed file).
  string(REGEX MATCH "(^|\n)calendar:[ ]*([A-Za-z0-9_.-]+)" found "${text}")
  if(NOT found)
    message(FATAL_ERROR "${file}: no top-level 'calendar:' name")
  endif()
  set(calendar_name "${CMAKE_MATCH_2}")
  set(base_name "")
  string(REGEX MATCH "(^|\n)extends:[ ]*([A-Za-z0-9_.-]+)" found "${text}")
  if(found)
    set(base_name "${CMAKE_MATCH_2}")
  endif()
  string(APPEND body "    {\"${name}\", \"${calendar_name}\", \"${base_name}\", R\"SGCAL(${text})SGCAL\"},\n")
endforeach()
string(APPEND body "  };\n  return texts;\n}\n\n}  // namespace safeguard::ruleset\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
