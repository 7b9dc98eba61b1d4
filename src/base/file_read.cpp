#include "base/file_read.hpp"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <system_error>

namespace safeguard::base {

namespace fs = std::filesystem;

namespace {

// Read size for a pipe or device, and for whatever follows a regular file's known size.
constexpr std::size_t kChunk = std::size_t{1} << 16;

}  // namespace

BoundedFile read_file_bounded(const fs::path& path, std::size_t max_bytes) {
  BoundedFile out;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    out.reason = "does not exist";
    return out;
  }
  if (ec) {
    out.reason = "cannot be read";
    return out;
  }
  if (fs::is_directory(status)) {
    out.reason = "is a directory";
    return out;
  }
  const bool regular = fs::is_regular_file(status);
  std::uintmax_t known_size = 0;
  if (regular) {
    known_size = fs::file_size(path, ec);
    if (ec) {
      out.reason = "cannot be read";
      return out;
    }
    if (known_size > max_bytes) {
      out.status = BoundedFile::Status::kTooLarge;
      out.size = known_size;
      return out;
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.reason = "cannot be opened";
    return out;
  }
  // One byte past the limit shows that the file is too large: never read more than that.
  const std::size_t cap = max_bytes == SIZE_MAX ? max_bytes : max_bytes + 1;
  std::string& text = out.text;
  std::size_t used = 0;
  // A regular file is asked for one byte more than its size, so that a single read finds
  // its end; a file that grew since is read on in chunks, up to the cap.
  std::size_t want = regular ? static_cast<std::size_t>(known_size) + 1 : kChunk;
  while (used < cap) {
    want = std::min(std::max<std::size_t>(want, 1), cap - used);
    text.resize(used + want);
    in.read(text.data() + used, static_cast<std::streamsize>(want));
    const auto got = static_cast<std::size_t>(in.gcount());
    used += got;
    if (got < want) break;  // the end of the file, or an error (below)
    want = kChunk;
  }
  text.resize(used);
  if (in.bad()) {
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

std::string size_in_bytes(std::uintmax_t size, bool exact) {
  if (exact || size == 0) return std::to_string(size) + " bytes";
  return "more than " + std::to_string(size - 1) + " bytes";
}

}  // namespace safeguard::base
