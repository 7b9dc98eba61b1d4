// A thread keeps its parse buffers between evaluations, sized for the largest snapshot it
// has parsed (about 15 bytes per byte of JSON). After a snapshot over 1 MiB they are given
// back, whichever way it was evaluated, and the next case is evaluated as on a fresh thread.
#include <string>
#include <thread>

#include "engine/impl.hpp"
#include "rule_set_fixture.hpp"

using namespace safeguard;
using namespace safeguard::testing;

namespace {

const char* const kRules = R"yaml(
rules:
  - id: many.nfa
    title: Many contacts closed with no further action
    severity: medium
    when: 'size(case.contacts.filter(c, c.decision == "nfa")) > 2'
    facts:
      closed: size(case.contacts.filter(c, c.decision == "nfa"))
)yaml";

// A snapshot of `contacts` contacts, every third closed with no further action.
std::string snapshot_with(std::size_t contacts) {
  std::string json = R"({"child": {"name": "Alex"}, "contacts": [)";
  for (std::size_t i = 0; i < contacts; ++i) {
    if (i > 0) json += ',';
    json += R"({"id": "C)" + std::to_string(i) + R"(", "received_at": "2024-05-01T09:00:00Z", )";
    json += i % 3 == 0 ? R"("decision": "nfa"})" : R"("decision": null})";
  }
  return json + "]}";
}

EvalOptions as_of_june() {
  EvalOptions options;
  options.as_of = "2024-06-03";
  return options;
}

std::string json_of(const RuleSet& rs, const std::string& snapshot) {
  std::string out;
  rs.evaluate_json(snapshot, as_of_june(), out);
  return out;
}

}  // namespace

TEST_CASE("a thread gives back its parse buffers after a snapshot over 1 MiB") {
  const auto rs = load_rules(kRules, true);
  const std::string large = snapshot_with(20000);
  const std::string small = snapshot_with(7);
  REQUIRE(large.size() > (1u << 20));
  const std::string small_alone = rs->evaluate(small, as_of_june()).to_json(false);
  const std::string large_alone = rs->evaluate(large, as_of_june()).to_json(false);
  REQUIRE(large_alone.find("\"closed\":6667") != std::string::npos);

  std::thread([&] {
    CHECK(json_of(*rs, small) == small_alone);
    CHECK(engine::thread_parse_bytes() > 0);  // a small case's buffers are kept

    CHECK(json_of(*rs, large) == large_alone);
    CHECK(engine::thread_parse_bytes() == 0);
    CHECK(json_of(*rs, small) == small_alone);
    CHECK(engine::thread_parse_bytes() > 0);

    CHECK(rs->evaluate(large, as_of_june()).to_json(false) == large_alone);
    CHECK(engine::thread_parse_bytes() == 0);

    Result reused;
    rs->evaluate_into(small, as_of_june(), reused);
    rs->evaluate_into(large, as_of_june(), reused);
    CHECK(reused.to_json(false) == large_alone);
    CHECK(engine::thread_parse_bytes() == 0);

    // A parsed Snapshot is evaluated on a copy of its tape, the thread's too.
    const SnapshotParse parsed = Snapshot::parse(large);
    REQUIRE(parsed.ok());
    rs->evaluate_into(small, as_of_june(), reused);
    CHECK(engine::thread_parse_bytes() > 0);
    CHECK(rs->evaluate(*parsed.snapshot, as_of_june()).to_json(false) == large_alone);
    CHECK(engine::thread_parse_bytes() == 0);

    // The next large case allocates them again.
    CHECK(json_of(*rs, large) == large_alone);
    CHECK(json_of(*rs, small) == small_alone);
  }).join();
}

TEST_CASE("a snapshot over 1 MiB that is not JSON gives back the buffers too") {
  const auto rs = load_rules(kRules, true);
  std::string broken = snapshot_with(20000);
  broken.back() = ',';
  std::thread([&] {
    CHECK(json_of(*rs, snapshot_with(7)).find("many.nfa") != std::string::npos);
    const Result r = rs->evaluate(broken, as_of_june());
    CHECK_FALSE(r.evaluated);
    CHECK(engine::thread_parse_bytes() == 0);
  }).join();
}
