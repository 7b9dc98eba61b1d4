// Missing data is never read as "no": a condition that cannot be decided makes its rule
// undetermined, with the field path and a reason, unless the rule guards with has().
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

TEST_CASE("undetermined: an absent field gives its path and reason 'missing'") {
  const auto rs = load_rules("rules:\n" + rule("child.disabled", "case.child.disabled == true"));
  const Result r = evaluate(*rs, R"({"child": {}})", "2024-06-03");
  CHECK(r.flags.empty());
  REQUIRE(r.undetermined.size() == 1);
  const Undetermined& u = r.undetermined[0];
  CHECK(u.id == "child.disabled");
  CHECK(u.kind == "rule");
  CHECK(u.reason == "missing");
  CHECK(u.path == "/child/disabled");
  CHECK(!u.message.empty());

  // A missing parent object names the first missing step.
  const Result parent = evaluate(*rs, "{}", "2024-06-03");
  REQUIRE(parent.undetermined.size() == 1);
  CHECK(parent.undetermined[0].path == "/child");
}

TEST_CASE("undetermined: has() guards make absence a decision") {
  const auto rs =
      load_rules("rules:\n" +
                 rule("child.disabled", "has(case.child.disabled) && case.child.disabled == true") +
                 rule("child.no-dob", "!has(case.child.date_of_birth)"));
  const Result r = evaluate(*rs, R"({"child": {}})", "2024-06-03");
  CHECK(r.undetermined.empty());
  CHECK(flag_ids(r) == std::vector<std::string>{"child.no-dob"});
}

TEST_CASE("undetermined: a null value cannot be compared as if it were false") {
  const auto rs =
      load_rules("rules:\n" + rule("child.disabled", "case.child.disabled == true"), true);
  const Result r = evaluate(*rs, R"({"child": {"disabled": null}})", "2024-06-03");
  // null == true is a valid CEL comparison (false): null is a value, not missing data.
  CHECK(r.undetermined.empty());
  CHECK(r.flags.empty());

  const auto arithmetic =
      load_rules("rules:\n" + rule("child.missing", "case.child.missing_episodes > 2"), true);
  const Result n = evaluate(*arithmetic, R"({"child": {"missing_episodes": null}})", "2024-06-03");
  REQUIRE(n.undetermined.size() == 1);
  CHECK(n.undetermined[0].path == "/child/missing_episodes");
}

TEST_CASE(
    "undetermined: a value of the wrong type is a schema violation and makes the rule "
    "undetermined") {
  const auto rs =
      load_rules("rules:\n" + rule("child.disabled", "case.child.disabled == true"), true);
  const Result r = evaluate(*rs, R"({"child": {"disabled": "yes"}})", "2024-06-03");
  CHECK(r.flags.empty());
  REQUIRE(r.undetermined.size() == 1);
  CHECK(r.undetermined[0].path == "/child/disabled");
  CHECK(r.undetermined[0].reason != "missing");
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].path == "/child/disabled");
}

TEST_CASE("undetermined: paths inside lists name the item") {
  const auto rs = load_rules(
      "rules:\n" + rule("contacts.late", "case.contacts.exists(c, date(c.received_at) < as_of)"));
  const Result r = evaluate(
      *rs, R"({"contacts": [{"id": "K1", "received_at": "2024-01-02T09:00:00Z"}, {"id": "K2"}]})",
      "2024-01-01");
  REQUIRE(r.undetermined.size() == 1);
  CHECK(r.undetermined[0].path == "/contacts/1/received_at");
  // When another item decides the question, the gap does not matter.
  const Result decided = evaluate(
      *rs, R"({"contacts": [{"id": "K1", "received_at": "2024-01-02T09:00:00Z"}, {"id": "K2"}]})",
      "2024-06-03");
  CHECK(flag_ids(decided) == std::vector<std::string>{"contacts.late"});
  CHECK(decided.undetermined.empty());
}

