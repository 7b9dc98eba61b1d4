// A copy of tests/bad-inputs/base (a small valid rule set) in a folder of its own under the
// temporary directory, beside a folder "outside" with files that no rule set may read: for
// the tests of what a rule set directory can make the loader open.
#pragma once

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>

#include "../read_text.hpp"
#include "safeguard/rule_set.hpp"

namespace safeguard::test {

class RuleDirFixture {
 public:
  // `name` names the folder (safeguard-<name>-<pid> under the temporary directory: test
  // programs of several build trees, or two runs of one, must not share it).
  explicit RuleDirFixture(const std::string& name)
      : top_(std::filesystem::temp_directory_path() /
             ("safeguard-" + name + "-" + std::to_string(::getpid()))) {
    namespace fs = std::filesystem;
    fs::remove_all(top_);
    fs::create_directories(rules());
    fs::create_directories(outside());
    const fs::path base = SAFEGUARD_SOURCE_DIR "/tests/bad-inputs/base";
    manifest_ = read_text(base / "ruleset.yaml");
    write("rules.yaml", read_text(base / "rules.yaml"));
    write("schema.json", read_text(base / "schema.json"));
    std::ofstream(outside() / "secret.yaml", std::ios::binary) << "SECRET-MARKER: 1\n";
    std::ofstream(outside() / "council.yaml", std::ios::binary)
        << "name: council\nextends: england-and-wales\n";
  }
  ~RuleDirFixture() {
    std::error_code ec;
    std::filesystem::remove_all(top_, ec);
  }
  RuleDirFixture(const RuleDirFixture&) = delete;
  RuleDirFixture& operator=(const RuleDirFixture&) = delete;

  std::filesystem::path rules() const { return top_ / "rules"; }
  std::filesystem::path outside() const { return top_ / "outside"; }
  void write(const std::string& file, const std::string& text) const {
    std::ofstream(rules() / file, std::ios::binary) << text;
  }
  // The base manifest with these extra lines.
  void manifest(const std::string& extra) const { write("ruleset.yaml", manifest_ + extra); }
  LoadResult load() const { return RuleSet::load(rules().string()); }

 private:
  std::filesystem::path top_;
  std::string manifest_;
};

}  // namespace safeguard::test
