#include "base/file_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

namespace safeguard::base {

namespace fs = std::filesystem;

namespace {

// Read size for whatever follows a regular file's known size.
constexpr std::size_t kChunk = std::size_t{1} << 16;

// A descriptor closed when it goes out of scope.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;

 private:
  int fd_;
};

// The path by which the kernel reaches the opened file `fd` itself (Linux).
std::string proc_fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

// Why a file of this mode is not read, or nullptr for a regular file.
const char* kind_problem(mode_t mode) {
  if (S_ISREG(mode)) return nullptr;
  return S_ISDIR(mode) ? "is a directory" : "is not a regular file";
}

// Why `path` could not be opened (`error` is open's errno), in read_file_bounded's words.
std::string open_failure(const fs::path& path, int error) {
  if (error == ENOENT || error == ENOTDIR) return "does not exist";
  // A socket (ENXIO) or a file of another kind the open refused: say which, if it is there.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (const char* problem = kind_problem(st.st_mode)) return problem;
  }
  return "cannot be opened";
}

// The status of the opened file `fd`, and why it is not read (nullptr for a regular file).
const char* opened_problem(int fd, struct stat& st) {
  if (::fstat(fd, &st) != 0) return "cannot be read";
  return kind_problem(st.st_mode);
}

// Opens `path` for reading if it is a regular file, never opening anything else for reading.
// The path is first resolved with O_PATH, which pins the file without asking its driver to
// open it: a device reached through the rule set (a link to a watchdog, which an open arms,
// or to a tape, which a close rewinds) is refused by its status alone, and a FIFO with no
// writer cannot make the open wait. The regular file pinned is then opened for reading
// through /proc/self/fd, the very file and not the path again, in the ordinary blocking way
// (so a lease another process holds on it is waited out, as any reader waits). Where /proc
// is not mounted, the path is opened with O_NONBLOCK (a FIFO does not wait; a device's open
// is reached) and the opened file checked. On failure `out` gets the reason and -1 is
// returned; otherwise `st` is the opened file's status.
int open_regular(const fs::path& path, struct stat& st, BoundedFile& out) {
#ifdef O_PATH  // Linux
  const int pinned = ::open(path.c_str(), O_PATH | O_CLOEXEC);
  if (pinned < 0) {
    out.reason = open_failure(path, errno);
    return -1;
  }
  {
    const Descriptor pin(pinned);
    if (const char* problem = opened_problem(pinned, st)) {
      out.reason = problem;
      return -1;
    }
    const int fd = ::open(proc_fd_path(pinned).c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd >= 0) {
      if (const char* problem = opened_problem(fd, st)) {
        ::close(fd);
        out.reason = problem;
        return -1;
      }
      return fd;
    }
    if (errno != ENOENT) {
      out.reason = "cannot be opened";
      return -1;
    }
  }
#endif
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    out.reason = open_failure(path, errno);
    return -1;
  }
  if (const char* problem = opened_problem(fd, st)) {
    ::close(fd);
    out.reason = problem;
    return -1;
  }
  // Reads of a regular file do not wait either way; blocking mode is the ordinary one.
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

// Reads the opened regular file `fd` (of status `st`) whole, within `max_bytes`.
BoundedFile read_open(int fd, const struct stat& st, std::size_t max_bytes) {
  BoundedFile out;
  const auto known_size = static_cast<std::uintmax_t>(st.st_size);
  if (known_size > max_bytes) {
    out.status = BoundedFile::Status::kTooLarge;
    out.size = known_size;
    return out;
  }
  // One byte past the limit shows that the file is too large: never read more than that.
  const std::size_t cap = max_bytes == SIZE_MAX ? max_bytes : max_bytes + 1;
  std::string& text = out.text;
  std::size_t used = 0;
  // The file is asked for one byte more than its size, so that a single read usually finds
  // its end; a file that grew since is read on in chunks, up to the cap.
  std::size_t want = static_cast<std::size_t>(known_size) + 1;
  bool failed = false;
  while (used < cap) {
    want = std::min(std::max<std::size_t>(want, 1), cap - used);
    text.resize(used + want);
    const ssize_t got = ::read(fd, text.data() + used, want);
    if (got < 0) {
      if (errno == EINTR) continue;
      failed = true;
      break;
    }
    if (got == 0) break;  // the end of the file
    used += static_cast<std::size_t>(got);
    // A short read is not the end (read may stop early): only a read of 0 bytes is.
    want = static_cast<std::size_t>(got) == want ? kChunk : want - static_cast<std::size_t>(got);
  }
  text.resize(used);
  if (failed) {
    out.text = {};
    out.reason = "cannot be read";
    return out;
  }
  if (used > max_bytes) {
    out.text = {};
    out.status = BoundedFile::Status::kTooLarge;
    out.size = used;
    out.size_exact = false;
    return out;
  }
  out.status = BoundedFile::Status::kRead;
  return out;
}

