// RuleSet::evaluate_json writes the compact result JSON straight from the evaluation,
// without a Result: it must append, for every input and option, the bytes that
// evaluate(...).write_json(out) appends, and an outline that agrees with that Result.
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../../../bench/case_gen.hpp"
#include "rule_set_fixture.hpp"
#include "safeguard/live_rule_set.hpp"
#include "safeguard/safeguard.h"
#include "time/date.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

// What evaluate_json appends and says, against the Result path.
void check_json(const RuleSet& rs, const std::string& snapshot, const EvalOptions& options) {
  const Result r = rs.evaluate(snapshot, options);
  std::string expected = "[\"kept\"]\n";
  r.write_json(expected);
  std::string out = "[\"kept\"]\n";
  ResultOutline outline;
  outline.flags.push_back("left from before");
  const bool evaluated = rs.evaluate_json(snapshot, options, out, &outline);
  CHECK(evaluated == r.evaluated);
  if (out.size() + expected.size() < 100000) {
    CHECK(out == expected);
  } else {
    const bool same = out == expected;
    CHECK(same);
  }
  CHECK(outline.evaluated == r.evaluated);
  if (!r.evaluated) {
    CHECK(outline.level.empty());
    CHECK(outline.flags.empty());
    CHECK(outline.undetermined.empty());
    CHECK(outline.violations == 0);
    return;
  }
  CHECK(outline.level == r.level.id);
  REQUIRE(outline.flags.size() == r.flags.size());
  for (std::size_t i = 0; i < r.flags.size(); ++i) CHECK(outline.flags[i] == r.flags[i].id);
  REQUIRE(outline.undetermined.size() == r.undetermined.size());
  for (std::size_t i = 0; i < r.undetermined.size(); ++i) {
    CHECK(outline.undetermined[i] == r.undetermined[i].id);
  }
  CHECK(outline.violations == r.violations.size());
  // Without an outline, the same text.
  std::string plain;
  CHECK(rs.evaluate_json(snapshot, options, plain) == r.evaluated);
  CHECK(expected.compare(9, std::string::npos, plain) == 0);
}

EvalOptions options_for(const std::string& as_of) {
  EvalOptions options;
  options.as_of = as_of;
  return options;
}

