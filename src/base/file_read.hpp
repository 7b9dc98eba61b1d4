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
  bool size_exact = true;   // kTooLarge: false when the file grew while it was read: `size`
                            // is then max_bytes + 1
  std::string reason;       // kFailed: "does not exist", "is a directory", "is not a regular
                            // file", "cannot be opened", "cannot be read" (or read_file_inside's
                            // `outside_reason`)
};

// Reads the regular file `path` whole unless it holds more than `max_bytes`. The path is
// opened first, without waiting, and the file opened is what is checked and read: a FIFO
// without a writer (whose open would otherwise wait for ever), a device, a socket or a
// folder is refused ("is not a regular file", "is a directory") even when it was swapped in
// for a regular file a moment before. The size is checked before anything is read; a file
// that grows while it is read is refused (kTooLarge, size_exact false), never read whole.
BoundedFile read_file_bounded(const std::filesystem::path& path, std::size_t max_bytes);

// The same, but only when the file opened lies inside the directory `root` once every
// symbolic link is followed: otherwise kFailed with `outside_reason`, nothing read. The
// check is made on the file opened (the path the kernel has for it, /proc/self/fd; without
// /proc, its device and inode against those of the path resolved inside `root`), so a link
// swapped in for the file, or for a folder on the way, cannot lead the read out.
BoundedFile read_file_inside(const std::filesystem::path& root, const std::filesystem::path& path,
                             std::size_t max_bytes, const char* outside_reason);

// A directory opened (O_PATH) when this is made, and reached while it lives through what
// was opened (Linux's /proc/self/fd/N), not through its path again: a link on the way
// switched meanwhile (a deploy's `rules -> releases/v2`), or the directory renamed, does not
// change which directory path() leads to. Where that cannot be had (no O_PATH, no /proc, a
// directory that cannot be opened), path() is `dir` as given.
class PinnedDirectory {
 public:
  explicit PinnedDirectory(const std::filesystem::path& dir);
  ~PinnedDirectory();
  PinnedDirectory(const PinnedDirectory&) = delete;
  PinnedDirectory& operator=(const PinnedDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

namespace detail {
// read_file_inside's check where the kernel cannot say where an opened file is (no /proc):
// `path`, resolved now, must lead inside `root` to the very file opened (its device and
// inode). Declared here so that tests, which cannot take /proc away, reach it.
bool resolves_inside_to(std::uintmax_t device, std::uintmax_t inode,
                        const std::filesystem::path& root, const std::filesystem::path& path);
}  // namespace detail

// A refused file's size for a message: "5000 bytes", or "more than 4096 bytes" when the
// size is not exact (BoundedFile::size_exact).
std::string size_in_bytes(std::uintmax_t size, bool exact);

}  // namespace safeguard::base
