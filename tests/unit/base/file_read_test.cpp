// base::read_file_bounded: the one bounded reader behind the rule set loader, calendar files
// and time zone files.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "base/file_read.hpp"

namespace fs = std::filesystem;
using safeguard::base::BoundedFile;
using safeguard::base::read_file_bounded;

namespace {

// An empty folder of its own for each test (left behind only when a test fails).
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("safeguard-file-read-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

fs::path write(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

}  // namespace

TEST_CASE("a file within the limit is read whole, to the byte") {
  const fs::path dir = fresh_dir("within");
  const std::string text = std::string(100000, 'x') + '\0' + "end";
  BoundedFile r = read_file_bounded(write(dir / "a.yaml", text), text.size());
  REQUIRE(r.status == BoundedFile::Status::kRead);
  CHECK(r.text == text);
  r = read_file_bounded(write(dir / "empty.yaml", ""), 0);
  REQUIRE(r.status == BoundedFile::Status::kRead);
  CHECK(r.text.empty());
  fs::remove_all(dir);
}

TEST_CASE("a regular file over the limit is refused by its size, before it is read") {
  const fs::path dir = fresh_dir("over");
  BoundedFile r = read_file_bounded(write(dir / "a.yaml", "12345"), 4);
  REQUIRE(r.status == BoundedFile::Status::kTooLarge);
  CHECK(r.size == 5);
  CHECK(r.size_exact);
  CHECK(r.text.empty());
  // 64 GiB without a byte on disk: reading it would take minutes and all memory.
  const fs::path sparse = write(dir / "sparse.yaml", "");
  fs::resize_file(sparse, std::uintmax_t{64} << 30);
  r = read_file_bounded(sparse, 1 << 20);
  REQUIRE(r.status == BoundedFile::Status::kTooLarge);
  CHECK(r.size == std::uintmax_t{64} << 30);
  CHECK(r.size_exact);
  fs::remove_all(dir);
}

TEST_CASE("a device is read up to one byte past the limit, then refused") {
  const BoundedFile r = read_file_bounded("/dev/zero", 200000);
  REQUIRE(r.status == BoundedFile::Status::kTooLarge);
  CHECK(r.size == 200001);
  CHECK_FALSE(r.size_exact);
  CHECK(r.text.empty());
  CHECK(safeguard::base::size_in_bytes(r.size, r.size_exact) == "more than 200000 bytes");
  CHECK(safeguard::base::size_in_bytes(5, true) == "5 bytes");
}

TEST_CASE("a pipe is read to its end when that is within the limit") {
  const fs::path dir = fresh_dir("pipe");
  const fs::path fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string text(300000, 'p');  // several chunks
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; });
  const BoundedFile r = read_file_bounded(fifo, text.size());
  writer.join();
  REQUIRE(r.status == BoundedFile::Status::kRead);
  CHECK(r.text == text);
  fs::remove_all(dir);
}

TEST_CASE("failures give a reason without the path") {
  const fs::path dir = fresh_dir("fail");
  BoundedFile r = read_file_bounded(dir / "missing.yaml", 100);
  CHECK(r.status == BoundedFile::Status::kFailed);
  CHECK(r.reason == "does not exist");
  r = read_file_bounded(dir, 100);
  CHECK(r.status == BoundedFile::Status::kFailed);
  CHECK(r.reason == "is a directory");
  fs::remove_all(dir);
}
