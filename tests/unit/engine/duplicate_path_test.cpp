// In-memory rule files: two texts for one path are a load error, never settled silently
// by keeping one of them; paths are read as a manifest lists them.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kRule = R"(
rules:
  - id: child.flag
    title: Flag
    severity: low
    when: case.flag == true
    actions:
      - {id: act, text: Act, owner: social_worker, due: as_of}
)";

std::vector<std::string> codes_and_files(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.code + " " + d.file);
  return out;
}

}  // namespace

TEST_CASE("load: two in-memory files with one path are refused, each path named once") {
  // The second text would have won: a rule file that does not parse, or a second manifest.
  LoadResult r = RuleSet::load(
      {{"ruleset.yaml", kManifest}, {"a.yaml", kRule}, {"a.yaml", "rules: [ broken"}});
  CHECK_FALSE(r.ok());
  CHECK(codes_and_files(r) == std::vector<std::string>{"file.duplicate-path a.yaml"});

  r = RuleSet::load({{"a.yaml", kRule},
                     {"ruleset.yaml", kManifest},
                     {"ruleset.yaml", kManifest},
                     {"ruleset.yaml", kManifest},
                     {"a.yaml", kRule}});
  CHECK_FALSE(r.ok());
  CHECK(codes_and_files(r) ==
        std::vector<std::string>{"file.duplicate-path a.yaml", "file.duplicate-path ruleset.yaml"});

  CHECK(RuleSet::load({{"ruleset.yaml", kManifest}, {"a.yaml", kRule}, {"b.yaml", ""}}).ok());
}

TEST_CASE("load: in-memory paths are read as the manifest lists them") {
  // `./a.yaml` is `a.yaml`: two texts for it are a duplicate, one loads.
  LoadResult r =
      RuleSet::load({{"ruleset.yaml", kManifest}, {"a.yaml", kRule}, {"./a.yaml", kRule}});
  CHECK(codes_and_files(r) == std::vector<std::string>{"file.duplicate-path a.yaml"});
  CHECK(RuleSet::load({{"./ruleset.yaml", kManifest}, {"./a.yaml", kRule}}).ok());

  // A path no manifest could list was dropped without a word.
  r = RuleSet::load({{"ruleset.yaml", kManifest},
                     {"a.yaml", kRule},
                     {"../b.yaml", kRule},
                     {"/etc/c.yaml", kRule},
                     {std::string("d\0.yaml", 7), kRule}});
  CHECK_FALSE(r.ok());
  CHECK(codes_and_files(r) == std::vector<std::string>{"file.unsafe-path ../b.yaml",
                                                       "file.unsafe-path /etc/c.yaml",
                                                       "file.unsafe-path d?.yaml"});
}
