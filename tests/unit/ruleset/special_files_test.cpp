// A rule set directory cannot hang a load, or lead the loader out of it, with files that
// change under it: a FIFO (which waits for a writer when opened) or a symbolic link swapped
// in for a rule file between the loader's checks and its read. The loader opens first,
// without waiting, and checks the file it opened.
#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "../fifo_watchdog.hpp"
#include "rule_dir_fixture.hpp"
#include "safeguard/live_rule_set.hpp"
#include "safeguard/rule_set.hpp"

namespace fs = std::filesystem;
using safeguard::test::returns_promptly;

namespace {

// The rule set (listing rules.yaml) and the folder outside it (rule_dir_fixture.hpp).
class Fixture : public safeguard::test::RuleDirFixture {
 public:
  explicit Fixture(const std::string& name) : RuleDirFixture("special-" + name) {
    manifest("files: [rules.yaml]\n");
  }
  // Makes `file` in the rule set a FIFO (in place of what was there).
  fs::path fifo(const std::string& file) const {
    const fs::path path = rules() / file;
    fs::remove(path);
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    return path;
  }
};

// "code file:line" of each error, one a line, and whether any diagnostic quotes the
// outside file.
std::string errors_of(const safeguard::LoadResult& r, bool* quoted = nullptr) {
  std::string out;
  for (const auto& d : r.diagnostics) {
    if (quoted && format(d).find("SECRET-MARKER") != std::string::npos) *quoted = true;
    if (d.severity != safeguard::Severity::kError) continue;
    out += d.code + " " + fs::path(d.file).filename().string() + ":" + std::to_string(d.line) +
           " " + d.message + "\n";
  }
  return out;
}

// Swaps two paths (atomically, RENAME_EXCHANGE) again and again until stopped.
class Swapper {
 public:
  Swapper(fs::path a, fs::path b) : a_(std::move(a)), b_(std::move(b)) {
    ok_ = exchange();  // false where the file system cannot exchange
    if (ok_)
      thread_ = std::thread([this] {
        while (!stop_.load(std::memory_order_relaxed)) exchange();
      });
  }
  ~Swapper() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  bool ok() const { return ok_; }

 private:
  bool exchange() const {
    return ::renameat2(AT_FDCWD, a_.c_str(), AT_FDCWD, b_.c_str(), RENAME_EXCHANGE) == 0;
  }
  fs::path a_, b_;
  bool ok_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// What loading a rule set again and again for 1.5 s while a Swapper runs found: how many
// loads, how many refused, and the errors of a refusal `expected` did not accept ("" if
// none), and whether any diagnostic quoted the outside file.
struct Race {
  int loads = 0;
  int refused = 0;
  std::string unexpected;
  bool quoted = false;
};

template <typename Expected>
void load_repeatedly(const Fixture& f, Expected expected, Race& race) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (std::chrono::steady_clock::now() < end) {
    const safeguard::LoadResult r = f.load();
    ++race.loads;
    if (r.ok()) continue;
    ++race.refused;
    const std::string errors = errors_of(r, &race.quoted);
    if (!expected(errors)) race.unexpected = errors;
  }
}

}  // namespace

TEST_CASE("a FIFO in the rule set is refused at once, located; a reload keeps the old rules") {
  Fixture f("fifo");
  const safeguard::LoadResult first = f.load();
  REQUIRE(first.ok());
  safeguard::LiveRuleSet live(first.rule_set);
  safeguard::LoadResult r;
  SECTION("a rule file") {
    const fs::path pipe = f.fifo("pipe.yaml");
    f.manifest("files: [rules.yaml, pipe.yaml]\n");
    CHECK(returns_promptly([&] { r = live.reload(f.rules().string()); }, {pipe}));
    CHECK(errors_of(r) ==
          "manifest.missing-file ruleset.yaml:10 rule file 'pipe.yaml' is not a regular file\n");
  }
  SECTION("the schema") {
    const fs::path pipe = f.fifo("schema.json");
    CHECK(returns_promptly([&] { r = live.reload(f.rules().string()); }, {pipe}));
    CHECK(errors_of(r) == "manifest.schema schema.json:0 schema file is not a regular file\n");
  }
  SECTION("the manifest") {
    const fs::path pipe = f.fifo("ruleset.yaml");
    CHECK(returns_promptly([&] { r = live.reload(f.rules().string()); }, {pipe}));
    CHECK(errors_of(r) ==
          "manifest.missing ruleset.yaml:0 the manifest (ruleset.yaml) is not a regular file\n");
  }
  CHECK_FALSE(r.ok());
  CHECK(live.generation() == 0);
  CHECK(live.current() == first.rule_set);
}

