// What each rule of a rule set costs: for finding the rule to rewrite, or the engine
// feature to speed up, when a pack is slower than expected.
//
//   ./build/release/bench/rule_cost_bench [--rules DIR] [--count N] [--as-of YYYY-MM-DD]
//
// Over N generated cases (case_gen.hpp, parsed and validated once, not timed), each rule
// and threshold condition is evaluated alone on a fresh frame, so its figure includes the
// definitions it uses (which, in a full evaluation, other rules may already have paid
// for). Then all conditions together on one frame, as the engine runs them, and the whole
// RuleSet::evaluate (parse, validation, conditions, and facts, messages and actions of the
// raised rules). Figures are CPU microseconds per case, sorted by cost.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "case_gen.hpp"
#include "engine/impl.hpp"
#include "safeguard/rule_set.hpp"
#include "time/date.hpp"

namespace {

using namespace safeguard;

struct Root {
  std::string id;
  std::uint32_t root;
  double us = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::string rules_dir = bench::source_dir() + "/../rules";
  std::string as_of = "2024-06-03";
  long count = 2000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--rules") && i + 1 < argc)
      rules_dir = argv[++i];
    else if (!std::strcmp(argv[i], "--count") && i + 1 < argc)
      count = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--as-of") && i + 1 < argc)
      as_of = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--rules DIR] [--count N] [--as-of YYYY-MM-DD]\n", argv[0]);
      return 2;
    }
  }
  const auto day = time::parse_date(as_of);
  LoadResult loaded = RuleSet::load(rules_dir);
  if (!day || !loaded.ok()) {
    std::fprintf(stderr, "%s", format(loaded.diagnostics).c_str());
    return 2;
  }
  const RuleSet::Impl& impl = loaded.rule_set->impl();
  const ruleset::CompiledRuleSet& rs = *impl.compiled;
  const cel::Program& program = *rs.program;

  const bench::CaseGenerator generator(1, *day);
  std::vector<std::string> texts;
  std::vector<std::unique_ptr<snapshot::ParsedJson>> cases;
  snapshot::JsonParser parser;
  for (long i = 0; i < count; ++i) {
    texts.push_back(generator.make(static_cast<std::uint64_t>(i)));
    auto json = std::make_unique<snapshot::ParsedJson>();
    snapshot::JsonError error;
    if (!parser.parse(texts.back(), *json, &error)) return 2;
    if (rs.schema) rs.schema->validate(*json);
    cases.push_back(std::move(json));
  }

  cel::Frame frame;
  auto prepare = [&](const snapshot::ParsedJson& json) {
    program.prepare(
        frame, cel::EvalLimits{rs.limits.max_evaluation_steps, rs.limits.max_evaluation_bytes});
    frame.doc = json.doc();
    frame.as_of = *day;
    frame.calendar = rs.default_calendar.get();
    frame.calendars = &impl.calendars;
    frame.slots()[rs.case_slot] = cel::json_value(json.doc(), json.doc()->root);
    frame.slots()[rs.as_of_slot] = cel::Value::date(*day);
  };

  std::vector<Root> roots;
  for (const auto& r : rs.rules) roots.push_back({r.id, r.root});
  for (const auto& t : rs.thresholds) roots.push_back({t.id + " (threshold)", t.root});
  double sum = 0;
  for (Root& r : roots) {
    const double start = bench::thread_cpu_ns();
    for (const auto& json : cases) {
      prepare(*json);
      program.root(r.root)->eval(frame);
    }
    r.us = (bench::thread_cpu_ns() - start) / 1e3 / static_cast<double>(count);
    sum += r.us;
  }
  std::sort(roots.begin(), roots.end(), [](const Root& a, const Root& b) { return a.us > b.us; });

  double start = bench::thread_cpu_ns();
  for (const auto& json : cases) {
    prepare(*json);
    for (const Root& r : roots) program.root(r.root)->eval(frame);
  }
  const double together = (bench::thread_cpu_ns() - start) / 1e3 / static_cast<double>(count);

  EvalOptions options;
  options.as_of = as_of;
  start = bench::thread_cpu_ns();
  for (const auto& text : texts) loaded.rule_set->evaluate(text, options);
  const double whole = (bench::thread_cpu_ns() - start) / 1e3 / static_cast<double>(count);

  std::printf("%zu conditions over %ld cases, CPU us per case, each alone on a fresh frame:\n",
              roots.size(), count);
  for (const Root& r : roots) std::printf("  %8.3f  %s\n", r.us, r.id.c_str());
  std::printf(
      "sum of the above: %.2f us; all conditions on one frame: %.2f us; "
      "RuleSet::evaluate (parse + validate + conditions + results): %.2f us\n",
      sum, together, whole);
  return 0;
}