// `text` with a random change: cut short, or a value replaced by another of any type
// (violations, undetermined rules and facts, text to escape in messages and facts).
std::string mutated(std::string text, std::mt19937_64& rng) {
  static const char* const kValues[] = {"null",
                                        "17",
                                        "-1.5e300",
                                        "9007199254740993",
                                        "true",
                                        "[]",
                                        "{}",
                                        "\"\"",
                                        "\"x\\\"y\\\\z\\u0001 caf\\u00e9 \\ud83d\\ude00\"",
                                        "\"2024-02-30\"",
                                        "\"not a date\"",
                                        "[1,\"a\",null]",
                                        "{\"k\":[{}]}",
                                        "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""};
  const int changes = 1 + static_cast<int>(rng() % 6);
  for (int c = 0; c < changes; ++c) {
    if (rng() % 25 == 0) {
      text.resize(rng() % text.size());
      return text;
    }
    // A value after a key: a string, number or literal (not an object or array).
    const std::size_t from = rng() % text.size();
    const std::size_t key = text.find("\":", from);
    if (key == std::string::npos) continue;
    const std::size_t begin = key + 2;
    std::size_t end = begin;
    if (text[begin] == '"') {
      end = text.find('"', begin + 1);
      if (end == std::string::npos) continue;
      ++end;
    } else if (text[begin] != '{' && text[begin] != '[') {
      end = text.find_first_of(",}]", begin);
      if (end == std::string::npos) continue;
    } else {
      continue;
    }
    text.replace(begin, end - begin, kValues[rng() % (sizeof kValues / sizeof *kValues)]);
  }
  return text;
}

// Rules whose own texts need escaping, facts and due dates that fail, and thresholds left
// undetermined above the level found.
const char* const kRules = R"(
rules:
  - id: contacts.many
    title: "Many \"contacts\" \\ caf\u00e9\ttab"
    severity: high
    category: front-door
    source: "Working Together 2023, \u00a7 4 \u0001"
    when: size(case.contacts) >= 2
    facts:
      count: size(case.contacts)
      ids: case.contacts.map(c, c.id)
      first: date(case.contacts[0].received_at)
    message: "{count} contacts: {ids}, \"first\" {first}"
    actions:
      - {id: review, text: "Review the \"contacts\"", owner: "team \"manager\"", due: 'date(case.contacts[0].received_at)'}
      - {id: visit, text: Visit the child, owner: social_worker, due: 'add_days(as_of, 3)'}
  - id: contacts.last
    title: Last contact
    severity: medium
    category: front-door
    when: size(case.contacts) >= 1
    facts:
      last: date(case.contacts[size(case.contacts) - 1].received_at)
    actions:
      - {id: review, text: Another text, owner: duty, due: 'date(case.contacts[size(case.contacts) - 1].received_at)'}
      - {id: call, text: Call, owner: duty}
  - id: child.named
    title: Named child
    severity: low
    when: has(case.child.name) && size(case.child.name) > 0
    facts:
      name: case.child.name
      born: case.child.date_of_birth
    message: "named {name}"
  - id: child.missing
    title: Missing episodes
    severity: critical
    category: missing
    when: case.child.missing_episodes > 2
    facts:
      episodes: case.child.missing_episodes
    actions:
      - {id: visit, text: Visit the child, owner: social_worker, due: 'date(case.child.date_of_birth)'}
thresholds:
  - id: level.cp.missing
    level: child_protection
    when: raised("child.missing")
  - id: level.cin.many
    level: child_in_need
    when: raised("contacts.many")
  - id: level.cin.last
    level: child_in_need
    when: raised("contacts.last")
  - id: level.eh.named
    level: early_help
    when: raised("child.named")
)";

const char* const kCases[] = {
    R"({})",
    R"({"child": {"name": "Sam \"S\" caf\u00e9", "missing_episodes": 3, "date_of_birth": "2015-02-03"},
        "contacts": [{"id": "c1", "received_at": "2024-05-20T09:00:00Z"},
                     {"id": "c2\n", "received_at": "2024-05-28T10:00:00Z"}]})",
    // Due dates and facts that cannot be worked out; undetermined thresholds above the level.
    R"({"child": {"name": "Jo", "missing_episodes": "many", "date_of_birth": "2015-02-30"},
        "contacts": [{"id": "c1", "received_at": "not a date"},
                     {"id": "c2", "received_at": "2024-05-28T10:00:00Z"},
                     {"id": "c3", "received_at": null}]})",
    R"({"child": {"missing_episodes": 4, "date_of_birth": null}, "contacts": [{"id": 7}]})",
    R"({"child": {"name": ""}, "contacts": [], "contacts": []})",
    R"({"schema": "another/1"})",
    R"([1, 2])",
    R"({"child": )",
};

}  // namespace

TEST_CASE("evaluate_json: the bytes of write_json, with the rule set's texts escaped at load") {
  const auto rs = load_rules(kRules, true);
  EvalOptions unchecked = options_for("2024-06-03");
  unchecked.validate = false;
  EvalOptions scotland = options_for("2024-06-03");
  scotland.calendar = Calendar::built_in("scotland");
  REQUIRE(scotland.calendar != nullptr);
  EvalOptions explained = options_for("2024-06-03");
  explained.explain = true;
  EvalOptions values = explained;
  values.show_values = true;
  const EvalOptions bad_date = options_for("2024-02-30");
  for (const char* json : kCases) {
    INFO(json);
    for (const EvalOptions& options :
         {options_for("2024-06-03"), unchecked, scotland, explained, values, bad_date}) {
      check_json(*rs, json, options);
    }
  }
  // The cases did reach what they are there for.
  const Result r = rs->evaluate(kCases[2], options_for("2024-06-03"));
  bool due_undetermined = false;
  for (const Action& a : r.actions)
    due_undetermined = due_undetermined || !a.due_undetermined.empty();
  CHECK(due_undetermined);
  CHECK(r.to_json().find("\"facts_undetermined\"") != std::string::npos);
  CHECK(!r.undetermined.empty());
  CHECK(rs->evaluate(kCases[1], options_for("2024-06-03")).to_json().find("\\\"contacts\\\"") !=
        std::string::npos);
}

