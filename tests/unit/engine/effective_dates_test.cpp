// effective_from / effective_until: both days are inside the window.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

TEST_CASE("effective dates: a rule applies from effective_from to effective_until inclusive") {
  const auto rs = load_rules("rules:\n" + rule("guidance.2023", "case.flag == true",
                                               "    effective_from: 2023-12-15\n"
                                               "    effective_until: 2024-03-31\n"));
  const std::string snapshot = R"({"flag": true})";
  CHECK(evaluate(*rs, snapshot, "2023-12-14").flags.empty());
  CHECK(flag_ids(evaluate(*rs, snapshot, "2023-12-15")) ==
        std::vector<std::string>{"guidance.2023"});
  CHECK(flag_ids(evaluate(*rs, snapshot, "2024-03-31")) ==
        std::vector<std::string>{"guidance.2023"});
  CHECK(evaluate(*rs, snapshot, "2024-04-01").flags.empty());
}

TEST_CASE("effective dates: outside its window a rule is neither raised nor undetermined") {
  const auto rs = load_rules("rules:\n" + rule("old.rule", "case.missing_field == true",
                                               "    effective_until: 2020-01-01\n"));
  const Result r = evaluate(*rs, "{}", "2024-06-03");
  CHECK(r.flags.empty());
  CHECK(r.undetermined.empty());
}

TEST_CASE("effective dates: thresholds have windows too") {
  const auto rs = load_rules(R"(
thresholds:
  - id: level.cin.new-criterion
    level: child_in_need
    when: case.flag == true
    effective_from: 2024-09-01
)");
  CHECK(evaluate(*rs, R"({"flag": true})", "2024-08-31").level.id == "universal");
  CHECK(evaluate(*rs, R"({"flag": true})", "2024-09-01").level.id == "child_in_need");
}
