// Embedding safeguard in a C++ host: load a rule set, evaluate cases from several threads,
// reload the rules while they run.
//
//   embed-cpp RULES_DIR CASE.json [AS_OF]
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include <safeguard/safeguard.hpp>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: embed-cpp RULES_DIR CASE.json [AS_OF]\n";
    return 2;
  }
  const std::string rules_dir = argv[1];
  std::ifstream in(argv[2], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string snapshot = text.str();

  // Load once. Problems come back as diagnostics (file:line:col, message, hint), all of
  // them, never as exceptions.
  safeguard::LoadResult loaded = safeguard::RuleSet::load(rules_dir);
  if (!loaded.ok()) {
    std::cerr << safeguard::format(loaded.diagnostics);
    return 2;
  }
  std::cerr << "safeguard " << safeguard::version() << ", rule set " << loaded.rule_set->info().name
            << " " << loaded.rule_set->info().version << "\n";

  // A LiveRuleSet lets the host swap in new rules while evaluations go on.
  safeguard::LiveRuleSet live(loaded.rule_set);

  safeguard::EvalOptions options;
  options.as_of = argc > 3 ? argv[3] : "2024-06-03";  // results never depend on the clock

  // Any number of threads may evaluate at once; the rule set is immutable.
  std::mutex print;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const safeguard::Result result = live.evaluate(snapshot, options);
      std::lock_guard<std::mutex> lock(print);
      if (!result.evaluated) {
        std::cerr << "thread " << t << ": " << safeguard::format(result.errors);
        return;
      }
      std::cerr << "thread " << t << ": level " << result.level.id << ", " << result.flags.size()
                << " flag(s), " << result.undetermined.size() << " undetermined\n";
    });
  }
  // Meanwhile, reload (here: the same directory). On failure the old rules stay in use.
  const safeguard::LoadResult reloaded = live.reload(rules_dir);
  if (!reloaded.ok()) std::cerr << safeguard::format(reloaded.diagnostics);
  for (auto& t : threads) t.join();

  // The stable JSON form (docs/result-json.md), the same as the C ABI and the CLI give.
  const safeguard::Result result = live.evaluate(snapshot, options);
  std::cout << result.to_json() << "\n";
  return result.evaluated ? 0 : 1;
}
