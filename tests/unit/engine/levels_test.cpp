// Thresholds: the highest matching level wins and every matching reason of that level is
// kept; undetermined thresholds matter only when they could have raised the level.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kThresholds = R"(
thresholds:
  - id: level.eh.young-carer
    level: early_help
    when: case.young_carer == true
  - id: level.cin.disabled
    level: child_in_need
    when: case.disabled == true
  - id: level.cin.neglect
    level: child_in_need
    when: case.neglect == true
  - id: level.cp.injury
    level: child_protection
    when: case.injury == true
)";

}  // namespace

TEST_CASE("levels: with no matching threshold the lowest level applies, with no reasons") {
  const auto rs = load_rules(kThresholds);
  const Result r = evaluate(
      *rs, R"({"young_carer": false, "disabled": false, "neglect": false, "injury": false})",
      "2024-06-03");
  CHECK(r.level.id == "universal");
  CHECK(r.level.reasons.empty());
  CHECK(r.undetermined.empty());
}

TEST_CASE("levels: the highest matching level wins and keeps every matching reason") {
  const auto rs = load_rules(kThresholds);
  const Result r =
      evaluate(*rs, R"({"young_carer": true, "disabled": true, "neglect": true, "injury": false})",
               "2024-06-03");
  CHECK(r.level.id == "child_in_need");
  // Both child-in-need reasons, in file order; the lower early-help match is not a reason.
  CHECK(r.level.reasons == std::vector<std::string>{"level.cin.disabled", "level.cin.neglect"});

  const Result cp =
      evaluate(*rs, R"({"young_carer": true, "disabled": true, "neglect": false, "injury": true})",
               "2024-06-03");
  CHECK(cp.level.id == "child_protection");
  CHECK(cp.level.reasons == std::vector<std::string>{"level.cp.injury"});
}

TEST_CASE("levels: a threshold that cannot be decided is reported only above the level found") {
  const auto rs = load_rules(kThresholds);
  // injury is absent: the child-protection threshold cannot be decided, and it could have
  // lifted the level, so it is listed; the absent young_carer (below the level) is not.
  const Result r = evaluate(*rs, R"({"disabled": true, "neglect": false})", "2024-06-03");
  CHECK(r.level.id == "child_in_need");
  CHECK(undetermined_ids(r) == std::vector<std::string>{"level.cp.injury"});
  const Undetermined* u = find_undetermined(r, "level.cp.injury");
  REQUIRE(u != nullptr);
  CHECK(u->kind == "threshold");
  CHECK(u->path == "/injury");
  CHECK(u->reason == "missing");
}

TEST_CASE("levels: thresholds may read raised() rules and the JSON names the level and reasons") {
  const auto rs = load_rules("rules:\n" + rule("harm.injury", "case.injury == true") + R"(
thresholds:
  - id: level.cp.injury
    level: child_protection
    when: raised("harm.injury")
)");
  const Result r = evaluate(*rs, R"({"injury": true})", "2024-06-03");
  CHECK(r.level.id == "child_protection");
  const std::string json = r.to_json();
  CHECK(json.find(R"("level":{"id":"child_protection","reasons":["level.cp.injury"]})") !=
        std::string::npos);
  const Result none = evaluate(*rs, R"({"injury": false})", "2024-06-03");
  CHECK(none.level.id == "universal");
}
