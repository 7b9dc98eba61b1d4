// RuleSet::evaluate_into fills a caller's Result again, reusing its storage: whatever the
// Result held before (a larger case, an explanation, an error, junk in every field), it
// must afterwards equal, field for field, what evaluate() returns for the same arguments.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../../../bench/case_gen.hpp"
#include "../replaced_new.hpp"
#include "engine/refill.hpp"
#include "rule_set_fixture.hpp"
#include "safeguard/live_rule_set.hpp"
#include "safeguard/snapshot.hpp"
#include "time/date.hpp"

using namespace safeguard;
using namespace safeguard::testing;

// Allocation failure on demand, for this thread only: the allocation after `fail_after`
// more throws std::bad_alloc (-1: never).
namespace {
thread_local long fail_after = -1;
}  // namespace

void* allocate_for_test(std::size_t n) {
  if (fail_after >= 0 && fail_after-- == 0) throw std::bad_alloc();
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}

namespace {

// Every public field, so that a field the refill forgot is caught even where to_json()
// does not write it.
void require_same(const std::string& a, const std::string& b);
void require_same(const Fact& a, const Fact& b);
void require_same(const Undetermined& a, const Undetermined& b);
void require_same(const Flag& a, const Flag& b);
void require_same(const Action& a, const Action& b);
void require_same(const Violation& a, const Violation& b);

void require_same(const Diagnostic& a, const Diagnostic& b) {
  CHECK(a.severity == b.severity);
  CHECK(a.code == b.code);
  CHECK(a.file == b.file);
  CHECK(a.line == b.line);
  CHECK(a.column == b.column);
  CHECK(a.message == b.message);
  CHECK(a.hint == b.hint);
  CHECK(a.source_line == b.source_line);
  CHECK(a.caret_length == b.caret_length);
}

void require_same(const ExplainStep& a, const ExplainStep& b) {
  CHECK(a.expression == b.expression);
  CHECK(a.within == b.within);
  CHECK(a.outcome == b.outcome);
  CHECK(a.times_true == b.times_true);
  CHECK(a.times_false == b.times_false);
  CHECK(a.times_undetermined == b.times_undetermined);
  CHECK(a.times_default == b.times_default);
  CHECK(a.value_json == b.value_json);
}

template <typename T>
void require_same(const std::vector<T>& a, const std::vector<T>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) require_same(a[i], b[i]);
}

void require_same(const std::string& a, const std::string& b) {
  CHECK(a == b);
}

void require_same(const Undetermined& a, const Undetermined& b) {
  CHECK(a.id == b.id);
  CHECK(a.kind == b.kind);
  CHECK(a.reason == b.reason);
  CHECK(a.path == b.path);
  CHECK(a.message == b.message);
  CHECK(a.depends_on == b.depends_on);
  require_same(a.explain, b.explain);
  CHECK(a.at == b.at);
}

void require_same(const Fact& a, const Fact& b) {
  CHECK(a.name == b.name);
  CHECK(a.value_json == b.value_json);
  CHECK(a.determined == b.determined);
}

void require_same(const Flag& a, const Flag& b) {
  CHECK(a.id == b.id);
  CHECK(a.severity == b.severity);
  CHECK(a.category == b.category);
  CHECK(a.title == b.title);
  CHECK(a.message == b.message);
  require_same(a.facts, b.facts);
  require_same(a.actions, b.actions);
  CHECK(a.source == b.source);
  CHECK(a.file == b.file);
  CHECK(a.line == b.line);
  require_same(a.explain, b.explain);
}

void require_same(const Action& a, const Action& b) {
  CHECK(a.id == b.id);
  CHECK(a.text == b.text);
  CHECK(a.owner == b.owner);
  CHECK(a.due == b.due);
  require_same(a.flags, b.flags);
  require_same(a.due_undetermined, b.due_undetermined);
}

void require_same(const Violation& a, const Violation& b) {
  CHECK(a.path == b.path);
  CHECK(a.code == b.code);
  CHECK(a.expected == b.expected);
  CHECK(a.message == b.message);
}

