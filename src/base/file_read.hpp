// Reading a whole file with a size limit: one reader for the rule set loader, calendar files
// and time zone files, so each refuses an oversized file the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace safeguard::base {

// What read_file_bounded found. `reason` words a failure after the word "file" ("file does
// not exist"); it never holds the path or the contents, so callers may show it anywhere.
struct BoundedFile {
  enum class Status { kRead, kTooLarge, kFailed };
  Status status = Status::kFailed;
  std::string text;         // kRead: the contents
  std::uintmax_t size = 0;  // kTooLarge: the size in bytes (see size_exact)
  bool size_exact = true;   // kTooLarge: false when the size is not known (a pipe, or a file
                            // that grew while it was read): `size` is then max_bytes + 1
  std::string reason;       // kFailed: "does not exist", "is a directory", "cannot be opened",
                            // "cannot be read"
};

// Reads `path` whole unless it holds more than `max_bytes`. A regular file's size is checked
// before anything is read; a pipe or device (whose size is not known) is read up to one byte
// past the limit and then refused. A regular file that grows while it is read is refused
// the same way, never read whole.
BoundedFile read_file_bounded(const std::filesystem::path& path, std::size_t max_bytes);

// A refused file's size for a message: "5000 bytes", or "more than 4096 bytes" when the
// size is not exact (BoundedFile::size_exact).
std::string size_in_bytes(std::uintmax_t size, bool exact);

}  // namespace safeguard::base
