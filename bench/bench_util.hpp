// Helpers shared by the benchmarks: timing passes, reading files, a fixed-seed random
// generator (so every run measures the same data), and peak memory.
#pragma once

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

// The bench/ folder of the source tree, set by CMake: __FILE__ may be relative (compiler
// launchers such as ccache with base_dir rewrite it), which breaks runs from another folder.
#ifdef SAFEGUARD_BENCH_SOURCE_DIR
inline std::string source_dir() {
  return SAFEGUARD_BENCH_SOURCE_DIR;
}
#endif

// Exits with a message rather than return an empty text a parser would then report as an
// empty document.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// CPU time of the calling thread, in nanoseconds. Single-threaded figures use it rather
// than the wall clock: on a shared, oversubscribed machine the wall clock mostly measures
// the other processes, while the thread's CPU time still measures this code (caches
// shared with the neighbours still add some noise).
inline double thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

// CPU time of the whole process (all threads), in nanoseconds.
inline double process_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

// Minimum and median of several timed passes. The machine these run on is shared, so the
// minimum is the best estimate of the code's cost and the median shows the noise.
struct Passes {
  std::vector<double> values;
  double min() const { return *std::min_element(values.begin(), values.end()); }
  double median() const {
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  }
};

// Runs `body` `iterations` times per pass and returns this thread's CPU nanoseconds per
// iteration.
template <typename F>
Passes time_passes(int passes, long iterations, F&& body) {
  Passes out;
  for (int pass = 0; pass < passes; ++pass) {
    const double start = thread_cpu_ns();
    for (long i = 0; i < iterations; ++i) body();
    out.values.push_back((thread_cpu_ns() - start) / static_cast<double>(iterations));
  }
  return out;
}

// splitmix64: tiny, fast and fully determined by its seed on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  int range(int lo, int hi) {
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(int percent) { return range(0, 99) < percent; }
  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[next() % N];
  }

 private:
  std::uint64_t state_;
};

// Days since 1970-01-01 to "YYYY-MM-DD" (Howard Hinnant's civil_from_days).
inline std::string format_day(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(y + (m <= 2)), m, d);
  return buffer;
}

// Peak resident set size of this process so far, in MiB.
inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace bench
