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

TEST_CASE("load: the manifest's schema and calendars paths are read as its files are") {
  // `./` before the schema or the calendars folder named the same files as without it:
  // in memory the files' paths lose their `./`, so these must too, or the schema is
  // "not found" and the rule set's own calendars are left out without a word.
  const std::string calendar =
      "calendar: local\ntitle: Local\ncovers: {from: 2024-01-01, until: 2024-12-31}\n"
      "weekend: [saturday, sunday]\nclosures:\n  - {date: 2024-06-04, name: Closed}\n";
  const std::string rule =
      "rules:\n  - id: r\n    title: R\n    severity: low\n"
      "    when: add_working_days(date(case.episode.opened_on), 1) == date('2024-06-05')\n";
  for (const char* dot : {"./", ""}) {
    for (const char* listed : {"./", "", "././"}) {
      INFO(std::string("files under '") + dot + "', listed under '" + listed + "'");
      std::string manifest = std::string(kManifest) + "schema: " + listed +
                             "case.schema.json\ncalendars: " + listed + "calendars\n";
      manifest.replace(manifest.find("england-and-wales"), 17, "local");
      LoadResult r = RuleSet::load({{std::string(dot) + "ruleset.yaml", manifest},
                                    {std::string(dot) + "case.schema.json", kSchema},
                                    {std::string(dot) + "calendars/local.yaml", calendar},
                                    {std::string(dot) + "rules.yaml", rule}});
      INFO(format(r.diagnostics));
      REQUIRE(r.ok());
      const Result result =
          evaluate(*r.rule_set, R"({"episode": {"opened_on": "2024-06-03"}})", "2024-06-03");
      CHECK(result.has_flag("r"));
    }
  }
}
