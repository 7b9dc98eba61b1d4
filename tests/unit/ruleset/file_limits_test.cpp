// Each kind of file in a rule set has its own size limit (a rule file
// Limits::max_rule_file_bytes, the schema kMaxSchemaBytes, a calendar kMaxCalendarFileBytes),
// and a file over it gets the same diagnostic whether the rule set is loaded from a directory
// or from memory: a host that tests its rule set one way and deploys it the other sees the
// same result. (A directory once held every file to the rule-file limit under the code
// file.read, calendar.read or manifest.schema, while memory held each to its own limit.)
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../read_text.hpp"
#include "ruleset/load/calendar_file.hpp"
#include "safeguard/rule_set.hpp"
#include "snapshot/schema_tree.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kCouncil = "calendar: council\nextends: england-and-wales\nclosures: []\n";

// tests/bad-inputs/base (a small valid rule set) with a calendars folder, as files in memory
// and in a directory; `replace` swaps in the text of one file.
class Fixture {
 public:
  explicit Fixture(const std::string& name)
      : dir_(fs::temp_directory_path() /
             ("safeguard-file-limits-" + name + "-" + std::to_string(::getpid()))) {
    const fs::path base = SAFEGUARD_SOURCE_DIR "/tests/bad-inputs/base";
    files_ = {
        {"ruleset.yaml", safeguard::test::read_text(base / "ruleset.yaml") +
                             "files: [rules.yaml]\ncalendars: calendars\n"},
        {"rules.yaml", safeguard::test::read_text(base / "rules.yaml")},
        {"schema.json", safeguard::test::read_text(base / "schema.json")},
        {"calendars/council.yaml", kCouncil},
    };
  }
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void replace(const std::string& path, std::string text) {
    for (auto& f : files_) {
      if (f.path == path) f.text = std::move(text);
    }
  }
  safeguard::LoadResult from_memory(const safeguard::LoadOptions& options) const {
    return safeguard::RuleSet::load(files_, options);
  }
  safeguard::LoadResult from_directory(const safeguard::LoadOptions& options) const {
    fs::remove_all(dir_);
    for (const auto& f : files_) {
      const fs::path file = dir_ / f.path;
      fs::create_directories(file.parent_path());
      std::ofstream(file, std::ios::binary) << f.text;
    }
    return safeguard::RuleSet::load(dir_.string(), options);
  }
  // A directory's diagnostics name files under it; memory's by their relative path.
  std::string relative(const std::string& file) const {
    const std::string prefix = dir_.string() + "/";
    return file.compare(0, prefix.size(), prefix) == 0 ? file.substr(prefix.size()) : file;
  }

 private:
  fs::path dir_;
  std::vector<safeguard::RuleFileText> files_;
};

// "severity code file: message" for each diagnostic, with the directory's prefix taken off.
std::vector<std::string> shown(const Fixture& f, const safeguard::LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) {
    out.push_back(std::string(d.severity == safeguard::Severity::kError ? "error " : "warning ") +
                  d.code + " " + f.relative(d.file) + ": " + d.message);
  }
  return out;
}

// Loads both ways, checks they agree, and gives the diagnostics.
std::vector<std::string> load_both(const Fixture& f, const safeguard::LoadOptions& options = {}) {
  const safeguard::LoadResult memory = f.from_memory(options);
  const safeguard::LoadResult directory = f.from_directory(options);
  CHECK(memory.ok() == directory.ok());
  const std::vector<std::string> out = shown(f, memory);
  CHECK(shown(f, directory) == out);
  return out;
}

std::string comment_of(std::size_t bytes) {
  return "# " + std::string(bytes - 3, 'x') + "\n";
}

}  // namespace

TEST_CASE("the base rule set loads the same from a directory and from memory") {
  Fixture f("base");
  CHECK(load_both(f).empty());
}

TEST_CASE("a rule file over max_rule_file_bytes is file.too-large from either source") {
  Fixture f("rule-file");
  safeguard::LoadOptions options;
  options.limits.max_rule_file_bytes = 4096;
  f.replace("rules.yaml",
            safeguard::test::read_text(SAFEGUARD_SOURCE_DIR "/tests/bad-inputs/base/rules.yaml") +
                comment_of(4096));
  const auto diagnostics = load_both(f, options);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].rfind("error file.too-large rules.yaml: file is too large (", 0) == 0);
  CHECK(diagnostics[0].find("the limit is 4096)") != std::string::npos);
}

TEST_CASE("the schema and calendars are held to their own limits, not the rule files'") {
  Fixture f("own-limits");
  safeguard::LoadOptions options;
  options.limits.max_rule_file_bytes = 4096;
  // Both far over the rule-file limit, within their own: the rule set loads.
  std::string schema =
      safeguard::test::read_text(SAFEGUARD_SOURCE_DIR "/tests/bad-inputs/base/schema.json");
  schema.insert(schema.rfind('}'), ",\"$comment\":\"" + std::string(64 << 10, 'x') + "\"");
  f.replace("schema.json", schema);
  f.replace("calendars/council.yaml", kCouncil + comment_of(64 << 10));
  CHECK(load_both(f, options).empty());
}

TEST_CASE("a schema over its limit is schema.too-large from either source") {
  Fixture f("schema");
  f.replace("schema.json", std::string(safeguard::snapshot::schema::kMaxSchemaBytes + 1, ' '));
  const auto diagnostics = load_both(f);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0] == "error schema.too-large schema.json: the schema is too large (" +
                              std::to_string(safeguard::snapshot::schema::kMaxSchemaBytes + 1) +
                              " bytes; the limit is " +
                              std::to_string(safeguard::snapshot::schema::kMaxSchemaBytes) + ")");
}

TEST_CASE("a calendar over its limit is calendar.too-large from either source") {
  Fixture f("calendar");
  const std::string council =
      kCouncil + comment_of(safeguard::ruleset::kMaxCalendarFileBytes - kCouncil.size() + 1);
  f.replace("calendars/council.yaml", council);
  const auto diagnostics = load_both(f);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0] == "error calendar.too-large calendars/council.yaml: the calendar has " +
                              std::to_string(safeguard::ruleset::kMaxCalendarFileBytes + 1) +
                              " bytes (limit is " +
                              std::to_string(safeguard::ruleset::kMaxCalendarFileBytes) + ")");
}
