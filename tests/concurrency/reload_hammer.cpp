// Hot reload under load: several threads evaluate without pause (LiveRuleSet::evaluate,
// LiveRuleSet::evaluate_json and safeguard_live_evaluate in turn) while another thread
// swaps the rule set back and forth and tries loads that fail. Every result must come
// whole from one rule set version (never a mix), failed loads must change nothing, and
// the ThreadSanitizer build (scripts/test, preset tsan) must report no race.
//
//   reload_hammer RULES_DIR CASES_DIR
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "safeguard/safeguard.h"
#include "safeguard/safeguard.hpp"

namespace {

constexpr int kEvaluators = 4;
constexpr int kMinEvaluationsPerThread = 150;
constexpr int kReloadRounds = 12;

std::atomic<int> failures{0};

void fail(const std::string& what) {
  if (failures.fetch_add(1) < 20) std::cerr << "FAIL: " << what << "\n";
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("fixture lacks '" + from + "'");
  return text.replace(at, from.size(), to);
}

// Version 1.0 (one working day) raises the overdue flag on the case as of 2024-06-03;
// version 2.0 (two working days) does not. A result that mixes them is a torn read.
void check_consistent(const std::string& json) {
  const bool v1 = json.find("\"version\":\"1.0\"") != std::string::npos;
  const bool v2 = json.find("\"version\":\"2.0\"") != std::string::npos;
  const bool flagged = json.find("\"id\":\"front-door.decision-overdue\"") != std::string::npos;
  const bool cp = json.find("\"level\":{\"id\":\"child_protection\"") != std::string::npos;
  if (v1 == v2) return fail("result from no known version: " + json.substr(0, 200));
  if (v1 && !(flagged && cp)) fail("version 1.0 result without its flag and level");
  if (v2 && (flagged || cp)) fail("version 2.0 result with version 1.0's flag or level");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string rules_dir = argv[1];
  const std::string snapshot = read(std::string(argv[2]) + "/overdue.json");
  const std::string manifest = read(rules_dir + "/ruleset.yaml");
  const std::string front_door = read(rules_dir + "/front-door.yaml");
  const std::vector<safeguard::RuleFileText> v2 = {
      {"ruleset.yaml", replaced(manifest, "version: \"1.0\"", "version: \"2.0\"")},
      {"front-door.yaml",
       replaced(front_door, "decision_working_days: 1", "decision_working_days: 2")}};
  const std::vector<safeguard::RuleFileText> broken = {
      {"ruleset.yaml", manifest},
      {"front-door.yaml", replaced(front_door, "when: undecided", "when: undecidd")}};
  std::vector<safeguard_file> v2_c;
  for (const auto& f : v2)
    v2_c.push_back(safeguard_file{f.path.c_str(), f.text.c_str(), f.text.size()});

  auto loaded = safeguard::RuleSet::load(rules_dir);
  if (!loaded.ok()) {
    std::cerr << safeguard::format(loaded.diagnostics);
    return 2;
  }
  safeguard::LiveRuleSet live(loaded.rule_set);
  safeguard_rules* initial = nullptr;
  safeguard_live* live_c = nullptr;
  if (safeguard_rules_load_dir(rules_dir.c_str(), 0, &initial, nullptr) != SAFEGUARD_OK ||
      safeguard_live_create(initial, &live_c, nullptr) != SAFEGUARD_OK) {
    return 2;
  }
  safeguard_rules_free(initial);

  std::atomic<bool> reloads_done{false};
  std::atomic<long> evaluations{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kEvaluators; ++t) {
    threads.emplace_back([&, t] {
      safeguard::EvalOptions options;
      options.as_of = "2024-06-03";
      std::string json;  // kept between evaluate_json calls, as a host keeps it
      for (int i = 0; i < kMinEvaluationsPerThread || !reloads_done.load(); ++i) {
        if ((i + t) % 3 == 0) {
          check_consistent(live.evaluate(snapshot, options).to_json());
        } else if ((i + t) % 3 == 1) {
          json.clear();
          if (!live.evaluate_json(snapshot, options, json)) fail("evaluate_json: not evaluated");
          check_consistent(json);
        } else {
          char* out = nullptr;
          if (safeguard_live_evaluate(live_c, snapshot.data(), snapshot.size(), "2024-06-03", 0,
                                      &out, nullptr, nullptr) != SAFEGUARD_OK) {
            fail("C ABI evaluation failed");
          } else {
            check_consistent(out);
          }
          safeguard_string_free(out);
        }
        // A rule set held across reloads keeps evaluating as itself.
        if (i % 25 == 0) {
          const auto held = live.current();
          const std::string version = held->info().version;
          std::this_thread::yield();
          if (held->evaluate(snapshot, options).ruleset.version != version)
            fail("held rule set changed");
        }
        evaluations.fetch_add(1);
      }
    });
  }

  std::uint64_t expected_generation = 0;
  for (int round = 0; round < kReloadRounds; ++round) {
    if (!live.reload(v2).ok()) fail("version 2.0 did not load");
    if (safeguard_live_reload_files(live_c, v2_c.data(), v2_c.size(), 0, nullptr) != SAFEGUARD_OK) {
      fail("version 2.0 did not load through the C ABI");
    }
    ++expected_generation;
    const auto failed = live.reload(broken);
    if (failed.ok() || !safeguard::has_errors(failed.diagnostics)) fail("a broken rule set loaded");
    if (live.current()->info().version != "2.0") fail("a failed reload changed the rule set");
    safeguard_error* error = nullptr;
    if (safeguard_live_reload_dir(live_c, "/nonexistent/rules", 0, &error) !=
            SAFEGUARD_ERROR_RULES ||
        safeguard_error_diagnostic_count(error) == 0) {
      fail("a missing directory reloaded");
    }
    safeguard_error_free(error);
    if (!live.reload(rules_dir).ok()) fail("version 1.0 did not reload");
    if (safeguard_live_reload_dir(live_c, rules_dir.c_str(), 0, nullptr) != SAFEGUARD_OK) {
      fail("version 1.0 did not reload through the C ABI");
    }
    ++expected_generation;
    if (live.generation() != expected_generation ||
        safeguard_live_generation(live_c) != expected_generation) {
      fail("generation counts a failed reload or misses a good one");
    }
  }
  reloads_done = true;
  for (auto& t : threads) t.join();
  safeguard_live_free(live_c);

  std::cout << "reload_hammer: " << evaluations.load() << " evaluations across "
            << 2 * kReloadRounds << " swaps and " << 2 * kReloadRounds
            << " failed reloads per handle; " << failures.load() << " failure(s)\n";
  return failures.load() == 0 ? 0 : 1;
}