TEST_CASE("undetermined: messages and JSON never carry case values") {
  const auto rs = load_rules("rules:\n" +
                             rule("child.named", "case.child.name.startsWith(case.child.initial)"));
  const Result r = evaluate(*rs, R"({"child": {"name": "Zebedee-Secret"}})", "2024-06-03");
  REQUIRE(r.undetermined.size() == 1);
  CHECK(r.undetermined[0].path == "/child/initial");
  CHECK(r.to_json().find("Zebedee") == std::string::npos);
  CHECK(to_text(r).find("Zebedee") == std::string::npos);
}

TEST_CASE("undetermined: says where in the rule files the condition failed") {
  // Each rule() is 6 lines after "rules:"; a `when` expression starts in column 12.
  const auto rs = load_rules(
      "rules:\n" + rule("child.disabled", "size(case.contacts) > 0 && case.child.disabled") +
      rule("child.ratio", "10 / case.child.episodes > 2") +
      rule("child.both", "raised(\"child.disabled\")"));
  const Result r = evaluate(*rs, R"({"contacts": [1], "child": {"episodes": 0}})", "2024-06-03");
  REQUIRE(r.undetermined.size() == 3);
  // Sorted by id: child.both, child.disabled, child.ratio.
  const Undetermined& both = r.undetermined[0];
  const Undetermined& disabled = r.undetermined[1];
  const Undetermined& ratio = r.undetermined[2];
  CHECK(disabled.id == "child.disabled");
  CHECK(disabled.at == "rules.yaml:5:49");  // the '.' of .disabled
  CHECK(ratio.reason == "divide-by-zero");
  CHECK(ratio.at == "rules.yaml:11:15");  // the '/'
  // Through raised(): where the other rule failed.
  CHECK(both.depends_on == "child.disabled");
  CHECK(both.at == disabled.at);
  CHECK(r.to_json().find("\"at\":\"rules.yaml:5:49\"") != std::string::npos);
}

TEST_CASE("undetermined: a rule that runs out of budget says which loop it was in") {
  const auto rs = load_rules("rules:\n" + rule("contacts.pairs",
                                               "case.contacts.exists(a, case.contacts.exists(b, "
                                               "case.contacts.exists(c, a + b + c < 0)))"));
  std::string contacts;
  for (int i = 0; i < 200; ++i) contacts += (i == 0 ? "" : ",") + std::to_string(i);
  // 200^3 steps against the default budget of 5 million.
  const Result r = evaluate(*rs, R"({"contacts": [)" + contacts + "]}", "2024-06-03");
  REQUIRE(r.undetermined.size() == 1);
  CHECK(r.undetermined[0].reason == "budget-exceeded");
  CHECK(r.undetermined[0].at == "rules.yaml:5:25");  // the outer .exists: every level ran out
}

TEST_CASE("undetermined: a value the schema rejected is located where the rule read it") {
  const auto rs =
      load_rules("rules:\n" + rule("child.missing",
                                   "size(case.contacts) >= 0 && case.child.missing_episodes > 2"),
                 true);
  const Result r =
      evaluate(*rs, R"({"contacts": [], "child": {"missing_episodes": "three"}})", "2024-06-03");
  REQUIRE(r.undetermined.size() == 1);
  CHECK(r.undetermined[0].path == "/child/missing_episodes");
  CHECK(r.undetermined[0].at == "rules.yaml:5:50");  // the '.' of .missing_episodes
  CHECK(r.to_json().find("three") == std::string::npos);
}

TEST_CASE("undetermined: a problem with the whole snapshot is named so in text") {
  const auto rs = load_rules("rules:\n" + rule("child.flag", "case.flag == true"));
  const Result r = evaluate(*rs, R"({"flag": true, "flag": false})", "2024-06-03");
  const auto root = std::find_if(r.violations.begin(), r.violations.end(),
                                 [](const Violation& v) { return v.path.empty(); });
  REQUIRE(root != r.violations.end());
  // The root's JSON Pointer is "", which printed as a bare ": is an object ...".
  CHECK(to_text(r).find("  (the snapshot): is an object") != std::string::npos);
}

