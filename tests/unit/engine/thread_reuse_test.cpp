// A thread keeps its evaluation frame (slots, cached-value marks, the memo of function
// calls) and its result scratch between evaluations, whatever rule set they are for. Rule
// sets of different sizes evaluated in turn on one thread, and on several threads at once,
// must give the bytes each gives on a thread of its own.
#include <array>
#include <thread>

#include "../read_text.hpp"
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

// Loops calling functions with parameters (hoisted per run of a loop), nested loops, and
// definitions read from inside loops; facts, messages and actions shared between rules.
const char* const kLoops = R"yaml(
functions:
  recent(c, d): 'date(c.received_at) > add_days(d, -60)'
  count_recent(d): 'size(case.contacts.filter(c, recent(c, d) && c.decision != "nfa"))'
  pairs(k): 'case.contacts.map(a, case.contacts.filter(b, date(b.received_at) > add_days(date(a.received_at), k)).size())'
rules:
  - id: loops.recent
    title: Recent contacts
    severity: high
    when: 'count_recent(as_of) > 0 && case.contacts.all(c, count_recent(date(c.received_at)) >= 0)'
    facts:
      recent: count_recent(as_of)
      pairs: pairs(7)
    message: "{recent} recent"
    actions:
      - {id: shared, text: Shared, owner: social_worker, due: 'add_days(as_of, count_recent(as_of))'}
  - id: loops.pairs
    title: Pairs
    severity: medium
    when: 'pairs(1).exists(n, n > 0) || pairs(30).all(n, n == 0)'
    facts:
      later: pairs(1)
    actions:
      - {id: shared, text: Shared, owner: social_worker, due: as_of}
      - {id: own, text: Own, owner: team_manager}
  - id: loops.bad
    title: Undetermined inside a loop
    severity: low
    when: 'case.contacts.exists(c, c.decision == "nfa" && 10 / (count_recent(as_of) - count_recent(as_of)) > 0)'
)yaml";

const char* const kSmall = R"yaml(
rules:
  - id: small.named
    title: Named
    severity: low
    when: 'has(case.child.name) && case.child.name.size() > 2'
    facts:
      name_length: case.child.name.size()
)yaml";

const std::array<const char*, 4> kCases = {
    R"({"child": {"name": "Alex", "date_of_birth": "2015-03-01"}, "contacts": [
        {"id": "C1", "received_at": "2024-05-01T09:00:00Z", "decision": null},
        {"id": "C2", "received_at": "2024-05-20T09:00:00Z", "decision": "nfa"},
        {"id": "C3", "received_at": "2024-03-01T09:00:00Z"}]})",
    R"({"child": {"name": "Jo"}, "contacts": [
        {"id": "C1", "received_at": "2024-05-30T09:00:00Z", "decision": "nfa"},
        {"id": "C2", "received_at": "2024-05-31T09:00:00Z"}]})",
    // A value the schema rejects (decision must be a string or null) and a missing date.
    R"({"child": {"name": 7}, "contacts": [
        {"id": "C1", "received_at": "2024-05-30T09:00:00Z", "decision": 3},
        {"id": "C2"}]})",
    R"({"contacts": []})",
};

struct Job {
  const RuleSet* rule_set;
  std::string snapshot;
  bool explain;
  bool validate;
};

std::string run(const Job& job) {
  EvalOptions options;
  options.as_of = "2024-06-03";
  options.explain = job.explain;
  options.validate = job.validate;
  return job.rule_set->evaluate(job.snapshot, options).to_json(false);
}

}  // namespace

TEST_CASE("rule sets evaluated in turn on one thread give what each gives alone") {
  const auto loops = load_rules(kLoops, true);
  const auto loops_unchecked = load_rules(kLoops, false);
  const auto small = load_rules(kSmall, true);
  LoadResult pack = RuleSet::load(std::string(SAFEGUARD_SOURCE_DIR) + "/rules");
  INFO(format(pack.diagnostics));
  REQUIRE(pack.ok());
  const std::string example = safeguard::test::read_text(
      std::string(SAFEGUARD_SOURCE_DIR) + "/examples/cases/09-neglect-escalation.json");
  REQUIRE_FALSE(example.empty());

  std::vector<Job> jobs;
  for (const RuleSet* rs : {loops.get(), small.get(), pack.rule_set.get(), loops_unchecked.get()}) {
    std::vector<std::string> snapshots(kCases.begin(), kCases.end());
    snapshots.push_back(example);
    for (const std::string& snapshot : snapshots) {
      for (const bool explain : {false, true}) {
        for (const bool validate : {true, false})
          jobs.push_back(Job{rs, snapshot, explain, validate});
      }
    }
  }
  // Each job alone, on a thread that has evaluated nothing before.
  std::vector<std::string> alone(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    std::thread([&, i] { alone[i] = run(jobs[i]); }).join();
  }
  // Interleaved on this thread: the large pack's frame, then a small rule set's, and back.
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const std::size_t k = round == 0 ? i : (i * 7 + 3) % jobs.size();
      INFO("job " << k);
      CHECK(run(jobs[k]) == alone[k]);
    }
  }
  // And on four threads at once, each in its own order.
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < jobs.size() * 2; ++i) {
        const std::size_t k = (i * (2 * t + 3) + t) % jobs.size();
        if (run(jobs[k]) != alone[k]) ++mismatches[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  CHECK(mismatches == std::vector<int>(4, 0));
  // The loops rule set raises, leaves undetermined, and shares an action, so the
  // comparison covers the result scratch.
  CHECK(alone[0].find("\"loops.recent\"") != std::string::npos);
  CHECK(alone[0].find("\"loops.bad\"") != std::string::npos);
}