TEST_CASE("evaluate_json: a live rule set writes its current rule set's bytes") {
  const auto rs = load_rules(kRules, true);
  const LoadResult pack = RuleSet::load(std::string(SAFEGUARD_SOURCE_DIR) + "/rules");
  REQUIRE(pack.ok());
  EvalOptions explained = options_for("2024-06-03");
  explained.explain = true;
  LiveRuleSet live(rs);
  const auto check_live = [&](const RuleSet& current) {
    for (const EvalOptions& options :
         {options_for("2024-06-03"), explained, options_for("2024-02-30")}) {
      for (const char* json : {kCases[0], kCases[1], kCases[2], "{x"}) {
        INFO(json);
        std::string expected = "kept\n";
        const bool evaluated = current.evaluate_json(json, options, expected);
        std::string out = "kept\n";
        CHECK(live.evaluate_json(json, options, out) == evaluated);
        CHECK(out == expected);
      }
    }
  };
  check_live(*rs);
  std::string before;
  live.evaluate_json(kCases[0], options_for("2024-06-03"), before);
  REQUIRE(live.replace(pack.rule_set));
  check_live(*pack.rule_set);
  std::string after;
  live.evaluate_json(kCases[0], options_for("2024-06-03"), after);
  CHECK(after != before);
  // Created without a rule set: the {"errors": ...} form of what evaluate() gives.
  const LiveRuleSet none(nullptr);
  std::string out = "kept\n";
  CHECK_FALSE(none.evaluate_json(kCases[0], options_for("2024-06-03"), out));
  std::string expected = "kept\n";
  none.evaluate(kCases[0], options_for("2024-06-03")).write_json(expected);
  CHECK(out == expected);
  CHECK(out.find("live.no-rule-set") != std::string::npos);
}