void require_same(const Result& a, const Result& b) {
  CHECK(a.evaluated == b.evaluated);
  require_same(a.errors, b.errors);
  CHECK(a.as_of == b.as_of);
  CHECK(a.ruleset.name == b.ruleset.name);
  CHECK(a.ruleset.version == b.ruleset.version);
  CHECK(a.ruleset.fingerprint == b.ruleset.fingerprint);
  CHECK(a.ruleset.calendars == b.ruleset.calendars);
  CHECK(a.level.id == b.level.id);
  require_same(a.level.reasons, b.level.reasons);
  REQUIRE(a.level.explain.size() == b.level.explain.size());
  for (std::size_t i = 0; i < a.level.explain.size(); ++i) {
    require_same(a.level.explain[i], b.level.explain[i]);
  }
  require_same(a.flags, b.flags);
  require_same(a.actions, b.actions);
  require_same(a.undetermined, b.undetermined);
  require_same(a.violations, b.violations);
  CHECK(a.to_json() == b.to_json());
  CHECK(a.to_json(true) == b.to_json(true));
  CHECK(to_text(a) == to_text(b));
}

// Fills `r` into `out` and checks it against a fresh evaluation of the same arguments.
void check_into(const RuleSet& rs, const std::string& json, const EvalOptions& options,
                Result& out) {
  rs.evaluate_into(json, options, out);
  const Result fresh = rs.evaluate(json, options);
  require_same(out, fresh);
}

EvalOptions options_for(const std::string& as_of, bool explain = false, bool values = false) {
  EvalOptions options;
  options.as_of = as_of;
  options.explain = explain;
  options.show_values = values;
  return options;
}

// Rules with facts, messages and actions (some with a due date that can fail), one that
// missing data leaves undetermined, and thresholds at three levels, over the fixture's
// schema.
const char* const kRules = R"(
rules:
  - id: contacts.many
    title: Many contacts
    severity: high
    category: front-door
    source: Working Together 2023
    when: size(case.contacts) >= 2
    facts:
      count: size(case.contacts)
      ids: case.contacts.map(c, c.id)
      decisions: 'case.contacts.map(c, has(c.decision) && c.decision != null ? c.decision : "none")'
    message: "{count} contacts: {ids}"
    actions:
      - {id: review, text: Review the contacts, owner: team_manager, due: 'add_days(as_of, size(case.contacts))'}
      - {id: visit, text: Visit the child, owner: social_worker}
  - id: contacts.recent
    title: Recent contact
    severity: medium
    category: front-door
    when: case.contacts.exists(c, date(c.received_at) > add_days(as_of, -30))
    facts:
      first: date(case.contacts[0].received_at)
    actions:
      - {id: review, text: Review the contacts, owner: team_manager, due: 'date(case.contacts[size(case.contacts) - 1].received_at)'}
  - id: contacts.dated
    title: Closed contacts dated
    severity: medium
    when: 'has(case.contacts) && case.contacts.all(c, c.decision != "nfa" || date(c.received_at) < as_of)'
  - id: child.odd
    title: A condition that gives a name, not true or false
    severity: low
    when: 'has(case.child.name) && case.child.name == "Alexandra" ? dyn(case.child.name) : false'
  - id: child.named
    title: Named child
    severity: low
    when: has(case.child.name) && size(case.child.name) > 0
    facts:
      name_length: size(case.child.name)
    message: "a name of {name_length} letters"
  - id: child.missing
    title: Missing episodes
    severity: critical
    category: missing
    source: Statutory guidance on children who run away or go missing
    when: case.child.missing_episodes > 2
    facts:
      episodes: case.child.missing_episodes
      born: case.child.date_of_birth
    message: "{episodes} episodes"
    actions:
      - {id: return-interview, text: Return home interview, owner: social_worker, due: 'add_working_days(as_of, 3)'}
      - {id: visit, text: Visit the child, owner: social_worker, due: 'date(case.child.date_of_birth)'}
