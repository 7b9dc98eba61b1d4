// A host that deploys rule sets by switching a link (`current -> releases/v1`, then `v2`)
// while loads and reloads run: each load reads one release whole, never the manifest of one
// and the rule files of the other, because the loader pins the directory when it starts.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "../read_text.hpp"
#include "safeguard/rule_set.hpp"

namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A release of the small base rule set whose one rule file has a name of its own, so that a
// manifest read from one release cannot find its rule file in the other.
void make_release(const fs::path& dir, const std::string& rule_file) {
  const fs::path base = SAFEGUARD_SOURCE_DIR "/tests/bad-inputs/base";
  fs::create_directories(dir);
  write(dir / "ruleset.yaml",
        safeguard::test::read_text(base / "ruleset.yaml") + "files: [" + rule_file + "]\n");
  write(dir / rule_file, safeguard::test::read_text(base / "rules.yaml"));
  write(dir / "schema.json", safeguard::test::read_text(base / "schema.json"));
}

}  // namespace

TEST_CASE("a load while the rule set's link switches releases reads one release whole") {
  const fs::path top =
      fs::temp_directory_path() / ("safeguard-release-switch-" + std::to_string(::getpid()));
  fs::remove_all(top);
  make_release(top / "releases" / "v1", "first.yaml");
  make_release(top / "releases" / "v2", "second.yaml");
  const fs::path current = top / "current";
  fs::create_directory_symlink(top / "releases" / "v1", current);

  std::atomic<bool> stop{false};
  std::thread deployer([&] {
    // Switched as deploy tools do: a new link renamed over the old one (atomic).
    for (int i = 0; !stop.load(); ++i) {
      const fs::path next = top / "next";
      std::error_code ec;
      fs::remove(next, ec);
      fs::create_directory_symlink(top / "releases" / (i % 2 == 0 ? "v2" : "v1"), next, ec);
      fs::rename(next, current, ec);
    }
  });
  int loads = 0;
  int failed = 0;
  std::string first_failure;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (std::chrono::steady_clock::now() < end) {
    const safeguard::LoadResult r = safeguard::RuleSet::load(current.string());
    ++loads;
    if (!r.ok()) {
      if (failed++ == 0) first_failure = safeguard::format(r.diagnostics);
    }
  }
  stop = true;
  deployer.join();
  fs::remove_all(top);
  INFO(loads << " loads; the first failure: " << first_failure);
  CHECK(failed == 0);
  CHECK(loads > 10);
}
