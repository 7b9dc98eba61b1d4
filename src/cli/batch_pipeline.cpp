#include "batch_pipeline.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace safeguard::cli::batch {

namespace {

// A chunk is the unit of work: big enough that locking is rare, small enough that the
// chunks in flight stay a few megabytes.
constexpr std::size_t kChunkLines = 256;
constexpr std::size_t kChunkBytes = 512u << 10;

struct Malformed {
  std::uint64_t line;
  std::string message;
};

struct Chunk {
  std::uint64_t seq = 0;
  std::uint64_t first_line = 0;        // input line number of lines[0]
  std::uint64_t bytes_read_after = 0;  // input position at the end of this chunk
  std::vector<std::string> lines;      // empty strings stand for blank lines
  // Lines the reader cut (too long to be a snapshot): index in `lines`, whole length.
  std::vector<std::pair<std::size_t, std::uint64_t>> cut;
  std::string output;
  std::vector<Malformed> malformed;
  std::uint64_t cases = 0;
};

// JSON's whitespace only: a line of form feeds is not blank but a malformed case.
bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

class Pipeline {
 public:
  Pipeline(const RuleSet& rules, const PipelineOptions& options)
      : rules_(rules),
        options_(options),
        max_in_flight_(4 * options.jobs + 2),
        summaries_(options.jobs) {}

  PipelineOutcome run(LineReader& input, Output& output, Progress& progress, std::ostream& errors) {
    std::vector<std::thread> workers;
    for (unsigned j = 0; j < options_.jobs; ++j)
      workers.emplace_back([this, j] { work(summaries_[j]); });
    std::thread reader([&] { read(input); });
    write(output, progress, errors);
    reader.join();
    for (auto& w : workers) w.join();
    PipelineOutcome outcome;
    for (const auto& s : summaries_) outcome.summary.merge(s);
    outcome.read_failed = input.failed();
    outcome.write_failed = write_failed_;
    return outcome;
  }

 private:
  void read(LineReader& input) {
    std::uint64_t line_number = 0;
    std::uint64_t seq = 0;
    std::uint64_t pushed = 0;
    std::string line;
    bool more = true;
    while (more) {
      auto chunk = std::make_unique<Chunk>();
      chunk->seq = seq++;
      chunk->first_line = line_number + 1;
      std::size_t bytes = 0;
      while (chunk->lines.size() < kChunkLines && bytes < kChunkBytes) {
        if (!input.next(line)) {
          more = false;
          break;
        }
        ++line_number;
        bytes += line.size();
        if (input.cut_length() > 0)
          chunk->cut.emplace_back(chunk->lines.size(), input.cut_length());
        chunk->lines.push_back(is_blank(line) ? std::string() : std::move(line));
      }
      chunk->bytes_read_after = input.bytes_read();
      std::unique_lock<std::mutex> lock(mutex_);
      space_.wait(lock, [&] { return in_flight_ < max_in_flight_ || stop_; });
      if (stop_) break;
      ++in_flight_;
      ++pushed;
      todo_.push_back(std::move(chunk));
      work_.notify_one();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    chunks_total_ = pushed;
    input_done_ = true;
    work_.notify_all();
    done_.notify_all();
  }

  void work(Summary& summary) {
    // Filled again for each case that is not evaluated, keeping its strings' and vectors'
    // storage; the outline for each that is.
    Result result;
    ResultOutline outline;
    for (;;) {
      std::unique_ptr<Chunk> chunk;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [&] { return !todo_.empty() || input_done_; });
        if (todo_.empty()) return;
        chunk = std::move(todo_.front());
        todo_.pop_front();
      }
      evaluate(*chunk, summary, result, outline);
      std::lock_guard<std::mutex> lock(mutex_);
      finished_.emplace(chunk->seq, std::move(chunk));
      done_.notify_all();
    }
  }