thresholds:
  - id: level.cp.missing
    level: child_protection
    when: raised("child.missing")
  - id: level.cin.many
    level: child_in_need
    when: raised("contacts.many")
  - id: level.cin.recent
    level: child_in_need
    when: raised("contacts.recent") && raised("contacts.many")
  - id: level.eh.named
    level: early_help
    when: raised("child.named")
)";

// Everything raised, with facts, actions from several flags, undetermined thresholds and
// rules, violations.
const char* const kLarge = R"({
  "child": {"name": "Alexandra", "missing_episodes": 5, "date_of_birth": "2015-02-30"},
  "contacts": [
    {"id": "c1", "received_at": "2024-05-20T09:00:00Z", "decision": "s47"},
    {"id": "c2", "received_at": "2024-05-28T10:00:00Z", "decision": null},
    {"id": "c3", "received_at": "not a date", "decision": "nfa"},
    {"id": "c4", "received_at": "2024-05-30T10:00:00Z"}
  ]
})";

// Everything raised and determined, no violations.
const char* const kMedium = R"({
  "child": {"name": "Sam", "missing_episodes": 3, "date_of_birth": "2015-02-03"},
  "contacts": [
    {"id": "c1", "received_at": "2024-05-20T09:00:00Z", "decision": "s47"},
    {"id": "c2", "received_at": "2024-05-28T10:00:00Z", "decision": null}
  ]
})";

// One flag, one fact, no actions.
const char* const kSmall = R"({"child": {"name": "Jo", "missing_episodes": 0}, "contacts": []})";

// Nothing at all.
const char* const kEmpty = R"({})";

}  // namespace

TEST_CASE("evaluate_into: a result filled again keeps nothing of a larger case before") {
  const auto rs = load_rules(kRules, true);
  const EvalOptions options = options_for("2024-06-03");
  Result out;
  check_into(*rs, kLarge, options, out);
  // The large case has what the others must not inherit.
  REQUIRE(out.flags.size() == 4);
  REQUIRE(!out.violations.empty());
  REQUIRE(!out.undetermined.empty());
  REQUIRE(out.actions.size() == 3);
  REQUIRE(out.level.id == "child_protection");
  check_into(*rs, kSmall, options, out);
  CHECK(out.flags.size() == 2);
  CHECK(out.actions.empty());
  CHECK(out.violations.empty());
  CHECK(out.undetermined.empty());
  CHECK(out.level.id == "early_help");
  check_into(*rs, kEmpty, options, out);
  CHECK(out.flags.empty());
  CHECK(out.level.reasons.empty());
  // And back up, past the sizes the smaller cases left.
  check_into(*rs, kMedium, options, out);
  check_into(*rs, kLarge, options, out);
  check_into(*rs, kMedium, options, out);
  check_into(*rs, kLarge, options_for("2025-01-01"), out);
}

TEST_CASE("evaluate_into: explanations and shown values are not kept for a plain evaluation") {
  const auto rs = load_rules(kRules, true);
  Result out;
  check_into(*rs, kLarge, options_for("2024-06-03", true, true), out);
  REQUIRE(!out.flags.front().explain.empty());
  REQUIRE(!out.level.explain.empty());
  check_into(*rs, kLarge, options_for("2024-06-03"), out);
  for (const auto& f : out.flags) CHECK(f.explain.empty());
  for (const auto& u : out.undetermined) CHECK(u.explain.empty());
  CHECK(out.level.explain.empty());
  check_into(*rs, kMedium, options_for("2024-06-03", true), out);
  check_into(*rs, kSmall, options_for("2024-06-03", true, true), out);
}

