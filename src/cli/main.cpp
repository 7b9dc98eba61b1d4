// safeguard: check rule files, evaluate cases, run rule tests, evaluate CEL expressions.
#include <cstring>
#include <exception>
#include <iostream>
#include <new>

#include "cli.hpp"
#include "safeguard/version.hpp"

namespace {

constexpr const char* kUsage =
    "usage: safeguard <command> [options]\n"
    "\n"
    "commands:\n"
    "  check RULES                      check a rule set; print every error and warning\n"
    "  eval --rules RULES --as-of DATE CASE.json\n"
    "                                   evaluate one case snapshot\n"
    "  batch --rules RULES --as-of DATE [IN.jsonl|-] [-o OUT.jsonl]\n"
    "                                   evaluate many snapshots (JSON Lines), on all cores\n"
    "  test [RULES] TESTS...            run rule test files\n"
    "  expr [--vars JSON] [--as-of DATE] EXPR\n"
    "                                   evaluate one CEL expression, print the value as JSON\n"
    "\n"
    "Run 'safeguard <command> --help' for a command's options.\n"
    "Exit codes: 0 ok; 1 test failures, expression errors or malformed input lines; 2 usage\n"
    "or input errors.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace safeguard::cli;
  try {
    if (argc < 2) {
      std::cerr << kUsage;
      return kExitUsage;
    }
    const std::string command = argv[1];
    Args args(argv + 2, argv + argc);
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return kExitOk;
    }
    if (command == "--version" || command == "version") {
      std::cout << "safeguard " << safeguard::version() << "\n";
      return kExitOk;
    }
    if (command == "expr") return run_expr(args);
    if (command == "check") return run_check(args);
    if (command == "eval") return run_eval(args);
    if (command == "test") return run_test(args);
    if (command == "batch") return run_batch(args);
    std::cerr << "safeguard: unknown command '" << command << "'\n\n" << kUsage;
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    std::cerr << "safeguard: out of memory\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "safeguard: internal error: " << e.what() << "\n";
    return kExitUsage;
  }
}