  void evaluate(Chunk& chunk, Summary& summary, Result& result, ResultOutline& outline) const {
    for (std::size_t i = 0; i < chunk.lines.size(); ++i) {
      const std::string& line = chunk.lines[i];
      if (line.empty()) continue;  // blank lines are not cases
      const std::uint64_t line_number = chunk.first_line + i;
      // The result's JSON straight from the evaluation; a line that cannot be evaluated
      // (rare) again as a Result, for its diagnostics.
      const std::size_t mark = chunk.output.size();
      if (rules_.evaluate_json(line, options_.eval, chunk.output, &outline)) {
        summary.add(outline);
        ++chunk.cases;
        chunk.output += '\n';
        continue;
      }
      chunk.output.resize(mark);
      rules_.evaluate_into(line, options_.eval, result);  // not evaluated either
      for (const auto& [index, length] : chunk.cut) {
        // What the engine saw was cut; it refused it as too large, but the size it gives
        // is the part kept.
        if (index != i || result.errors.empty()) continue;
        Diagnostic& d = result.errors.front();
        d.message = "the line is too large to be a snapshot (" + std::to_string(length) +
                    " bytes; the limit is " + std::to_string(options_.max_snapshot_bytes) + ")";
      }
      summary.add_malformed(line_number);
      chunk.malformed.push_back(Malformed{line_number, describe(result, line_number)});
      if (options_.error_lines) {
        result.write_json(chunk.output);
        chunk.output += '\n';
      }
    }
    chunk.lines.clear();
    chunk.lines.shrink_to_fit();
  }

  // "IN:LINE:COL: error: MESSAGE [code]": the engine's message names the problem, never
  // the line's content.
  std::string describe(const Result& result, std::uint64_t line_number) const {
    std::string out = options_.input_name + ":" + std::to_string(line_number);
    const Diagnostic* d = result.errors.empty() ? nullptr : &result.errors.front();
    if (d && d->column > 0) out += ":" + std::to_string(d->column);
    out += ": error: ";
    out += d ? d->message + " [" + d->code + "]" : std::string("cannot be evaluated");
    return out;
  }

  void write(Output& output, Progress& progress, std::ostream& errors) {
    std::uint64_t next = 0;
    std::uint64_t cases = 0;
    for (;;) {
      std::unique_ptr<Chunk> chunk;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [&] {
          return finished_.count(next) > 0 || (input_done_ && next == chunks_total_);
        });
        const auto it = finished_.find(next);
        if (it == finished_.end()) break;
        chunk = std::move(it->second);
        finished_.erase(it);
      }
      ++next;
      if (!chunk->malformed.empty()) {
        progress.clear();
        for (const auto& m : chunk->malformed) errors << "safeguard batch: " << m.message << "\n";
        errors.flush();
      }
      if (!write_failed_ && !output.write(chunk->output)) {
        write_failed_ = true;
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;  // no point reading on; the chunks in flight drain
      }
      cases += chunk->cases;
      progress.update(cases, chunk->bytes_read_after);
      std::lock_guard<std::mutex> lock(mutex_);
      --in_flight_;
      space_.notify_one();
    }
    progress.update(cases, UINT64_MAX, true);
  }

  const RuleSet& rules_;
  const PipelineOptions& options_;
  const std::size_t max_in_flight_;
  std::vector<Summary> summaries_;  // one per worker, merged at the end

  std::mutex mutex_;
  std::condition_variable work_;   // todo_ has chunks, or the input ended
  std::condition_variable done_;   // a chunk finished, or the input ended
  std::condition_variable space_;  // a chunk was written
  std::deque<std::unique_ptr<Chunk>> todo_;
  std::map<std::uint64_t, std::unique_ptr<Chunk>> finished_;
  std::size_t in_flight_ = 0;  // read and not yet written
  std::uint64_t chunks_total_ = 0;
  bool input_done_ = false;
  bool stop_ = false;
  bool write_failed_ = false;  // the writer's own
};

}  // namespace

PipelineOutcome run_pipeline(const RuleSet& rules, LineReader& input, Output& output,
                             Progress& progress, const PipelineOptions& options,
                             std::ostream& errors) {
  Pipeline pipeline(rules, options);
  return pipeline.run(input, output, progress, errors);
}

}  // namespace safeguard::cli::batch