TEST_CASE("undetermined: a rule that runs out of memory says where, even with none left") {
  // The memory-exceeded error is made when nothing more can be allocated, so locating it
  // needs room outside the evaluation's budget.
  std::vector<RuleFileText> files;
  files.push_back({"ruleset.yaml", kManifest});
  files.push_back(
      {"rules.yaml", "rules:\n" +
                         rule("contacts.pairs",
                              "case.contacts.map(a, case.contacts.map(b, [a, b, a, b]))"
                              ".size() > 0") +
                         rule("contacts.text",
                              "case.contacts.map(a, case.contacts.map(b, string(a) + string(b)))"
                              ".size() > 0")});
  LoadOptions options;
  options.limits.max_evaluation_bytes = 4096;
  const LoadResult loaded = RuleSet::load(std::move(files), options);
  REQUIRE(loaded.ok());
  std::string contacts;
  for (int i = 0; i < 100; ++i) contacts += (i == 0 ? "" : ",") + std::to_string(i);
  const Result r = evaluate(*loaded.rule_set, R"({"contacts": [)" + contacts + "]}", "2024-06-03");
  REQUIRE(r.undetermined.size() == 2);
  CHECK(r.undetermined[0].id == "contacts.pairs");
  CHECK(r.undetermined[0].reason == "memory-exceeded");
  CHECK(r.undetermined[0].at == "rules.yaml:5:54");  // the list literal '['
  CHECK(r.undetermined[1].id == "contacts.text");
  CHECK(r.undetermined[1].reason == "memory-exceeded");
  CHECK(!r.undetermined[1].at.empty());
}

TEST_CASE("undetermined: the site is written afresh into an entry reused from another case") {
  // A thread's Result keeps its entries' storage between cases: each entry's `at` must be
  // its own site, whether the entry held a longer or a shorter one before; a path with
  // characters JSON escapes is escaped in the result JSON. (Column 16: the '.' of case.x.)
  std::vector<RuleFileText> files;
  files.push_back({"ruleset.yaml", kManifest});
  files.push_back({"r.yaml", "rules:\n" + rule("a.short", "case.a == 1")});
  files.push_back({"some \"long\" name for more rules.yaml",
                   "rules:\n" + rule("b.long", "case.b == 1") + rule("c.long", "case.c == 1")});
  LoadResult loaded = RuleSet::load(std::move(files));
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  const RuleSet& rs = *loaded.rule_set;
  const std::string long_path = "some \"long\" name for more rules.yaml";
  EvalOptions options;
  options.as_of = "2024-06-03";
  Result r;
  for (int round = 0; round < 2; ++round) {
    // b and c undetermined, then a alone: a's entry is b's from before, and so on.
    rs.evaluate_into(R"({"a": 0})", options, r);
    REQUIRE(r.undetermined.size() == 2);
    CHECK(r.undetermined[0].at == long_path + ":5:16");
    CHECK(r.undetermined[1].at == long_path + ":11:16");
    CHECK(r.undetermined[1].path == "/c");
    rs.evaluate_into(R"({"b": 0, "c": 0})", options, r);
    REQUIRE(r.undetermined.size() == 1);
    CHECK(r.undetermined[0].at == "r.yaml:5:16");
    // The description's texts, moved into the entry, are this case's too.
    CHECK(r.undetermined[0].id == "a.short");
    CHECK(r.undetermined[0].reason == "missing");
    CHECK(r.undetermined[0].path == "/a");
    CHECK(!r.undetermined[0].message.empty());
    CHECK(r.undetermined[0].depends_on.empty());
    rs.evaluate_into("{}", options, r);
    REQUIRE(r.undetermined.size() == 3);
    CHECK(r.undetermined[0].at == "r.yaml:5:16");
    CHECK(r.undetermined[1].at == long_path + ":5:16");
  }
  std::string json;
  REQUIRE(rs.evaluate_json(R"({"a": 0})", options, json));
  CHECK(json.find(R"("at":"some \"long\" name for more rules.yaml:11:16")") != std::string::npos);
  CHECK(json == rs.evaluate(R"({"a": 0})", options).to_json());
}