TEST_CASE("evaluate_json: the C ABI's diagnostics for a snapshot that cannot be evaluated") {
  // The C ABI takes them from its one evaluation (evaluate_json_or_errors, or the Result
  // of pretty JSON); they must be what evaluate() gives, for every form of its call.
  // Snapshots must say which schema they follow: one that says another is refused.
  const std::string manifest =
      std::string(kManifest) + "schema: case.schema.json\nsnapshot_schema: safeguarding-case/1\n";
  LoadResult loaded = RuleSet::load(
      {{"ruleset.yaml", manifest}, {"case.schema.json", kSchema}, {"rules.yaml", kRules}});
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  const auto rs = loaded.rule_set;
  const safeguard_file files[] = {{"ruleset.yaml", manifest.c_str(), manifest.size()},
                                  {"case.schema.json", kSchema, SAFEGUARD_NUL_TERMINATED},
                                  {"rules.yaml", kRules, SAFEGUARD_NUL_TERMINATED}};
  safeguard_rules* rules = nullptr;
  REQUIRE(safeguard_rules_load_files(files, 3, 0, &rules, nullptr) == SAFEGUARD_OK);
  // kCases, with one that can be evaluated and more that cannot: empty, invalid UTF-8,
  // nested too deep.
  std::vector<std::string> cases(std::begin(kCases), std::end(kCases));
  cases.push_back(R"({"schema": "safeguarding-case/1", "child": {"name": "Jo"}})");
  cases.push_back("");
  cases.push_back("{\"child\": {\"name\": \"\xff\"}}");
  cases.push_back("{\"child\": " + std::string(5000, '[') + std::string(5000, ']') + "}");
  std::set<std::string> codes;
  for (int round = 0; round < 2; ++round) {  // the thread's reused state, filled again
    for (const std::string& text : cases) {
      const char* json = text.c_str();
      for (const char* as_of : {"2024-06-03", "2024-02-30"}) {
        for (const unsigned flags :
             {0u, unsigned{SAFEGUARD_EVAL_EXPLAIN}, unsigned{SAFEGUARD_EVAL_PRETTY},
              unsigned{SAFEGUARD_EVAL_EXPLAIN | SAFEGUARD_EVAL_PRETTY},
              unsigned{SAFEGUARD_EVAL_NO_VALIDATE}}) {
          INFO(json << " as of " << as_of << ", flags " << flags);
          EvalOptions options = options_for(as_of);
          options.explain = (flags & SAFEGUARD_EVAL_EXPLAIN) != 0;
          options.validate = (flags & SAFEGUARD_EVAL_NO_VALIDATE) == 0;
          const Result r = rs->evaluate(json, options);
          char* result = nullptr;
          safeguard_error* error = nullptr;
          const safeguard_status status = safeguard_evaluate(
              rules, json, SAFEGUARD_NUL_TERMINATED, as_of, flags, &result, nullptr, &error);
          if (r.evaluated) {
            CHECK(status == SAFEGUARD_OK);
          } else {
            REQUIRE(!r.errors.empty());
            codes.insert(r.errors[0].code);
            CHECK(status == (r.errors[0].code == "input.as-of" ? SAFEGUARD_ERROR_ARGUMENT
                                                               : SAFEGUARD_ERROR_SNAPSHOT));
            CHECK(result == nullptr);
            REQUIRE(error != nullptr);
            CHECK(safeguard_error_status(error) == status);
            CHECK(safeguard_error_diagnostic_count(error) == r.errors.size());
            std::string expected = format(r.errors);
            if (expected.empty() || expected.back() != '\n') expected += '\n';
            CHECK(safeguard_error_message(error) == expected);
          }
          safeguard_string_free(result);
          safeguard_error_free(error);
        }
      }
    }
  }
  safeguard_rules_free(rules);
  // Malformed, not an object, of another schema, a bad date: all reached.
  CHECK(codes == std::set<std::string>{"input.as-of", "snapshot.json", "snapshot.not-object",
                                       "snapshot.schema"});
}

TEST_CASE("evaluate_json: due dates outside years 1-9999 written and ordered as their text") {
  // A day as a time zone's date can fall just outside years 1-9999, where a date's text
  // has a sign or a fifth digit of the year: it orders as text, not as a day number, and
  // the JSON writer, which writes dates from day numbers, writes the same text.
  const auto rs = load_rules(R"(
rules:
  - id: dates.edge
    title: Dates at the edges
    severity: low
    when: case.flag == true
    actions:
      - {id: late, text: Late, owner: o, due: 'date(timestamp("9999-12-31T23:30:00Z"), "+01:00")'}
      - {id: soon, text: Soon, owner: o, due: 'add_days(as_of, 1)'}
      - {id: early, text: Early, owner: o, due: 'date(timestamp("0001-01-01T00:00:00Z"), "-05:00")'}
      - {id: none, text: None, owner: o}
  - id: dates.other
    title: Dates again
    severity: low
    when: case.flag == true
    actions:
      - {id: soon, text: Soon, owner: o, due: 'date(timestamp("9999-12-31T23:30:00Z"), "+01:00")'}
      - {id: late, text: Late, owner: o, due: 'add_days(as_of, 2)'}
)");
  const Result r = evaluate(*rs, R"({"flag": true})", "2024-06-03");
  REQUIRE(r.actions.size() == 4);
  CHECK(r.actions[0].id == "early");
  CHECK(r.actions[0].due == "0000-12-31");
  // Of "10000-01-01" and each rule's 2024 date, the first as text; then by id.
  CHECK(r.actions[1].id == "late");
  CHECK(r.actions[1].due == "10000-01-01");
  CHECK(r.actions[2].id == "soon");
  CHECK(r.actions[2].due == "10000-01-01");
  CHECK(r.actions[3].id == "none");
  CHECK(r.actions[3].due.empty());
  check_json(*rs, R"({"flag": true})", options_for("2024-06-03"));
}

