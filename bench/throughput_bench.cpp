// Batch throughput over a corpus of realistic snapshots, in one run:
//   1. JSON parse only, one thread (the floor: no engine can evaluate without reading);
//   2. parse + evaluation with a rule set (the shipped pack by default), one thread;
//   3. the same on every thread (each takes cases from a shared counter, as `batch` does);
// and, for reference, parse + evaluation + the result as JSON (what `batch` writes).
// Each evaluation figure is given twice: with a new Result per case (RuleSet::evaluate,
// the figure of earlier rounds) and with one Result per thread filled again for every case
// (RuleSet::evaluate_into). The result JSON is given a third way too: written straight
// from the evaluation into one string per thread (RuleSet::evaluate_json, as `batch` does).
//
//   ./build/release/bench/throughput_bench [--cases FILE.jsonl | --count N] [--rules DIR]
//       [--as-of YYYY-MM-DD] [--threads T] [--passes P] [--flags] [--stream N]
//
// Without --cases, N cases (default 20,000) come from case_gen.hpp (seed 1), the same
// corpus as `gen_cases --count N`. --flags prints how many cases raised each flag (the
// corpus must raise every one). --stream N skips the timings and instead evaluates N
// generated cases on all threads without keeping them, reporting the peak resident
// memory: what a long batch run costs in memory, apart from its input.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "case_gen.hpp"
#include "safeguard/rule_set.hpp"
#include "snapshot/parsed_json.hpp"
#include "time/date.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Corpus {
  std::string text;
  std::vector<std::string_view> cases;
  std::size_t bytes = 0;
};

Corpus load_corpus(const char* path, long count, std::int64_t as_of) {
  Corpus c;
  if (path != nullptr) {
    c.text = bench::read_file(path);
  } else {
    const bench::CaseGenerator generator(1, as_of);
    for (long i = 0; i < count; ++i) {
      c.text += generator.make(static_cast<std::uint64_t>(i));
      c.text += '\n';
    }
  }
  std::size_t start = 0;
  while (start < c.text.size()) {
    std::size_t end = c.text.find('\n', start);
    if (end == std::string::npos) end = c.text.size();
    if (end > start) {
      c.cases.emplace_back(c.text.data() + start, end - start);
      c.bytes += end - start;
    }
    start = end + 1;
  }
  return c;
}

struct Timing {
  double wall = 0;  // seconds
  double cpu = 0;   // seconds of CPU time, all threads of the process
};

// Runs `work(thread_index, case_index)` over every case on `threads` threads.
template <typename Work>
Timing run(std::size_t cases, unsigned threads, Work&& work) {
  std::atomic<std::size_t> next{0};
  constexpr std::size_t kChunk = 64;
  const auto start = Clock::now();
  const double cpu_start = bench::process_cpu_ns();
  auto body = [&](unsigned t) {
    for (;;) {
      const std::size_t from = next.fetch_add(kChunk, std::memory_order_relaxed);
      if (from >= cases) break;
      const std::size_t to = std::min(cases, from + kChunk);
      for (std::size_t i = from; i < to; ++i) work(t, i);
    }
  };
  if (threads == 1) {
    body(0);
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(body, t);
    for (auto& th : pool) th.join();
  }
  return Timing{std::chrono::duration<double>(Clock::now() - start).count(),
                (bench::process_cpu_ns() - cpu_start) / 1e9};
}

// Per-core figures come from CPU time (the machine these ran on is shared: the wall clock
// measures the neighbours too); the wall-clock rate is what a batch run would see.
struct Figure {
  bench::Passes cpu;   // CPU seconds per pass, all threads
  bench::Passes wall;  // wall seconds per pass
  double per_core_rate(const Corpus& c) const { return c.cases.size() / cpu.min(); }
  void print(const char* name, const Corpus& c, unsigned threads, double floor_rate) const {
    const double rate = per_core_rate(c);
    std::printf(
        "%-45s %u thr  %8.0f cases/s/core (median %8.0f)  %6.1f MB/s/core  %5.2f us/case  "
        "wall %8.0f cases/s (median %8.0f)",
        name, threads, rate, c.cases.size() / cpu.median(), c.bytes / cpu.min() / 1e6,
        cpu.min() * 1e6 / c.cases.size(), c.cases.size() / wall.min(),
        c.cases.size() / wall.median());
    if (floor_rate > 0) std::printf("  %.2fx of parse-only", rate / floor_rate);
    std::printf("\n");
  }
};

}  // namespace

