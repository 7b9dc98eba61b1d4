// base::read_file_bounded: the one bounded reader behind the rule set loader, calendar files
// and time zone files; base::read_file_inside, the rule set's and the zone directory's.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "../fifo_watchdog.hpp"
#include "base/file_read.hpp"

namespace fs = std::filesystem;
using safeguard::base::BoundedFile;
using safeguard::base::read_file_bounded;
using safeguard::base::read_file_inside;

namespace {

// An empty folder of its own for each test (left behind only when a test fails).
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("safeguard-file-read-" + name + "-" + std::to_string(::getpid()));
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

TEST_CASE("a regular file that grows while it is read is read one byte past the limit") {
  // /proc files say they are empty (st_size 0) and then give their text: as a file that
  // grew after its size was checked.
  BoundedFile r = read_file_bounded("/proc/self/status", 10);
  REQUIRE(r.status == BoundedFile::Status::kTooLarge);
  CHECK(r.size == 11);
  CHECK_FALSE(r.size_exact);
  CHECK(r.text.empty());
  CHECK(safeguard::base::size_in_bytes(r.size, r.size_exact) == "more than 10 bytes");
  CHECK(safeguard::base::size_in_bytes(5, true) == "5 bytes");
  r = read_file_bounded("/proc/self/status", 1 << 20);
  REQUIRE(r.status == BoundedFile::Status::kRead);
  CHECK(r.text.find("Pid:") != std::string::npos);
}

TEST_CASE("a device or a FIFO is refused at once, never read nor waited for") {
  BoundedFile r = read_file_bounded("/dev/zero", 200000);
  CHECK(r.status == BoundedFile::Status::kFailed);
  CHECK(r.reason == "is not a regular file");
  CHECK(r.text.empty());
  // A FIFO without a writer: opening it to read would wait for one for ever.
  const fs::path dir = fresh_dir("fifo");
  const fs::path fifo = dir / "rules.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(safeguard::test::returns_promptly([&] { r = read_file_bounded(fifo, 100); }, {fifo}));
  CHECK(r.status == BoundedFile::Status::kFailed);
  CHECK(r.reason == "is not a regular file");
  // The same through read_file_inside, and through a link to the FIFO.
  fs::create_symlink("rules.yaml", dir / "link.yaml");
  CHECK(safeguard::test::returns_promptly(
      [&] { r = read_file_inside(dir, dir / "link.yaml", 100, "is outside"); }, {fifo}));
  CHECK(r.reason == "is not a regular file");
  fs::remove_all(dir);
}

TEST_CASE("read_file_inside reads only a file that lies inside its root") {
  const fs::path top = fresh_dir("inside");
  const fs::path root = top / "rules";
  fs::create_directories(root / "sub");
  write(top / "secret.yaml", "SECRET");
  write(root / "sub" / "a.yaml", "a: 1\n");
  fs::create_symlink(top / "secret.yaml", root / "out.yaml");
  fs::create_symlink(fs::path("sub") / "a.yaml", root / "in.yaml");
  BoundedFile r = read_file_inside(root, root / "out.yaml", 100, "leads outside");
  CHECK(r.status == BoundedFile::Status::kFailed);
  CHECK(r.reason == "leads outside");
  CHECK(r.text.empty());
  r = read_file_inside(root, root / "in.yaml", 100, "leads outside");
  REQUIRE(r.status == BoundedFile::Status::kRead);
  CHECK(r.text == "a: 1\n");
  // A root reached through a link is resolved too.
  fs::create_directory_symlink(root, top / "alias");
  r = read_file_inside(top / "alias", top / "alias" / "in.yaml", 100, "leads outside");
  CHECK(r.status == BoundedFile::Status::kRead);
  r = read_file_inside(root, root / "missing.yaml", 100, "leads outside");
  CHECK(r.reason == "does not exist");
  r = read_file_inside(root, root / "sub", 100, "leads outside");
  CHECK(r.reason == "is a directory");
  r = read_file_inside(root, root / "in.yaml", 2, "leads outside");
  CHECK(r.status == BoundedFile::Status::kTooLarge);
  CHECK(r.size == 5);
  fs::remove_all(top);
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

// Without /proc, read_file_inside resolves the path again and compares the file it finds with
// the one opened. /proc cannot be taken away from a test, so the fallback is asked directly.
TEST_CASE("without /proc, the path must resolve inside the root to the very file opened") {
  using safeguard::base::detail::resolves_inside_to;
  const fs::path top = fresh_dir("no-proc");
  const fs::path root = top / "rules";
  fs::create_directories(root / "sub");
  write(top / "secret.yaml", "SECRET");
  write(root / "sub" / "a.yaml", "a: 1\n");
  write(root / "b.yaml", "b: 1\n");
  fs::create_symlink(top / "secret.yaml", root / "out.yaml");
  fs::create_symlink(fs::path("sub") / "a.yaml", root / "in.yaml");
  fs::create_directory_symlink(root, top / "alias");
  const auto identity = [](const fs::path& file) {
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    return std::pair<std::uintmax_t, std::uintmax_t>(st.st_dev, st.st_ino);
  };
  const auto [a_dev, a_ino] = identity(root / "sub" / "a.yaml");
  CHECK(resolves_inside_to(a_dev, a_ino, root, root / "sub" / "a.yaml"));
  CHECK(resolves_inside_to(a_dev, a_ino, root, root / "in.yaml"));  // a link that stays inside
  CHECK(resolves_inside_to(a_dev, a_ino, top / "alias", top / "alias" / "in.yaml"));
  // A link leading out is refused, even for the file it leads to.
  const auto [s_dev, s_ino] = identity(top / "secret.yaml");
  CHECK_FALSE(resolves_inside_to(s_dev, s_ino, root, root / "out.yaml"));
  // The path now leads to another file than the one opened (swapped since the open).
  CHECK_FALSE(resolves_inside_to(a_dev, a_ino, root, root / "b.yaml"));
  fs::rename(root / "b.yaml", root / "sub" / "a.yaml");
  CHECK_FALSE(resolves_inside_to(a_dev, a_ino, root, root / "sub" / "a.yaml"));
  CHECK_FALSE(resolves_inside_to(a_dev, a_ino, root, root / "missing.yaml"));
  CHECK_FALSE(resolves_inside_to(a_dev, a_ino, top / "no-such-root", root / "in.yaml"));
  fs::remove_all(top);
}
