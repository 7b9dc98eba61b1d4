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
  string(APPEND body "    {\"${name}\", R\"SGCAL(${text})SGCAL\"},\n")
endforeach()
string(APPEND body "  };\n  return texts;\n}\n\n}  // namespace safeguard::ruleset\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