TEST_CASE("evaluate_json: budgets run out, facts too large, a rule set without schema") {
  std::string rules = kRules;
  rules.insert(rules.find("thresholds:"), R"(  - id: budget.triples
    title: Triples
    severity: low
    when: 'case.contacts.all(a, case.contacts.all(b, case.contacts.all(c, a.id != "" || b.id != "" || c.id != "")))'
    facts:
      n: size(case.contacts)
)");
  std::string many = R"({"child": {"name": ")" + std::string(3000, 'n') + R"("}, "contacts": [)";
  for (int i = 0; i < 20; ++i) {
    many += std::string(i > 0 ? "," : "") + R"({"id": "c)" + std::to_string(i) +
            R"(", "received_at": "2024-05-20T09:00:00Z"})";
  }
  many += "]}";
  for (const std::uint64_t steps :
       {std::uint64_t{500}, std::uint64_t{2000}, std::uint64_t{100000}}) {
    LoadOptions load;
    load.limits.max_evaluation_steps = steps;
    load.limits.max_evaluation_bytes = 2048;  // the name fact and its message are larger
    LoadResult loaded = RuleSet::load({{"ruleset.yaml", kManifest}, {"rules.yaml", rules}}, load);
    INFO(format(loaded.diagnostics));
    REQUIRE(loaded.ok());
    INFO("steps " << steps);
    for (const char* json : kCases) check_json(*loaded.rule_set, json, options_for("2024-06-03"));
    check_json(*loaded.rule_set, many, options_for("2024-06-03"));
    const Result r = loaded.rule_set->evaluate(many, options_for("2024-06-03"));
    bool budget = false;
    for (const Undetermined& u : r.undetermined) budget = budget || u.reason == "budget-exceeded";
    CHECK(budget == (steps < 100000));
  }
}

TEST_CASE("evaluate_json: the shipped pack over generated and mutated cases") {
  LoadResult loaded = RuleSet::load(std::string(SAFEGUARD_SOURCE_DIR) + "/rules");
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  LoadOptions tight;
  tight.limits.max_evaluation_steps = 20000;
  tight.limits.max_evaluation_bytes = 64;
  LoadResult budgeted = RuleSet::load(std::string(SAFEGUARD_SOURCE_DIR) + "/rules", tight);
  REQUIRE(budgeted.ok());
  const auto as_of = time::parse_date("2024-06-03");
  REQUIRE(as_of);
  const bench::CaseGenerator generator(5, *as_of);
  std::mt19937_64 rng(20261207);
  EvalOptions plain = options_for("2024-06-03");
  EvalOptions unchecked = plain;
  unchecked.validate = false;
  EvalOptions explained = plain;
  explained.explain = true;
  std::size_t flags = 0;
  std::size_t undetermined = 0;
  std::size_t violations = 0;
  std::size_t failed = 0;
  for (std::uint64_t i = 0; i < 300; ++i) {
    std::string text = generator.make(i);
    if (i % 3 != 0) text = mutated(std::move(text), rng);
    INFO("case " << i << ": " << text);
    const RuleSet& rs = i % 10 == 7 ? *budgeted.rule_set : *loaded.rule_set;
    const EvalOptions& options = i % 4 == 1 ? unchecked : i % 25 == 2 ? explained : plain;
    check_json(rs, text, options);
    const Result r = rs.evaluate(text, options);
    flags += r.flags.size();
    undetermined += r.undetermined.size();
    violations += r.violations.size();
    failed += r.evaluated ? 0 : 1;
  }
  CHECK(flags > 300);
  CHECK(undetermined > 30);
  CHECK(violations > 30);
  CHECK(failed > 2);
}
