// Explain and the evaluation budget: the explanations of one evaluation share a bounded
// budget of their own (each explained rule runs again), and a rule whose explanation does
// not reach the outcome the rule was judged on is left unexplained rather than explained
// as something it was not.
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

// `count` rules reading one definition that costs about 1,700 steps on kCase, under a
// budget of 1,000 steps: the first rule to read it spends the evaluation's budget.
std::shared_ptr<const RuleSet> starved_rules(int count) {
  std::string rules = "definitions:\n  pairs: case.xs.all(a, case.xs.all(b, a + b >= 0))\nrules:\n";
  for (int i = 0; i < count; ++i) {
    const std::string id = "pairs.r" + std::to_string(i);
    rules += "  - id: " + id + "\n    title: Pairs\n    severity: low\n    when: pairs\n" +
             "    actions:\n      - {id: act, text: Act, owner: social_worker, due: as_of}\n";
  }
  LoadOptions options;
  options.limits.max_evaluation_steps = 1000;
  LoadResult loaded = RuleSet::load({{"ruleset.yaml", kManifest}, {"rules.yaml", rules}}, options);
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  return loaded.rule_set;
}

std::string case_with_xs(int n) {
  std::string xs;
  for (int i = 0; i < n; ++i) xs += (i > 0 ? "," : "") + std::to_string(i);
  return R"({"xs": [)" + xs + "]}";
}

}  // namespace

TEST_CASE("explain: a rule undetermined by the budget is not explained as held") {
  const auto rs = starved_rules(1);
  const Result r = evaluate(*rs, case_with_xs(40), "2024-06-03", true);
  REQUIRE(r.flags.empty());
  REQUIRE(r.undetermined.size() == 1);
  // Run alone with the larger explain budget, the condition holds: that would explain an
  // outcome the evaluation never reached.
  for (const ExplainStep& step : r.undetermined[0].explain) CHECK(step.outcome != "true");
}

TEST_CASE("explain: the explanations of an evaluation share one budget") {
  const auto rs = starved_rules(30);
  // About 6,500 steps: more than four times the budget, so even a rule run alone with the
  // explain budget is undetermined, and its explanation agrees with its outcome.
  const Result r = evaluate(*rs, case_with_xs(80), "2024-06-03", true);
  REQUIRE(r.undetermined.size() == 30);
  REQUIRE(!r.undetermined[0].explain.empty());
  // Four times the evaluation's budget in all: the first explanation spends it, the rest
  // are not run (each would have cost as much again).
  int explained = 0;
  for (const Undetermined& u : r.undetermined) explained += u.explain.empty() ? 0 : 1;
  CHECK(explained == 1);
  // Within the budget, explanations are whole and agree with the outcome.
  const Result small = evaluate(*rs, case_with_xs(3), "2024-06-03", true);
  REQUIRE(small.flags.size() == 30);
  for (const Flag& f : small.flags) {
    REQUIRE(!f.explain.empty());
    CHECK(f.explain[0].outcome == "true");
  }
}