// Whether `real` (canonical) starts with every component of `root` (canonical).
bool starts_with(const fs::path& real, const fs::path& root) {
  auto p = real.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (p == real.end() || *p != *r) return false;
  }
  return true;
}

// `root` with every link followed ("." for an empty root).
fs::path canonical_root(const fs::path& root, std::error_code& ec) {
  return fs::canonical(root.empty() ? fs::path(".") : root, ec);
}

// Where the kernel says the opened file `fd` is (Linux's /proc/self/fd), or nothing when it
// cannot say (no /proc mounted).
std::optional<fs::path> opened_path(int fd) {
  const std::string link = proc_fd_path(fd);
  std::string target(4096, '\0');
  while (target.size() <= (std::size_t{1} << 16)) {
    const ssize_t n = ::readlink(link.c_str(), target.data(), target.size());
    if (n < 0) return std::nullopt;
    if (static_cast<std::size_t>(n) < target.size()) {
      target.resize(static_cast<std::size_t>(n));
      return fs::path(target);
    }
    target.resize(target.size() * 2);
  }
  return std::nullopt;
}

// Whether the opened file `fd` (of status `st`, opened by `path`) lies in the directory
// `root` once every symbolic link is followed. Decided on the file opened, not on the path
// again, so that a link swapped in or out after the open cannot change the answer.
bool opened_inside(int fd, const struct stat& st, const fs::path& root, const fs::path& path) {
  if (const std::optional<fs::path> opened = opened_path(fd)) {
    std::error_code ec;
    const fs::path real_root = canonical_root(root, ec);
    // The kernel's own path of the file opened (with " (deleted)" after it if it was
    // removed since, still inside).
    return !ec && opened->is_absolute() && starts_with(*opened, real_root);
  }
  return detail::resolves_inside_to(st.st_dev, st.st_ino, root, path);
}

}  // namespace

namespace detail {

bool resolves_inside_to(std::uintmax_t device, std::uintmax_t inode, const fs::path& root,
                        const fs::path& path) {
  std::error_code ec;
  const fs::path real_root = canonical_root(root, ec);
  if (ec) return false;
  // lstat, so that a last part that has become a link since does not count. A folder on the
  // way swapped for a link between these two steps and back again is not caught this way.
  const fs::path real = fs::canonical(path, ec);
  struct stat found {};
  return !ec && starts_with(real, real_root) && ::lstat(real.c_str(), &found) == 0 &&
         static_cast<std::uintmax_t>(found.st_dev) == device &&
         static_cast<std::uintmax_t>(found.st_ino) == inode;
}

}  // namespace detail

BoundedFile read_file_bounded(const fs::path& path, std::size_t max_bytes) {
  BoundedFile failed;
  struct stat st {};
  const int fd = open_regular(path, st, failed);
  if (fd < 0) return failed;
  const Descriptor owned(fd);
  return read_open(fd, st, max_bytes);
}

BoundedFile read_file_inside(const fs::path& root, const fs::path& path, std::size_t max_bytes,
                             const char* outside_reason) {
  BoundedFile failed;
  struct stat st {};
  const int fd = open_regular(path, st, failed);
  if (fd < 0) return failed;
  const Descriptor owned(fd);
  if (!opened_inside(fd, st, root, path)) {
    failed.reason = outside_reason;
    return failed;
  }
  return read_open(fd, st, max_bytes);
}

PinnedDirectory::PinnedDirectory(const fs::path& dir) {
#ifdef O_PATH  // Linux
  fd_ = ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  std::error_code ec;
  if (fd_ >= 0 && fs::is_directory(proc_fd_path(fd_), ec)) {
    path_ = proc_fd_path(fd_);
    return;
  }
#endif
  path_ = dir;
}

PinnedDirectory::~PinnedDirectory() {
  if (fd_ >= 0) ::close(fd_);
}

std::string size_in_bytes(std::uintmax_t size, bool exact) {
  if (exact || size == 0) return std::to_string(size) + " bytes";
  return "more than " + std::to_string(size - 1) + " bytes";
}

}  // namespace safeguard::base
