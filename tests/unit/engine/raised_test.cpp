// raised(): rules reading other rules' outcomes, in any file order.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

TEST_CASE("raised: a rule reads another rule's outcome, whichever comes first in the file") {
  const auto rs =
      load_rules("rules:\n" + rule("drift.both", "raised(\"drift.a\") && raised(\"drift.b\")") +
                 rule("drift.a", "case.a == true") + rule("drift.b", "case.b == true"));
  CHECK(flag_ids(evaluate(*rs, R"({"a": true, "b": true})", "2024-06-03")) ==
        std::vector<std::string>{"drift.a", "drift.b", "drift.both"});
  CHECK(flag_ids(evaluate(*rs, R"({"a": true, "b": false})", "2024-06-03")) ==
        std::vector<std::string>{"drift.a"});
}

TEST_CASE("raised: a rule waiting on an undetermined rule is undetermined too, naming it") {
  const auto rs = load_rules("rules:\n" + rule("drift.late", "case.late == true") +
                             rule("drift.escalate", "raised(\"drift.late\")"));
  const Result r = evaluate(*rs, "{}", "2024-06-03");
  CHECK(r.flags.empty());
  CHECK(undetermined_ids(r) == std::vector<std::string>{"drift.escalate", "drift.late"});
  const Undetermined* u = find_undetermined(r, "drift.escalate");
  REQUIRE(u != nullptr);
  CHECK(u->depends_on == "drift.late");
  CHECK(u->path == "/late");
}

TEST_CASE("raised: && and || absorb an undetermined rule when the other side decides") {
  const auto rs = load_rules("rules:\n" + rule("drift.late", "case.late == true") +
                             rule("drift.either", "raised(\"drift.late\") || case.other == true"));
  const Result r = evaluate(*rs, R"({"other": true})", "2024-06-03");
  CHECK(flag_ids(r) == std::vector<std::string>{"drift.either"});
  CHECK(undetermined_ids(r) == std::vector<std::string>{"drift.late"});
}

TEST_CASE("raised: a rule outside its effective window reads as not raised") {
  const auto rs =
      load_rules("rules:\n" + rule("new.rule", "true", "    effective_from: 2024-04-01\n") +
                 rule("uses.new", "!raised(\"new.rule\")"));
  CHECK(flag_ids(evaluate(*rs, "{}", "2024-03-31")) == std::vector<std::string>{"uses.new"});
  CHECK(flag_ids(evaluate(*rs, "{}", "2024-04-01")) == std::vector<std::string>{"new.rule"});
}
