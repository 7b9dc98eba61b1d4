#include "options.hpp"

#include <iostream>

namespace safeguard::cli {

namespace {

bool looks_like_option(const std::string& text) {
  return text.size() > 1 && text[0] == '-';
}

// Takes the value of an option ("--as-of DATE" or "--as-of=DATE") at args[i]; advances i.
bool option_value(const Args& args, std::size_t& i, const std::string& name, std::string* value) {
  const std::string& a = args[i];
  if (a == name) {
    if (i + 1 >= args.size()) return false;
    *value = args[++i];
    return true;
  }
  if (a.compare(0, name.size() + 1, name + "=") == 0) {
    *value = a.substr(name.size() + 1);
    return true;
  }
  return false;
}

}  // namespace

int CommandLine::parse(const Args& args) const {
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    // "--" ends the options (the POSIX convention), so an expression such as "--1" or a
    // file named "-x.json" can still be given.
    if (options_ended) {
      const Handled problem = argument(a);
      if (!problem.empty()) return usage_error(command, problem, usage);
      continue;
    }
    if (a == "--") {
      options_ended = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      std::cout << usage;
      return kExitOk;
    }
    const bool option_like = is_option ? is_option(a) : looks_like_option(a);
    const Option* matched = nullptr;
    std::string value;
    if (option_like) {
      for (const Option& o : options) {
        for (const std::string& name : o.names) {
          if (o.takes_value ? option_value(args, i, name, &value) : a == name) matched = &o;
          if (matched) break;
        }
        if (matched) break;
      }
      if (!matched) {
        return usage_error(command, "unknown option '" + a + "' (or it is missing its value)",
                           usage);
      }
    }
    const Handled problem = matched ? matched->apply(value) : argument(a);
    if (!problem.empty()) return usage_error(command, problem, usage);
  }
  return -1;
}

}  // namespace safeguard::cli
