// Shared pieces of the safeguard command-line program. The program uses only the public
// API (include/safeguard/), like any other host.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace safeguard::cli {

// Exit codes: 0 ok; 1 findings or failures where that is the point (test failures,
// expression errors, malformed batch lines); 2 usage or input errors.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

using Args = std::vector<std::string>;

int run_expr(const Args& args);
int run_check(const Args& args);
int run_eval(const Args& args);
int run_test(const Args& args);
int run_batch(const Args& args);

// Prints "safeguard <command>: <message>" and the usage hint to stderr; returns kExitUsage.
int usage_error(const char* command, const std::string& message, const char* usage);

// Whether --as-of names a real date written YYYY-MM-DD: checked with the other options, so a
// bad one is a usage error before any rule set or case is read.
bool valid_as_of(const std::string& as_of);

// Largest file the CLI reads (rule files and snapshots have smaller limits of their own;
// this one keeps a runaway input from taking all memory before they are checked).
inline constexpr std::size_t kMaxInputFileBytes = std::size_t{64} << 20;

// Reads a whole file (or stdin for "-"); false with a reason on failure, or when it is
// larger than kMaxInputFileBytes.
bool read_file(const std::string& path, std::string* text, std::string* reason);

// Writes `text` to `path` atomically: a temporary file beside it, then a rename. No
// partial file is ever left behind. A device or named pipe is written in place (see
// OutputTarget).
bool write_file_atomically(const std::string& path, const std::string& text, std::string* reason);

// Where an output named `path` goes. A symbolic link to a file is followed, so that the
// rename of an atomic write replaces the file and not the link. A device, named pipe or
// socket (-o /dev/null, /dev/stdout, a FIFO another program reads) is written in place:
// renaming over it would leave a regular file where it was.
struct OutputTarget {
  std::string path;
  bool in_place = false;
};
OutputTarget output_target(const std::string& path);

// The directory of the shipped rules (rules/ in a build tree, share/safeguard/rules when
// installed), or "" if not found.
std::string shipped_rules_directory();

}  // namespace safeguard::cli
