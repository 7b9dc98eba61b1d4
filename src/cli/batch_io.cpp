#include "batch_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "cli.hpp"

namespace safeguard::cli::batch {

namespace {

constexpr std::size_t kReadBlock = 1u << 20;

// The temporary output file, for the signal handler: a fixed buffer, since a handler may
// only call async-signal-safe functions (unlink, signal, raise).
char g_temporary[4096] = "";

extern "C" void remove_temporary_and_die(int signal_number) {
  if (g_temporary[0] != '\0') ::unlink(g_temporary);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void guard_temporary(const std::string& path) {
  if (path.size() >= sizeof g_temporary) return;  // cannot guard; still removed on failure
  std::memcpy(g_temporary, path.c_str(), path.size() + 1);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, remove_temporary_and_die);
}

void unguard_temporary() {
  for (int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, SIG_DFL);
  g_temporary[0] = '\0';
}

// A temporary file beside `target`, created with the mode a plain open() would give.
std::FILE* create_beside(const std::string& target, std::string* temporary, std::string* reason) {
  namespace fs = std::filesystem;
  const fs::path path(target);
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    *reason = std::string("cannot create a temporary file beside it: ") + std::strerror(errno);
    return nullptr;
  }
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  std::FILE* file = ::fdopen(fd, "wb");
  if (!file) {
    ::close(fd);
    ::unlink(name.data());
    *reason = "cannot open the temporary file";
    return nullptr;
  }
  *temporary = name.data();
  return file;
}

}  // namespace

// --- LineReader -------------------------------------------------------------------------

LineReader::~LineReader() {
  if (owned_ && file_) std::fclose(file_);
}

bool LineReader::open(const std::string& path, std::string* reason) {
  if (path == "-") {
    file_ = stdin;
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      *reason = "is a directory";
      return false;
    }
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) {
      *reason = std::strerror(errno);
      return false;
    }
    owned_ = true;
  }
  struct stat st {};
  if (::fstat(::fileno(file_), &st) == 0 && S_ISREG(st.st_mode))
    size_ = static_cast<std::uint64_t>(st.st_size);
  buffer_.resize(kReadBlock);
  return true;
}

bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // a line longer than the buffer
  const std::size_t n = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  end_ += n;
  if (n == 0) {
    eof_ = true;
    if (std::ferror(file_)) failed_ = true;
    return false;
  }
  return true;
}

bool LineReader::next(std::string& line) {
  std::size_t scanned = begin_;
  std::uint64_t dropped = 0;  // bytes of this line past max_line_, read and not kept
  const auto give = [&](std::size_t stop) {
    if (stop - begin_ > max_line_) {
      dropped += stop - begin_ - max_line_;
      stop = begin_ + max_line_;
    }
    line.assign(buffer_.data() + begin_, stop - begin_);
    cut_length_ = dropped > 0 ? (stop - begin_) + dropped : 0;
  };
  for (;;) {
    const void* nl = std::memchr(buffer_.data() + scanned, '\n', end_ - scanned);
    if (nl) {
      const std::size_t at = static_cast<const char*>(nl) - buffer_.data();
      std::size_t stop = at;
      if (stop > begin_ && buffer_[stop - 1] == '\r') --stop;
      give(stop);
      consumed_ += at + 1 - begin_;
      begin_ = at + 1;
      return true;
    }
    if (end_ - begin_ > max_line_) {
      const std::size_t extra = end_ - begin_ - max_line_;
      dropped += extra;
      consumed_ += extra;
      end_ -= extra;
    }
    scanned = end_ - begin_;  // fill() moves the unread part to the front
    if (!fill()) break;
  }
  if (begin_ == end_ && dropped == 0) return false;
  // The last line, without a final newline.
  std::size_t stop = end_;
  if (stop > begin_ && buffer_[stop - 1] == '\r') --stop;
  give(stop);
  consumed_ += end_ - begin_;
  begin_ = end_;
  return true;
}

// --- Output -----------------------------------------------------------------------------

Output::~Output() {
  abandon();
}

bool Output::open(const std::string& path, std::string* reason) {
  if (path.empty() || path == "-") {
    file_ = stdout;
    to_stdout_ = true;
    return true;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    *reason = "is a directory";
    return false;
  }
  to_stdout_ = false;
  const OutputTarget where = output_target(path);
  target_ = where.path;
  if (where.in_place) {
    file_ = std::fopen(target_.c_str(), "wb");
    if (!file_) {
      *reason = std::strerror(errno);
      return false;
    }
    in_place_ = true;
    return true;
  }
  file_ = create_beside(target_, &temporary_, reason);
  if (!file_) return false;
  guard_temporary(temporary_);
  buffer_.resize(1u << 20);
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
  return true;
}

bool Output::write(const std::string& text) {
  return std::fwrite(text.data(), 1, text.size(), file_) == text.size();
}

bool Output::commit(std::string* reason) {
  if (to_stdout_) {
    if (std::fflush(stdout) != 0) {
      *reason = std::strerror(errno);
      return false;
    }
    return true;
  }
  std::FILE* file = file_;
  file_ = nullptr;
  if (in_place_) {  // a device or pipe: nothing to sync or rename
    if (std::fclose(file) != 0) {
      *reason = std::string("cannot write: ") + std::strerror(errno);
      return false;
    }
    return true;
  }
  const bool written = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    *reason = std::string("cannot write: ") + std::strerror(errno);
    abandon();
    return false;
  }
  if (std::rename(temporary_.c_str(), target_.c_str()) != 0) {
    *reason = std::string("cannot replace it: ") + std::strerror(errno);
    abandon();
    return false;
  }
  temporary_.clear();
  unguard_temporary();
  return true;
}

void Output::abandon() {
  if (to_stdout_) return;
  if (file_) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!temporary_.empty()) {
    ::unlink(temporary_.c_str());
    temporary_.clear();
    unguard_temporary();
  }
}

// --- Progress ---------------------------------------------------------------------------

void Progress::update(std::uint64_t cases, std::uint64_t bytes_done, bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && shown_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(cases) / seconds : 0;
  char line[160];
  if (input_bytes_ > 0) {
    const double done =
        std::min(1.0, static_cast<double>(bytes_done) / static_cast<double>(input_bytes_));
    constexpr int kWidth = 24;
    char bar[kWidth + 1];
    const int filled = static_cast<int>(done * kWidth);
    for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kWidth] = '\0';
    char eta[32] = "--:--";
    if (done > 0.001 && seconds > 0.5) {
      const long left = static_cast<long>(seconds / done - seconds + 0.5);
      std::snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
    }
    std::snprintf(line, sizeof line, "\r[%s] %3.0f%%  %llu cases  %.0f/s  ETA %s\033[K", bar,
                  done * 100, static_cast<unsigned long long>(cases), rate, eta);
  } else {
    std::snprintf(line, sizeof line, "\r%llu cases  %.0f/s\033[K",
                  static_cast<unsigned long long>(cases), rate);
  }
  std::fputs(line, stderr);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::clear() {
  if (!enabled_ || !shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace safeguard::cli::batch