TEST_CASE("evaluate_into: every field set before is replaced, even those evaluate never sets") {
  const auto rs = load_rules(kRules, true);
  const EvalOptions options = options_for("2024-06-03");
  // Junk in every field, including the ones a fresh result leaves at their defaults
  // (a diagnostic's hint, an action's undetermined due dates, explain steps).
  ExplainStep step{"x > 1", "definition y", "true", 1, 2, 3, 4, "5"};
  Undetermined junk_u{"u.id", "rule", "missing", "/x", "junk", "other", {step}, "f.yaml:1:2"};
  Diagnostic junk_d;
  junk_d.severity = Severity::kWarning;
  junk_d.code = "junk";
  junk_d.file = "junk.yaml";
  junk_d.line = 7;
  junk_d.column = 8;
  junk_d.message = "junk";
  junk_d.hint = "junk hint";
  junk_d.source_line = "junk line";
  junk_d.caret_length = 9;
  Flag junk_f;
  junk_f.id = "junk.flag";
  junk_f.severity = "critical";
  junk_f.category = "junk";
  junk_f.title = "Junk";
  junk_f.message = "junk message";
  junk_f.facts = {Fact{"junk", "\"junk\"", false}, Fact{"more", "1", true}};
  junk_f.actions = {"junk-action", "another", "third"};
  junk_f.source = "junk source";
  junk_f.file = "junk.yaml";
  junk_f.line = 99;
  junk_f.explain = {step, step};
  Action junk_a{"junk-action",        "Junk",          "junk_owner", "2099-01-01",
                {"a", "b", "c", "d"}, {junk_u, junk_u}};
  Violation junk_v{"/junk", "schema.junk", "junk", "junk"};

  for (const char* json : {kLarge, kMedium, kSmall, kEmpty, "[1, 2]", "{not json"}) {
    Result out;
    out.evaluated = true;
    out.errors = {junk_d, junk_d};
    out.as_of = "1999-12-31";
    out.ruleset = RuleSetInfo{"junk", "0", "abc", "def"};
    out.level = LevelOfNeed{"junk_level", {"r1", "r2", "r3"}, {{step}, {step}, {step}}};
    out.flags.assign(6, junk_f);
    out.actions.assign(5, junk_a);
    out.undetermined.assign(5, junk_u);
    out.violations.assign(5, junk_v);
    INFO(json);
    check_into(*rs, json, options, out);
  }
}

TEST_CASE("evaluate_into: snapshots that cannot be evaluated, between good ones") {
  const auto rs = load_rules(kRules, true);
  const EvalOptions options = options_for("2024-06-03");
  Result out;
  check_into(*rs, kLarge, options, out);
  check_into(*rs, "{\"child\": ", options, out);  // not JSON
  CHECK(!out.evaluated);
  CHECK(out.flags.empty());
  CHECK(out.errors.size() == 1);
  check_into(*rs, kMedium, options, out);
  CHECK(out.errors.empty());
  check_into(*rs, "[1, 2]", options, out);  // not an object
  CHECK(!out.evaluated);
  check_into(*rs, kLarge, options, out);
  check_into(*rs, kLarge, options_for("2024-02-30"), out);  // not a date
  CHECK(!out.evaluated);
  CHECK(out.violations.empty());
  check_into(*rs, kLarge, options, out);
}

TEST_CASE("evaluate_into: a declared schema the rule set does not read, between good ones") {
  std::vector<RuleFileText> files = {
      {"ruleset.yaml", std::string(kManifest) + "snapshot_schema: https://example.org/case/v1\n"},
      {"rules.yaml", kRules}};
  LoadResult loaded = RuleSet::load(std::move(files));
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  const EvalOptions options = options_for("2024-06-03");
  Result out;
  check_into(*loaded.rule_set, kLarge, options, out);
  check_into(*loaded.rule_set, R"({"schema": "https://example.org/other", "contacts": []})",
             options, out);
  CHECK(!out.evaluated);
  check_into(*loaded.rule_set, kMedium, options, out);
}

