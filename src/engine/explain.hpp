// Explain: how each part of a condition turned out, from the trace the explain program
// records as it runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cel/compile/program.hpp"
#include "cel/eval/frame.hpp"
#include "safeguard/result.hpp"

namespace safeguard::engine {

struct ExplainOptions {
  bool enabled = false;
  bool show_values = false;
};

class Recorder final : public cel::Trace {
 public:
  // Ready to record a run of a program with `sites` trace sites. A run reaches a few of the
  // rule set's sites, so only those the last run touched are cleared (clearing them all
  // took a third of an explained evaluation's instructions): one Recorder per thread
  // serves every explanation.
  void reset(std::size_t sites);
  void record(std::uint32_t key, const cel::Value& value) override;

  struct Stat {
    std::uint32_t times_true = 0;
    std::uint32_t times_false = 0;
    std::uint32_t times_error = 0;
    std::uint32_t times_value = 0;    // non-boolean results
    std::uint32_t times_default = 0;  // results that were a schema default (cel::kFromDefault)
    // The last value that was not an error (an error has no value to show), valid while
    // the frame's arena is; `has_last` says whether there was one.
    cel::Value last{};
    bool has_last = false;
  };
  const std::vector<Stat>& stats() const { return stats_; }
  // The sites recorded since the last reset, in the order first reached; every other
  // site's Stat is zero.
  const std::vector<std::uint32_t>& touched() const { return touched_; }

 private:
  std::vector<Stat> stats_;
  std::vector<std::uint32_t> touched_;
};

// The steps of the condition in `source`, then those of each definition and function it
// reached (the sources with a label in `labels`, in source order), marked with that label.
std::vector<ExplainStep> explain_condition(const cel::Program& program, const Recorder& recorder,
                                           std::uint32_t source,
                                           const std::vector<std::string>& labels,
                                           const ExplainOptions& options);

}  // namespace safeguard::engine
