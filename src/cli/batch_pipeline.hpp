// The streaming core of `safeguard batch`: one thread reads lines into chunks, N workers
// evaluate chunks, and the calling thread writes results in input order. At most a fixed
// number of chunks are in flight, so memory stays bounded whatever the input's size.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "batch_io.hpp"
#include "batch_summary.hpp"
#include "safeguard/rule_set.hpp"

namespace safeguard::cli::batch {

struct PipelineOptions {
  unsigned jobs = 1;
  EvalOptions eval;
  std::string input_name;    // for messages: the file name, or "<stdin>"
  bool error_lines = false;  // write the not-evaluated form for malformed lines
  // The rule set's snapshot size limit, named when a line the reader cut is refused.
  std::size_t max_snapshot_bytes = Limits{}.max_snapshot_bytes;
};

struct PipelineOutcome {
  Summary summary;
  bool read_failed = false;
  bool write_failed = false;
};

PipelineOutcome run_pipeline(const RuleSet& rules, LineReader& input, Output& output,
                             Progress& progress, const PipelineOptions& options,
                             std::ostream& errors);

}  // namespace safeguard::cli::batch