TEST_CASE("evaluate_into: a case that runs out of budget, between good ones") {
  std::string rules = kRules;
  rules.insert(rules.find("thresholds:"), R"(  - id: budget.pairs
    title: Pairs
    severity: low
    when: 'case.contacts.all(a, case.contacts.all(b, case.contacts.all(c, a.id != "" || b.id != "" || c.id != "")))'
    facts:
      n: size(case.contacts)
)");
  LoadOptions load;
  load.limits.max_evaluation_steps = 2000;
  LoadResult loaded = RuleSet::load({{"ruleset.yaml", kManifest}, {"rules.yaml", rules}}, load);
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  const RuleSet& rs = *loaded.rule_set;
  std::string many = R"({"contacts": [)";
  for (int i = 0; i < 20; ++i) {
    many += std::string(i > 0 ? "," : "") + R"({"id": "c)" + std::to_string(i) +
            R"(", "received_at": "2024-05-20T09:00:00Z"})";
  }
  many += "]}";
  const EvalOptions options = options_for("2024-06-03");
  Result out;
  check_into(rs, kLarge, options, out);
  check_into(rs, many, options, out);
  const Undetermined* u = find_undetermined(out, "budget.pairs");
  REQUIRE(u != nullptr);
  CHECK(u->reason == "budget-exceeded");
  check_into(rs, kSmall, options, out);
  check_into(rs, many, options_for("2024-06-03", true), out);
  check_into(rs, kMedium, options, out);
}

TEST_CASE("evaluate_into: parsed snapshots and the live rule set fill again the same way") {
  const auto rs = load_rules(kRules, true);
  const EvalOptions options = options_for("2024-06-03");
  Result out;
  for (const char* json : {kLarge, kSmall, kMedium, kEmpty, kLarge}) {
    const SnapshotParse parsed = Snapshot::parse(json);
    REQUIRE(parsed.ok());
    rs->evaluate_into(*parsed.snapshot, options, out);
    require_same(out, rs->evaluate(*parsed.snapshot, options));
  }
  LiveRuleSet live(rs);
  for (const char* json : {kLarge, "{x", kSmall, kMedium}) {
    live.evaluate_into(json, options, out);
    require_same(out, live.evaluate(json, options));
  }
}

TEST_CASE("evaluate_into: the shipped pack over generated cases in shuffled order") {
  LoadResult loaded = RuleSet::load(std::string(SAFEGUARD_SOURCE_DIR) + "/rules");
  INFO(format(loaded.diagnostics));
  REQUIRE(loaded.ok());
  const RuleSet& rs = *loaded.rule_set;
  const auto as_of = time::parse_date("2024-06-03");
  REQUIRE(as_of);
  const bench::CaseGenerator generator(7, *as_of);
  std::vector<std::string> cases;
  std::mt19937_64 rng(20241206);
  for (std::uint64_t i = 0; i < 60; ++i) {
    std::string text = generator.make(i);
    // Some broken: cut short (not JSON), or with a field of the wrong type (violations,
    // undetermined rules).
    switch (rng() % 8) {
      case 0:
        text.resize(text.size() / 2);
        break;
      case 1: {
        const std::size_t at = text.find("\"received_at\":");
        if (at != std::string::npos) text.insert(at + 14, "17, \"was\":");
        break;
      }
      default:
        break;
    }
    cases.push_back(std::move(text));
  }
  cases.push_back("{}");
  cases.push_back("[]");
  std::size_t raised = 0;
  std::size_t failed = 0;
  Result out;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::size_t> order(cases.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    for (const std::size_t i : order) {
      INFO("case " << i << ", round " << round);
      // Now and then explained, so explanations come and go too.
      const EvalOptions options = options_for("2024-06-03", rng() % 10 == 0);
      check_into(rs, cases[i], options, out);
      raised += out.flags.size();
      failed += out.evaluated ? 0 : 1;
    }
  }
  // The corpus did exercise the refill: flags came and went, and so did errors.
  CHECK(raised > 100);
  CHECK(failed > 3);
}