int main(int argc, char** argv) {
  const char* cases_path = nullptr;
  long count = 20000;
  long stream = 0;
  std::string rules_dir = bench::source_dir() + "/../rules";
  std::string as_of = "2024-06-03";
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  int passes = 5;
  bool print_flags = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--cases") && i + 1 < argc)
      cases_path = argv[++i];
    else if (!std::strcmp(argv[i], "--count") && i + 1 < argc)
      count = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--rules") && i + 1 < argc)
      rules_dir = argv[++i];
    else if (!std::strcmp(argv[i], "--as-of") && i + 1 < argc)
      as_of = argv[++i];
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--passes") && i + 1 < argc)
      passes = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--stream") && i + 1 < argc)
      stream = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--flags"))
      print_flags = true;
    else {
      std::fprintf(
          stderr,
          "usage: %s [--cases FILE.jsonl | --count N] [--rules DIR] [--as-of DATE] [--threads T] "
          "[--passes P] [--flags] [--stream N]\n",
          argv[0]);
      return 2;
    }
  }
  const auto as_of_day = safeguard::time::parse_date(as_of);
  if (!as_of_day) {
    std::fprintf(stderr, "--as-of must be a date written YYYY-MM-DD\n");
    return 2;
  }
  safeguard::LoadResult loaded = safeguard::RuleSet::load(rules_dir);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s", safeguard::format(loaded.diagnostics).c_str());
    return 2;
  }
  const safeguard::RuleSet& rule_set = *loaded.rule_set;
  safeguard::EvalOptions options;
  options.as_of = as_of;

  if (stream > 0) {
    // Memory of a long run: nothing is kept but per-thread scratch and flag counts.
    const bench::CaseGenerator generator(1, *as_of_day);
    std::vector<std::map<std::string, long>> counts(threads);
    const double before = bench::peak_rss_mib();
    const Timing timing =
        run(static_cast<std::size_t>(stream), threads, [&](unsigned t, std::size_t i) {
          const std::string text = generator.make(i);
          const safeguard::Result r = rule_set.evaluate(text, options);
          for (const auto& f : r.flags) ++counts[t][f.id];
        });
    std::printf(
        "streamed %ld generated cases (generation included) on %u threads in %.1f s (%.1f s CPU); "
        "peak RSS %.1f MiB (%.1f MiB after loading the rule set)\n",
        stream, threads, timing.wall, timing.cpu, bench::peak_rss_mib(), before);
    return 0;
  }

  const Corpus corpus = load_corpus(cases_path, count, *as_of_day);
  if (corpus.cases.empty()) {
    std::fprintf(stderr, "no cases\n");
    return 2;
  }
  std::printf("rule set %s %s: %zu rules and thresholds; as of %s\n", rule_set.info().name.c_str(),
              rule_set.info().version.c_str(), rule_set.rules().size(), as_of.c_str());
  std::printf("corpus: %zu cases, %.1f MiB, mean %zu bytes; %d passes each, min (median)\n",
              corpus.cases.size(), corpus.bytes / 1048576.0, corpus.bytes / corpus.cases.size(),
              passes);

  // Check every case evaluates, and count flags.
  std::map<std::string, long> flag_cases;
  std::map<std::string, long> undetermined_cases;
  long not_evaluated = 0;
  long violations = 0;
  for (const auto& text : corpus.cases) {
    const safeguard::Result r = rule_set.evaluate(text, options);
    if (!r.evaluated) ++not_evaluated;
    if (!r.violations.empty()) ++violations;
    for (const auto& f : r.flags) ++flag_cases[f.id];
    for (const auto& u : r.undetermined) ++undetermined_cases[u.id];
    ++flag_cases["level:" + r.level.id];
  }
  if (not_evaluated > 0) std::printf("WARNING: %ld cases were not evaluated\n", not_evaluated);
  if (print_flags) {
    std::printf("cases raising each flag (and undetermined), %ld with schema violations:\n",
                violations);
    for (const auto& info : rule_set.rules()) {
      if (info.kind != "rule") continue;
      std::printf("  %-45s %7ld  (%ld)\n", info.id.c_str(), flag_cases[info.id],
                  undetermined_cases[info.id]);
    }
    for (const auto& level : rule_set.levels()) {
      std::printf("  level %-39s %7ld\n", level.c_str(), flag_cases["level:" + level]);
    }
  }

  std::vector<safeguard::snapshot::JsonParser> parsers(threads);
  std::vector<safeguard::snapshot::ParsedJson> parsed(threads);
  std::atomic<long> sink{0};
  auto parse_only = [&](unsigned t, std::size_t i) {
    safeguard::snapshot::JsonError error;
    if (!parsers[t].parse(corpus.cases[i], parsed[t], &error))
      sink.fetch_add(1, std::memory_order_relaxed);
  };
  auto evaluate = [&](unsigned, std::size_t i) {
    const safeguard::Result r = rule_set.evaluate(corpus.cases[i], options);
    if (!r.flags.empty()) sink.fetch_add(1, std::memory_order_relaxed);
  };
  auto evaluate_json = [&](unsigned, std::size_t i) {
    const safeguard::Result r = rule_set.evaluate(corpus.cases[i], options);
    sink.fetch_add(static_cast<long>(r.to_json().size()), std::memory_order_relaxed);
  };
  // One per thread, each on its own cache lines.
  struct alignas(64) ThreadResult {
    safeguard::Result result;
  };
  std::vector<ThreadResult> results(threads);
  auto evaluate_reused = [&](unsigned t, std::size_t i) {
    safeguard::Result& r = results[t].result;
    rule_set.evaluate_into(corpus.cases[i], options, r);
    if (!r.flags.empty()) sink.fetch_add(1, std::memory_order_relaxed);
  };
  auto evaluate_reused_json = [&](unsigned t, std::size_t i) {
    safeguard::Result& r = results[t].result;
    rule_set.evaluate_into(corpus.cases[i], options, r);
    sink.fetch_add(static_cast<long>(r.to_json().size()), std::memory_order_relaxed);
  };
  struct alignas(64) ThreadText {
    std::string text;
  };
  std::vector<ThreadText> texts(threads);
  auto evaluate_direct_json = [&](unsigned t, std::size_t i) {
    std::string& out = texts[t].text;
    out.clear();
    rule_set.evaluate_json(corpus.cases[i], options, out);
    sink.fetch_add(static_cast<long>(out.size()), std::memory_order_relaxed);
  };
  auto measure = [&](unsigned n, auto& work) {
    Figure f;
    run(corpus.cases.size() / 10 + 1, n, work);  // warm caches and per-thread scratch
    for (int p = 0; p < passes; ++p) {
      const Timing t = run(corpus.cases.size(), n, work);
      f.cpu.values.push_back(t.cpu);
      f.wall.values.push_back(t.wall);
    }
    return f;
  };

  const Figure parse1 = measure(1, parse_only);
  const double floor_rate = parse1.per_core_rate(corpus);
  parse1.print("parse only", corpus, 1, 0);
  const Figure eval1 = measure(1, evaluate);
  eval1.print("parse + evaluate", corpus, 1, floor_rate);
  const Figure json1 = measure(1, evaluate_json);
  json1.print("parse + evaluate + result JSON", corpus, 1, floor_rate);
  const Figure reused1 = measure(1, evaluate_reused);
  reused1.print("parse + evaluate, reused Result", corpus, 1, floor_rate);
  const Figure reused_json1 = measure(1, evaluate_reused_json);
  reused_json1.print("parse + evaluate + result JSON, reused Result", corpus, 1, floor_rate);
  const Figure direct_json1 = measure(1, evaluate_direct_json);
  direct_json1.print("parse + evaluate + result JSON, evaluate_json", corpus, 1, floor_rate);
  if (threads > 1) {
    const Figure parse_n = measure(threads, parse_only);
    parse_n.print("parse only", corpus, threads, 0);
    const Figure eval_n = measure(threads, evaluate);
    eval_n.print("parse + evaluate", corpus, threads, floor_rate);
    const Figure reused_n = measure(threads, evaluate_reused);
    reused_n.print("parse + evaluate, reused Result", corpus, threads, floor_rate);
    std::printf(
        "scaling of parse + evaluate on %u threads: wall %.2fx, CPU per case %.2fx of 1 thread "
        "(parse only: wall %.2fx)\n",
        threads, eval1.wall.min() / eval_n.wall.min(), eval_n.cpu.min() / eval1.cpu.min(),
        parse1.wall.min() / parse_n.wall.min());
  }
  std::printf("evaluation alone (parse+evaluate minus parse, 1 thread): %.2f us/case\n",
              (eval1.cpu.min() - parse1.cpu.min()) * 1e6 / corpus.cases.size());
  std::printf("the same with a reused Result: %.2f us/case\n",
              (reused1.cpu.min() - parse1.cpu.min()) * 1e6 / corpus.cases.size());
  std::printf("peak RSS %.1f MiB\n", bench::peak_rss_mib());
  return sink.load() < 0 ? 1 : 0;
}