TEST_CASE("a calendar file that is a FIFO is refused at once") {
  Fixture f("calendar-fifo");
  const fs::path pipe = f.fifo("council.yaml");
  safeguard::CalendarLoad loaded;
  CHECK(returns_promptly([&] { loaded = safeguard::Calendar::load_file(pipe.string()); }, {pipe}));
  CHECK(loaded.calendar == nullptr);
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "calendar.io");
  CHECK(loaded.diagnostics[0].message == "file is not a regular file");
}

TEST_CASE("what is not a regular file is refused by its status, never opened to be read") {
  // A device's driver acts on an open (a watchdog is armed, a tape rewound on close); a FIFO
  // shows it: a writer waiting in open() is let through by any reader's open, even one that
  // does not wait and closes at once. The loader must refuse the FIFO without being one.
  Fixture f("fifo-unopened");
  const fs::path pipe = f.fifo("pipe.yaml");
  f.manifest("files: [rules.yaml, pipe.yaml]\n");
  std::atomic<bool> writer_through{false};
  std::thread writer([&] {
    const int fd = ::open(pipe.c_str(), O_WRONLY | O_CLOEXEC);  // waits for a reader
    writer_through = true;
    if (fd >= 0) ::close(fd);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the writer is waiting
  const safeguard::LoadResult r = f.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const bool opened_by_loader = writer_through.load();
  // Let the writer go: this test's own reader.
  const int reader = ::open(pipe.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  writer.join();
  if (reader >= 0) ::close(reader);
  CHECK(errors_of(r) ==
        "manifest.missing-file ruleset.yaml:10 rule file 'pipe.yaml' is not a regular file\n");
  CHECK_FALSE(opened_by_loader);
}

TEST_CASE("a rule file swapped for a FIFO while rule sets load never hangs a load") {
  Fixture f("fifo-race");
  const fs::path pipe = f.fifo("spare.yaml");
  Swapper swapper(f.rules() / "rules.yaml", pipe);
  if (!swapper.ok()) {
    WARN("the temporary directory's file system cannot exchange files: not run");
    return;
  }
  Race race;
  // Refused as what it was when opened (a FIFO), or because the path no longer leads to the
  // file opened (the rule file became a FIFO after the open).
  const auto expected = [](const std::string& errors) {
    return errors.find("is not a regular file") != std::string::npos ||
           errors.find("leads outside the rule set") != std::string::npos;
  };
  CHECK(returns_promptly([&] { load_repeatedly(f, expected, race); },
                         {f.rules() / "rules.yaml", pipe}));
  CHECK(race.unexpected == "");
  INFO(race.loads << " loads, " << race.refused << " refused");
  CHECK(race.refused > 0);
}

TEST_CASE("a rule file, or a folder on its way, swapped for a link out is never read") {
  Fixture f("link-race");
  std::string file = "rules.yaml";
  fs::path swapped = f.rules() / "rules.yaml";
  SECTION("the file") {
    fs::create_symlink(f.outside() / "secret.yaml", f.rules() / "spare");
  }
  SECTION("a folder on the way") {
    fs::create_directories(f.rules() / "sub");
    fs::rename(f.rules() / "rules.yaml", f.rules() / "sub" / "rules.yaml");
    fs::create_directories(f.outside() / "sub");
    fs::copy_file(f.outside() / "secret.yaml", f.outside() / "sub" / "rules.yaml");
    fs::create_directory_symlink(f.outside() / "sub", f.rules() / "spare");
    f.manifest("files: [sub/rules.yaml]\n");
    file = "sub/rules.yaml";
    swapped = f.rules() / "sub";
  }
  Swapper swapper(swapped, f.rules() / "spare");
  if (!swapper.ok()) {
    WARN("the temporary directory's file system cannot exchange files: not run");
    return;
  }
  Race race;
  // Only ever refused as a link out, never read and reported as a bad rule file.
  const std::string refusal =
      "manifest.path ruleset.yaml:10 rule file '" + file + "' leads outside";
  load_repeatedly(
      f,
      [&](const std::string& errors) {
        return errors.find(refusal) == 0 && errors.find('\n') + 1 == errors.size();
      },
      race);
  CHECK_FALSE(race.quoted);
  CHECK(race.unexpected == "");
  INFO(race.loads << " loads, " << race.refused << " refused");
  CHECK(race.refused > 0);
}