TEST_CASE("evaluate_into: validation off, another default calendar, and back") {
  const auto rs = load_rules(kRules, true);
  EvalOptions plain = options_for("2024-06-03");
  EvalOptions unchecked = plain;
  unchecked.validate = false;
  EvalOptions scotland = plain;
  scotland.calendar = Calendar::built_in("scotland");
  REQUIRE(scotland.calendar != nullptr);
  Result out;
  check_into(*rs, kLarge, plain, out);
  REQUIRE(!out.violations.empty());
  check_into(*rs, kLarge, unchecked, out);
  check_into(*rs, kLarge, scotland, out);
  CHECK(out.ruleset.calendars != rs->info().calendars);
  check_into(*rs, kLarge, plain, out);
  CHECK(out.ruleset.calendars == rs->info().calendars);
  check_into(*rs, kMedium, unchecked, out);
  check_into(*rs, "{x", scotland, out);
  check_into(*rs, kMedium, scotland, out);
}

TEST_CASE("evaluate_into: a result of another rule set, or of a live rule set reloaded") {
  const auto a = load_rules(kRules, true);
  const auto b = load_rules(
      "rules:\n  - id: other\n    title: Other\n    severity: high\n    when: true\n"
      "    facts: {x: 1}\n    actions: [{id: call, text: Call, owner: duty}]\n");
  const EvalOptions options = options_for("2024-06-03");
  Result out;
  check_into(*a, kLarge, options, out);
  check_into(*b, kLarge, options, out);
  CHECK(out.ruleset.fingerprint == b->info().fingerprint);
  check_into(*a, kSmall, options, out);
  check_into(*b, "[]", options, out);
  check_into(*a, kLarge, options_for("2024-06-03", true, true), out);
  check_into(*b, kEmpty, options, out);

  LiveRuleSet live(a);
  live.evaluate_into(kLarge, options, out);
  require_same(out, a->evaluate(kLarge, options));
  LoadResult reloaded =
      live.reload({{"ruleset.yaml", kManifest},
                   {"rules.yaml", "rules:\n  - {id: z, title: Z, severity: low, when: 'true'}\n"}});
  INFO(format(reloaded.diagnostics));
  REQUIRE(reloaded.ok());
  live.evaluate_into(kLarge, options, out);
  require_same(out, live.current()->evaluate(kLarge, options));
  CHECK(out.flags.size() == 1);
}

TEST_CASE("evaluate_into: a moved-from result, and one filled on another thread") {
  const auto rs = load_rules(kRules, true);
  const EvalOptions options = options_for("2024-06-03", true, true);
  Result out;
  check_into(*rs, kLarge, options, out);
  Result taken = std::move(out);
  check_into(*rs, kSmall, options, out);  // NOLINT(bugprone-use-after-move): the point
  check_into(*rs, kLarge, options, taken);
  // Each thread keeps its own spare elements: a result moves between them freely.
  std::thread([&] {
    check_into(*rs, kEmpty, options, taken);
    check_into(*rs, kMedium, options_for("2024-06-03"), out);
  }).join();
  check_into(*rs, kLarge, options, taken);
  check_into(*rs, kLarge, options, out);
  std::thread([&] { check_into(*rs, kSmall, options, out); }).join();
}

namespace {

// A case larger than any before, so that the parser's buffers grow too.
std::string case_of_200_contacts() {
  std::string many = R"({"child": {"name": "Alexandra", "missing_episodes": 5}, "contacts": [)";
  for (int i = 0; i < 200; ++i) {
    many += std::string(i > 0 ? "," : "") + R"({"id": "c)" + std::to_string(i) +
            R"(", "received_at": "2024-05-2)" + std::to_string(i % 10) + R"(T09:00:00Z"})";
  }
  many += "]}";
  return many;
}

}  // namespace

