// safeguard batch --rules RULES --as-of DATE [--jobs N] [IN.jsonl|-] [-o OUT.jsonl]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "batch_io.hpp"
#include "batch_pipeline.hpp"
#include "batch_summary.hpp"
#include "cli.hpp"
#include "cpu_allowance.hpp"
#include "options.hpp"
#include "safeguard/rule_set.hpp"

namespace safeguard::cli {

namespace {

constexpr const char* kUsage =
    "usage: safeguard batch --rules RULES --as-of DATE [options] [IN.jsonl|-] [-o OUT.jsonl]\n"
    "\n"
    "Evaluates case snapshots given as JSON Lines (one snapshot per line; standard input\n"
    "when no file or '-' is given) and writes one result per line, in input order.\n"
    "  -o, --output FILE   write results to FILE (atomically: a temporary file beside it,\n"
    "                      renamed when the run completes); default standard output\n"
    "  --jobs N            evaluate on N threads (default: the CPUs this process may\n"
    "                      use: cores, less any affinity mask or container quota)\n"
    "  --summary FILE      also write the summary as JSON to FILE\n"
    "  --error-lines       write the not-evaluated result ({\"errors\": ...}) for a malformed\n"
    "                      line instead of skipping it, so that output line n always\n"
    "                      answers the n-th non-blank input line\n"
    "  --explain           record which parts of each raised or undetermined condition held\n"
    "  --no-validate       do not check snapshots against the rule set's schema\n"
    "  --progress          show the progress bar even when stderr is not a terminal\n"
    "  --no-progress       never show it (default: shown when stderr is a terminal)\n"
    "  --quiet             no summary on stderr\n"
    "Blank lines are ignored. A line that is not a JSON object of the rule set's schema is\n"
    "reported with its line number and skipped; the run goes on.\n"
    "Exit codes: 0 every line evaluated; 1 malformed lines were skipped; 2 usage errors,\n"
    "rule set errors, or input or output that cannot be read or written (no output file\n"
    "is left behind then).\n";

// True when `output` names the input file, also by another name (./in.jsonl, a symbolic
// or hard link): the rename at the end would replace the cases with their results.
bool same_file(const std::string& input, const std::string& output) {
  if (output.empty() || output == "-" || input == "-") return false;
  if (output == input) return true;
  std::error_code ec;
  return std::filesystem::equivalent(input, output, ec) && !ec;
}

bool parse_jobs(const std::string& text, unsigned* jobs) {
  if (text.empty() || text.size() > 4 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const unsigned n = static_cast<unsigned>(std::stoul(text));
  if (n == 0 || n > 1024) return false;
  *jobs = n;
  return true;
}

}  // namespace

int run_batch(const Args& args) {
  std::string rules;
  std::string as_of;
  std::string input = "-";
  std::string output;
  std::string summary_path;
  bool have_input = false;
  bool quiet = false;
  int progress_choice = -1;  // -1: when stderr is a terminal
  batch::PipelineOptions options;
  options.jobs = available_cpus();
  const CommandLine command_line{
      "batch",
      kUsage,
      {
          {{"--rules"}, true, store(rules)},
          {{"--as-of"}, true, store(as_of)},
          {{"-o", "--output"}, true, store(output)},
          {{"--jobs", "-j"},
           true,
           [&](const std::string& v) {
             return parse_jobs(v, &options.jobs) ? Handled()
                                                 : "--jobs must be a whole number from 1 to 1024";
           }},
          {{"--summary"}, true, store(summary_path)},
          {{"--error-lines"}, false, assign(options.error_lines, true)},
          {{"--explain"}, false, assign(options.eval.explain, true)},
          {{"--no-validate"}, false, assign(options.eval.validate, false)},
          {{"--progress"}, false, assign(progress_choice, 1)},
          {{"--no-progress"}, false, assign(progress_choice, 0)},
          {{"--quiet"}, false, assign(quiet, true)},
      },
      one_argument(input, have_input, "give at most one input file"),
      {}};
  if (const int done = command_line.parse(args); done >= 0) return done;
  if (rules.empty()) return usage_error("batch", "--rules is required", kUsage);
  if (as_of.empty())
    return usage_error("batch", "--as-of is required (results never depend on the clock)", kUsage);
  if (!valid_as_of(as_of))
    return usage_error("batch", "--as-of must be a real date written YYYY-MM-DD", kUsage);
  if (same_file(input, output)) {
    return usage_error("batch", "the output file must not be the input file", kUsage);
  }
  options.eval.as_of = as_of;

  const LoadResult loaded = RuleSet::load(rules);
  if (!loaded.ok()) {
    std::cerr << format(loaded.diagnostics);
    std::cerr << "safeguard batch: the rule set has errors; run 'safeguard check " << rules
              << "'\n";
    return kExitUsage;
  }

  batch::LineReader reader;
  std::string reason;
  if (!reader.open(input, &reason)) {
    std::cerr << "safeguard batch: " << input << ": " << reason << "\n";
    return kExitUsage;
  }
  options.input_name = input == "-" ? "<stdin>" : input;
  // A line longer than a snapshot may be (and a byte order mark) is refused whatever
  // follows, so only that much of it is kept: an endless line cannot fill memory.
  options.max_snapshot_bytes = Limits{}.max_snapshot_bytes;
  reader.set_max_line(options.max_snapshot_bytes + 4);
  if (input == "-" && ::isatty(STDIN_FILENO)) {
    // Not an error (one may paste lines), but a silent wait looks like a hang.
    std::cerr << "safeguard batch: reading JSON Lines from the terminal; end with Ctrl-D\n";
  }
  batch::Output out;
  if (!out.open(output, &reason)) {
    std::cerr << "safeguard batch: " << output << ": " << reason << "\n";
    return kExitUsage;
  }
  const bool show_progress =
      progress_choice == 1 || (progress_choice == -1 && ::isatty(STDERR_FILENO));
  batch::Progress progress(show_progress, reader.size());

  const auto start = std::chrono::steady_clock::now();
  const batch::PipelineOutcome outcome =
      batch::run_pipeline(*loaded.rule_set, reader, out, progress, options, std::cerr);
  progress.clear();
  if (outcome.read_failed) {
    out.abandon();
    std::cerr << "safeguard batch: " << options.input_name << ": read error; no output written\n";
    return kExitUsage;
  }
  if (outcome.write_failed || !out.commit(&reason)) {
    out.abandon();
    std::cerr << "safeguard batch: " << (output.empty() ? "<stdout>" : output) << ": "
              << (outcome.write_failed ? "cannot write" : reason) << "; no output written\n";
    return kExitUsage;
  }

  batch::RunFacts facts;
  facts.levels = loaded.rule_set->levels();
  facts.jobs = options.jobs;
  facts.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!quiet) batch::print_summary(std::cerr, outcome.summary, facts);
  if (!summary_path.empty() &&
      !write_file_atomically(summary_path, batch::summary_json(outcome.summary, facts), &reason)) {
    std::cerr << "safeguard batch: " << summary_path << ": " << reason << "\n";
    return kExitUsage;
  }
  return outcome.summary.malformed > 0 ? kExitFailure : kExitOk;
}

}  // namespace safeguard::cli
