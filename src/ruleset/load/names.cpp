#include "ruleset/load/names.hpp"

namespace safeguard::ruleset {

bool is_reserved_word(std::string_view name) {
  static const char* const kReserved[] = {
      "as",        "break", "const",  "continue", "else", "false", "for",
      "function",  "if",    "import", "in",       "let",  "loop",  "package",
      "namespace", "null",  "return", "true",     "var",  "void",  "while"};
  for (const char* r : kReserved) {
    if (name == r) return true;
  }
  return false;
}

bool is_identifier(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  const auto alpha = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (!alpha(name[0])) return false;
  for (char c : name) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return !is_reserved_word(name);
}

bool is_rule_id(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  const auto ok_first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok_first(id[0])) return false;
  for (char c : id) {
    if (!ok_first(c) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace safeguard::ruleset