TEST_CASE("evaluate_into: an allocation that fails leaves a default result, at any point") {
  const auto rs = load_rules(kRules, true);
  const std::string many = case_of_200_contacts();
  const Result fresh_default;
  for (const bool explain : {false, true}) {
    const EvalOptions options = options_for("2024-06-03", explain, explain);
    bool completed = false;
    long n = 0;
    for (; !completed && n < 100000; ++n) {
      Result out;
      rs->evaluate_into(kLarge, options, out);
      const SnapshotParse parsed = Snapshot::parse(many + " ");
      REQUIRE(parsed.ok());
      const std::string text = many + std::string(static_cast<std::size_t>(n % 7), ' ');
      for (const int form : {0, 1}) {
        bool threw = false;
        fail_after = n;
        try {
          if (form == 0) {
            rs->evaluate_into(text, options, out);
          } else {
            rs->evaluate_into(*parsed.snapshot, options, out);
          }
        } catch (const std::bad_alloc&) {
          threw = true;
        }
        const bool reached = fail_after < 0;
        fail_after = -1;
        INFO("allocation " << n << (form == 0 ? ", text" : ", parsed") << ", explain " << explain);
        if (threw) {
          require_same(out, fresh_default);
          rs->evaluate_into(kLarge, options, out);  // filled again for the other form
        } else if (!reached) {
          completed = completed || form == 0;
          require_same(out, rs->evaluate(many, options));
        } else if (!out.evaluated) {
          // The JSON parser's allocations do not throw: it says it ran out of memory.
          REQUIRE(out.errors.size() == 1);
          CHECK(out.errors[0].code == "snapshot.json");
          Result refused;
          refused.errors = out.errors;
          refused.as_of = options.as_of;
          refused.ruleset = rs->info();
          require_same(out, refused);
          rs->evaluate_into(kLarge, options, out);
        }
        // Otherwise an allocation that may fail (std::nothrow) did: the evaluation went on
        // without it, as it would in a real shortage.
      }
    }
    CHECK(completed);
    CHECK(n > 10);  // the sweep reached past the parser
  }
}

TEST_CASE("evaluate_into: a flag and an action prepared for fill keep their texts' storage") {
  // fill() sets every field of a flag and an action itself, so prepare() only sizes their
  // lists and drops an explanation: the texts are not cleared first (that was undone at
  // once), and the spares still give elements with their storage.
  engine::Spares spares;
  Flag flag;
  flag.title = std::string(100, 't');
  flag.facts.resize(3);
  flag.facts[0].name = std::string(40, 'n');
  flag.facts[2].value_json = std::string(40, 'v');
  flag.actions = {"a", "b"};
  flag.explain.resize(2);
  engine::prepare(flag, 2, 1, spares);
  CHECK(flag.facts.size() == 2);
  CHECK(flag.actions.size() == 1);
  CHECK(flag.explain.empty());
  CHECK(flag.title.size() == 100);
  CHECK(flag.facts[0].name.size() == 40);
  REQUIRE(spares.facts.size() == 1);
  CHECK(spares.facts[0].value_json.capacity() >= 40);
  engine::prepare(flag, 3, 1, spares);
  CHECK(flag.facts.size() == 3);
  CHECK(spares.facts.empty());

  Action action;
  action.flags = {"x", "y", "z"};
  engine::prepare(action, 1, spares);
  CHECK(action.flags.size() == 1);
  CHECK(spares.strings.size() == 3);  // "b" from the flag, "y" and "z"
}

