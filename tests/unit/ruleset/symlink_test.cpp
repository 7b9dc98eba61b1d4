// A rule set directory cannot make the loader read outside it: not through manifest paths
// ("..", absolute; tests/bad-inputs/manifests) and not through a symbolic link in the
// directory, whether it is the file, a folder on the way, the schema, the calendars
// folder or the manifest itself. Links that stay inside, and a rule set directory that is
// itself reached through a link, load as before.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../read_text.hpp"
#include "rule_dir_fixture.hpp"
#include "safeguard/rule_set.hpp"

namespace fs = std::filesystem;

namespace {

// The rule set and the folder outside it (rule_dir_fixture.hpp).
class Fixture : public safeguard::test::RuleDirFixture {
 public:
  explicit Fixture(const std::string& name) : RuleDirFixture("symlink-" + name) {}
};

// "code file:line" of the first error, and whether any diagnostic quotes the outside file.
std::string first_error(const safeguard::LoadResult& r, bool* quoted) {
  *quoted = false;
  std::string out = "none";
  for (const auto& d : r.diagnostics) {
    const std::string text = format(d);
    if (text.find("SECRET-MARKER") != std::string::npos) *quoted = true;
    if (out == "none" && d.severity == safeguard::Severity::kError) {
      out = d.code + " " + fs::path(d.file).filename().string() + ":" + std::to_string(d.line);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a rule file that links outside the rule set is refused, unread") {
  Fixture f("file");
  fs::create_symlink(f.outside() / "secret.yaml", f.rules() / "linked.yaml");
  f.manifest("files: [rules.yaml, linked.yaml]\n");
  const safeguard::LoadResult r = f.load();
  bool quoted = false;
  CHECK_FALSE(r.ok());
  CHECK(first_error(r, &quoted) == "manifest.path ruleset.yaml:10");
  CHECK_FALSE(quoted);
}

TEST_CASE("a folder link on the way out of the rule set is refused") {
  Fixture f("folder");
  fs::create_directory_symlink(f.outside(), f.rules() / "shared");
  f.manifest("files: [rules.yaml, shared/secret.yaml]\n");
  bool quoted = false;
  const safeguard::LoadResult r = f.load();
  CHECK_FALSE(r.ok());
  CHECK(first_error(r, &quoted) == "manifest.path ruleset.yaml:10");
  CHECK_FALSE(quoted);
}

TEST_CASE("the schema, the calendars folder and the manifest may not link out either") {
  SECTION("schema") {
    Fixture f("schema");
    fs::remove(f.rules() / "schema.json");
    fs::create_symlink(f.outside() / "secret.yaml", f.rules() / "schema.json");
    f.manifest("files: [rules.yaml]\n");
    bool quoted = false;
    const safeguard::LoadResult r = f.load();
    CHECK_FALSE(r.ok());
    CHECK(first_error(r, &quoted) == "manifest.schema schema.json:0");
    CHECK_FALSE(quoted);
  }
  SECTION("calendars") {
    Fixture f("calendars");
    fs::create_directory_symlink(f.outside(), f.rules() / "calendars");
    fs::remove(f.outside() / "secret.yaml");
    f.manifest("files: [rules.yaml]\ncalendars: calendars\n");
    bool quoted = false;
    const safeguard::LoadResult r = f.load();
    CHECK_FALSE(r.ok());
    CHECK(first_error(r, &quoted) == "calendar.read council.yaml:0");
  }
  SECTION("manifest") {
    Fixture f("manifest");
    std::ofstream(f.outside() / "ruleset.yaml", std::ios::binary)
        << safeguard::test::read_text(f.rules() / "ruleset.yaml") << "files: [rules.yaml]\n";
    fs::remove(f.rules() / "ruleset.yaml");
    fs::create_symlink(f.outside() / "ruleset.yaml", f.rules() / "ruleset.yaml");
    bool quoted = false;
    const safeguard::LoadResult r = f.load();
    CHECK_FALSE(r.ok());
    CHECK(first_error(r, &quoted) == "file.read ruleset.yaml:0");
  }
}

TEST_CASE("links that stay inside the rule set, and a rule set reached by a link, load") {
  Fixture f("inside");
  fs::create_directories(f.rules() / "sub");
  fs::rename(f.rules() / "rules.yaml", f.rules() / "sub" / "rules.yaml");
  fs::create_symlink(fs::path("sub") / "rules.yaml", f.rules() / "rules.yaml");
  f.manifest("files: [rules.yaml]\n");
  CHECK(f.load().ok());
  const fs::path alias = f.outside() / "alias";
  fs::create_directory_symlink(f.rules(), alias);
  CHECK(safeguard::RuleSet::load(alias.string()).ok());
}

TEST_CASE("a manifest path with a NUL or another control character is refused") {
  Fixture f("nul");
  f.manifest(std::string("files: [\"rules.yaml\\0x\"]\n"));
  bool quoted = false;
  CHECK(first_error(f.load(), &quoted) == "manifest.path ruleset.yaml:10");
  f.manifest(std::string("files: [\"rules\\t.yaml\"]\n"));
  CHECK(first_error(f.load(), &quoted) == "manifest.path ruleset.yaml:10");
}
