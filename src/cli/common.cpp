#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "safeguard/expr.hpp"

namespace safeguard::cli {

namespace fs = std::filesystem;

int usage_error(const char* command, const std::string& message, const char* usage) {
  std::cerr << "safeguard " << command << ": " << message << "\n" << usage;
  return kExitUsage;
}

bool valid_as_of(const std::string& as_of) {
  // The library's own reading of as_of (the CLI sees only the public API).
  ExprOptions options;
  options.as_of = as_of;
  return evaluate_expression("as_of", "", options).status != ExprResult::Status::kInputError;
}

namespace {

// Reads `in` to the end, but refuses more than kMaxInputFileBytes: `safeguard eval
// /dev/zero` (or a runaway pipe) must end with an error, not take all memory.
bool read_bounded(std::istream& in, std::string* text, std::string* reason) {
  text->clear();
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    const auto n = static_cast<std::size_t>(in.gcount());
    if (text->size() + n > kMaxInputFileBytes) {
      *reason = "is too large (the limit is " + std::to_string(kMaxInputFileBytes >> 20) + " MiB)";
      text->clear();
      return false;
    }
    text->append(buffer, n);
  }
  return true;
}

}  // namespace

bool read_file(const std::string& path, std::string* text, std::string* reason) {
  if (path == "-") return read_bounded(std::cin, text, reason);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    *reason = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *reason = fs::exists(path, ec) ? "cannot be read" : "does not exist";
    return false;
  }
  return read_bounded(in, text, reason);
}

OutputTarget output_target(const std::string& path) {
  OutputTarget out{path, false};
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return out;  // a new file (or a dangling link)
  if (!S_ISREG(st.st_mode)) {
    out.in_place = true;
    return out;
  }
  struct stat link {};
  std::error_code ec;
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    const fs::path real = fs::canonical(path, ec);
    if (!ec) out.path = real.string();
  }
  return out;
}

namespace {

bool write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n <= 0) return false;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

bool write_file_atomically(const std::string& path_given, const std::string& text,
                           std::string* reason) {
  const OutputTarget where = output_target(path_given);
  if (where.in_place) {
    const int fd = ::open(where.path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      *reason = "cannot be opened for writing";
      return false;
    }
    const bool written = write_all(fd, text);
    if (::close(fd) != 0 || !written) {
      *reason = "cannot write";
      return false;
    }
    return true;
  }
  const std::string& path = where.path;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    *reason = "cannot create a temporary file beside it";
    return false;
  }
  if (!write_all(fd, text)) {
    ::close(fd);
    ::unlink(name.data());
    *reason = "cannot write";
    return false;
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(name.data());
    *reason = "cannot write";
    return false;
  }
  if (std::rename(name.data(), path.c_str()) != 0) {
    ::unlink(name.data());
    *reason = "cannot replace it";
    return false;
  }
  return true;
}

std::string shipped_rules_directory() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path() / ".." / SAFEGUARD_INSTALL_DATADIR / "rules";
    if (fs::exists(installed / "ruleset.yaml", ec))
      return fs::weakly_canonical(installed, ec).string();
    const fs::path beside = exe.parent_path() / "rules";
    if (fs::exists(beside / "ruleset.yaml", ec)) return beside.string();
  }
  const fs::path source = fs::path(SAFEGUARD_SOURCE_DIR) / "rules";
  if (fs::exists(source / "ruleset.yaml", ec) || fs::exists(source / "calendars", ec))
    return source.string();
  return {};
}

}  // namespace safeguard::cli
