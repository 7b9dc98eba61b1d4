// Command-line options, declared as a table per command: spellings, whether a value
// follows, and what to do with it. One parser gives every command the same rules:
// "--name VALUE" and "--name=VALUE", -h/--help, "--" to end the options, and the same
// usage errors.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli.hpp"

namespace safeguard::cli {

// What an option or argument handler returns: "" when it is fine, else the usage error.
using Handled = std::string;

using Handler = std::function<Handled(const std::string&)>;

// Handlers for the common cases: keep the value; set a flag; collect arguments.
inline Handler store(std::string& target) {
  return [&target](const std::string& value) {
    target = value;
    return Handled();
  };
}
template <typename T>
Handler assign(T& target, T value) {
  return [&target, value](const std::string&) {
    target = value;
    return Handled();
  };
}
// The command's one argument, into `target` (`given` records it); a second is `too_many`.
inline Handler one_argument(std::string& target, bool& given, const char* too_many) {
  return [&target, &given, too_many](const std::string& value) {
    if (given) return Handled(too_many);
    target = value;
    given = true;
    return Handled();
  };
}
inline Handler append_to(std::vector<std::string>& target) {
  return [&target](const std::string& value) {
    target.push_back(value);
    return Handled();
  };
}

struct Option {
  std::vector<std::string> names;  // e.g. {"-o", "--output"}
  bool takes_value = false;
  Handler apply;  // given "" for an option without a value
};

struct CommandLine {
  const char* command;  // "batch", for messages
  const char* usage;
  std::vector<Option> options;
  // Called for each argument that is not an option.
  Handler argument;
  // Whether `text` is meant as an option. By default anything starting with '-' but "-"
  // itself (standard input); `expr` narrows it to "--..." so "-1 + 2" is an expression.
  std::function<bool(const std::string& text)> is_option;

  // kExitOk after printing the usage for --help, kExitUsage after a usage error (printed),
  // or -1 when every argument was taken and the command goes on.
  int parse(const Args& args) const;
};

}  // namespace safeguard::cli
