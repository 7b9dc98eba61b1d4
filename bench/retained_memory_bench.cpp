// What a thread keeps between evaluations after one large case: a worker thread evaluates
// a generated case, then one grown to --bytes (default 13 MB) by repeating its visits, then
// the small case again, and the heap's live bytes and the process's resident memory are
// printed after each. A thread gives its parse buffers back after a case over 1 MiB
// (docs/embedding.md, "Thread safety"), so the live bytes after the last small case should
// be what they were after the first.
//
//   ./build/release/bench/retained_memory_bench [--rules DIR] [--bytes N]
//
// Live bytes are glibc's (mallinfo2: in use in the arenas plus mmap'd blocks); whether the
// allocator returns freed pages to the system is its own policy, so resident memory may
// stay higher until malloc_trim.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "bench_util.hpp"
#include "case_gen.hpp"
#include "safeguard/rule_set.hpp"
#include "time/date.hpp"

namespace {

long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

double live_mib() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

// `small` with its visits repeated until the text is at least `bytes` long.
std::string grown(const std::string& small, std::size_t bytes) {
  const std::string key = "\"visits\":[";
  const std::size_t start = small.find(key);
  if (start == std::string::npos) return {};
  const std::size_t first = start + key.size();
  const std::size_t end = small.find('}', first);
  if (small[first] != '{' || end == std::string::npos) return {};
  const std::string visit = small.substr(first, end + 1 - first) + ",";
  std::string out = small.substr(0, first);
  out.reserve(bytes + small.size());
  while (out.size() < bytes) out += visit;
  out += small.substr(first);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules_dir = bench::source_dir() + "/../rules";
  std::size_t bytes = 13u << 20;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--rules") && i + 1 < argc) {
      rules_dir = argv[++i];
    } else if (!std::strcmp(argv[i], "--bytes") && i + 1 < argc) {
      bytes = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: %s [--rules DIR] [--bytes N]\n", argv[0]);
      return 2;
    }
  }
  const std::string as_of = "2024-06-03";
  safeguard::LoadResult loaded = safeguard::RuleSet::load(rules_dir);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s", safeguard::format(loaded.diagnostics).c_str());
    return 2;
  }
  const bench::CaseGenerator generator(1, *safeguard::time::parse_date(as_of));
  const std::string small = generator.make(0);
  const std::string large = grown(small, bytes);
  if (large.empty()) {
    std::fprintf(stderr, "the generated case has no visits to repeat\n");
    return 2;
  }
  safeguard::EvalOptions options;
  options.as_of = as_of;
  const safeguard::RuleSet& rule_set = *loaded.rule_set;

  std::printf("rule set loaded: live %.1f MiB, resident %ld KiB\n", live_mib(), resident_kib());
  std::thread([&] {
    std::string out;
    const auto step = [&](const char* what, const std::string& snapshot) {
      out.clear();
      rule_set.evaluate_json(snapshot, options, out);
      std::printf("%-32s %9zu bytes: live %.1f MiB, resident %ld KiB\n", what, snapshot.size(),
                  live_mib(), resident_kib());
    };
    step("small case", small);
    step("large case", large);
    out.shrink_to_fit();  // the result text is the caller's, not the thread's
    step("small case again", small);
    step("small case again", small);
  }).join();
  std::printf("thread ended: live %.1f MiB, resident %ld KiB\n", live_mib(), resident_kib());
  return 0;
}