TEST_CASE("evaluate_into: a reused fact's text holds the new value, null or one too large") {
  // A fact whose text has storage from an earlier case takes the new JSON directly: a
  // value that cannot be worked out, or whose text passes the memory limit (leaving a
  // prefix written there), must still read "null", and a short value must not keep the
  // tail of a longer one.
  std::vector<RuleFileText> files;
  files.push_back({"ruleset.yaml", kManifest});
  files.push_back({"rules.yaml", R"(
rules:
  - id: items.listed
    title: Items
    severity: low
    when: 'true'
    facts:
      items: case.items
      first: case.items[0]
)"});
  LoadOptions load;
  load.limits.max_evaluation_bytes = 256;
  const LoadResult loaded = RuleSet::load(std::move(files), load);
  REQUIRE(loaded.ok());
  const RuleSet& rs = *loaded.rule_set;
  const EvalOptions options = options_for("2024-06-03");
  std::string many;
  for (int i = 0; i < 100; ++i) many += (i == 0 ? "\"" : ",\"") + std::to_string(i) + "\"";
  Result out;
  check_into(rs, R"({"items": ["a long first item", "and a second"]})", options, out);
  REQUIRE(out.flags.size() == 1);
  CHECK(out.flags[0].facts[0].value_json == R"(["a long first item","and a second"])");
  check_into(rs, R"({"items": [1]})", options, out);
  CHECK(out.flags[0].facts[0].value_json == "[1]");
  check_into(rs, R"({"items": ["a long first item", "and a second"]})", options, out);
  check_into(rs, R"({"items": []})", options, out);
  CHECK(out.flags[0].facts[1].value_json == "null");
  CHECK(!out.flags[0].facts[1].determined);
  check_into(rs, R"({"items": ["a long first item", "and a second"]})", options, out);
  check_into(rs, "{\"items\": [" + many + "]}", options, out);
  CHECK(out.flags[0].facts[0].value_json == "null");
  CHECK(!out.flags[0].facts[0].determined);
  CHECK(out.flags[0].facts[1].value_json == R"("0")");
}

TEST_CASE("evaluate_json: raised rules without facts or message, on a thread's first case") {
  // Such a case writes no facts' or messages' text, and a thread's first case starts with
  // that text's buffer unallocated: copying its (empty) facts from a null pointer was
  // undefined behaviour that stopped the sanitizer build.
  std::vector<RuleFileText> files;
  files.push_back({"ruleset.yaml", kManifest});
  files.push_back({"rules.yaml", R"(
rules:
  - id: bare.one
    title: Bare
    severity: low
    when: 'true'
  - id: bare.two
    title: Also bare
    severity: medium
    when: 'true'
)"});
  const LoadResult loaded = RuleSet::load(std::move(files), LoadOptions{});
  REQUIRE(loaded.ok());
  const RuleSet& rs = *loaded.rule_set;
  const EvalOptions options = options_for("2024-06-03");
  std::string expected;
  rs.evaluate("{}", options).write_json(expected);
  std::string out;
  std::thread([&] { rs.evaluate_json("{}", options, out); }).join();
  CHECK(out == expected);
  CHECK(out.find(R"("id":"bare.one")") != std::string::npos);
  CHECK(out.find(R"("id":"bare.two")") != std::string::npos);
}

TEST_CASE("evaluate_json: an allocation that fails leaves the text as it was, at any point") {
  const auto rs = load_rules(kRules, true);
  const std::string many = case_of_200_contacts();
  const std::string before = R"({"earlier":"result"})";
  // The outline's lists grow after the text is written, and an explanation is written in
  // pieces past the first estimate of its size: both used to leave part of a result behind.
  // Each evaluation runs on a thread of its own, whose buffers (the parser's, the facts'
  // and messages' text, the JSON's) all start empty, so that every allocation of their
  // growth is one of the points failed, whatever ran before on the test's thread.
  for (const bool explain : {false, true}) {
    for (const bool with_outline : {false, true}) {
      const EvalOptions options = options_for("2024-06-03", explain, explain);
      std::string expected = before;
      rs->evaluate(many, options).write_json(expected);
      bool completed = false;
      long n = 0;
      for (; !completed && n < 100000; ++n) {
        std::string out = before;
        out.shrink_to_fit();
        bool threw = false;
        bool reached = false;
        std::thread([&] {
          ResultOutline outline;
          fail_after = n;
          try {
            rs->evaluate_json(many, options, out, with_outline ? &outline : nullptr);
          } catch (const std::bad_alloc&) {
            threw = true;
          }
          reached = fail_after < 0;
          fail_after = -1;
        }).join();
        INFO("allocation " << n << ", explain " << explain << ", outline " << with_outline);
        if (threw) {
          CHECK(out == before);
        } else if (!reached) {
          completed = true;
          CHECK(out == expected);
        }
        // Otherwise an allocation that may fail (std::nothrow) did, or the JSON parser said
        // it ran out of memory: either way no exception, and the text is whole JSON.
      }
      CHECK(completed);
      CHECK(n > 10);
    }
  }
}
