// Loading, compiling and evaluating rule sets.
//
//   auto loaded = safeguard::RuleSet::load("rules/");
//   if (!loaded.ok()) { std::cerr << safeguard::format(loaded.diagnostics); ... }
//   safeguard::EvalOptions options;
//   options.as_of = "2024-06-03";
//   safeguard::Result r = loaded.rule_set->evaluate(snapshot_json, options);
//   loaded.rule_set->evaluate_into(next_json, options, r);  // reuses r's storage
//
// A RuleSet is immutable once loaded: share it as std::shared_ptr<const RuleSet> and
// evaluate from any number of threads at once without locking.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "safeguard/calendar.hpp"
#include "safeguard/diagnostic.hpp"
#include "safeguard/export.hpp"
#include "safeguard/options.hpp"
#include "safeguard/result.hpp"
#include "safeguard/snapshot.hpp"

namespace safeguard {

struct LoadOptions {
  Limits limits;
  // Calendars added to (and overriding by name) those shipped in the rule set, e.g. a
  // council's calendar with its office closure days.
  std::vector<std::shared_ptr<const Calendar>> calendars;
  // Name of the default working-day calendar, overriding the manifest's `calendar`.
  std::string calendar;
  // Treat warnings as errors.
  bool warnings_as_errors = false;
};

struct EvalOptions {
  std::string as_of;  // "YYYY-MM-DD", required: results never depend on the clock
  // Default working-day calendar for this evaluation (overrides the rule set's).
  std::shared_ptr<const Calendar> calendar;
  // Check the snapshot against the rule set's schema first (recommended).
  bool validate = true;
  // Record which parts of each raised or undetermined condition held.
  bool explain = false;
  // With explain: include the values of sub-expressions. They are case data; off by default.
  bool show_values = false;
};

struct RuleInfo {
  std::string id;
  std::string kind;  // "rule" or "threshold"
  std::string title;
  std::string severity;
  std::string category;
  std::string level;  // thresholds
  std::string source;
  std::string file;
  std::uint32_t line = 0;
};

// What RuleSet::evaluate_json found besides the text, for a host that files or routes
// results by level, flags or data quality without reading the JSON back. The texts are
// the rule set's own (ids of its levels, rules and thresholds): valid while it lives.
struct ResultOutline {
  bool evaluated = false;                      // as Result::evaluated; if false, all else empty
  std::string_view level;                      // Result::level.id
  std::vector<std::string_view> flags;         // the ids of Result::flags, in its order
  std::vector<std::string_view> undetermined;  // the ids of Result::undetermined, in its order
  std::size_t violations = 0;                  // Result::violations.size()
};

class RuleSet;

struct LoadResult {
  std::shared_ptr<const RuleSet> rule_set;  // null when there were errors
  std::vector<Diagnostic> diagnostics;      // errors and warnings, in file order
  bool ok() const noexcept { return rule_set != nullptr; }
};

struct RuleFileText {
  std::string path;  // relative path within the rule set, e.g. "front-door.yaml"
  std::string text;
};

class SAFEGUARD_API RuleSet {
 public:
  // Loads a rule set directory (ruleset.yaml and the files it names or lies beside).
  static LoadResult load(const std::string& directory, const LoadOptions& options = {});
  // Loads from memory, for hosts that keep rules in a database. Paths are relative, each
  // given once (two texts for one path are file.duplicate-path); the manifest is
  // "ruleset.yaml"; calendars under "calendars/", the schema where the manifest says.
  static LoadResult load(std::vector<RuleFileText> files, const LoadOptions& options = {});

  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  const RuleSetInfo& info() const noexcept;
  const std::vector<std::string>& levels() const noexcept;  // lowest first
  std::vector<RuleInfo> rules() const;                      // rules then thresholds, in file order

  // Evaluates a snapshot given as JSON text. Never throws (except std::bad_alloc); a
  // snapshot that cannot be evaluated gives a Result with evaluated == false.
  Result evaluate(std::string_view snapshot_json, const EvalOptions& options) const;
  // Evaluates an already parsed snapshot (parse once, evaluate as of several dates).
  Result evaluate(const Snapshot& snapshot, const EvalOptions& options) const;

  // The same, into a Result the caller keeps between evaluations (one per thread, as a
  // batch worker keeps it): `out` is filled again, reusing the storage of its strings and
  // vectors, which saves most of a result's allocations. Afterwards `out` holds exactly
  // what evaluate() would return for these arguments, field for field: nothing of what it
  // held before is kept. If it throws (std::bad_alloc), `out` is left as a default Result.
  // `out` must not be read or written by another thread meanwhile.
  void evaluate_into(std::string_view snapshot_json, const EvalOptions& options, Result& out) const;
  void evaluate_into(const Snapshot& snapshot, const EvalOptions& options, Result& out) const;

  // The same, as the result's compact JSON: appends to `out` the text that
  // evaluate(snapshot_json, options).write_json(out) appends, byte for byte, but written
  // straight from the evaluation, without building a Result (for a host that stores or
  // sends the JSON, as `safeguard batch` and the C ABI do: about 7% fewer instructions per
  // case than evaluate_into and write_json with the shipped pack). Gives Result::evaluated:
  // when false, `out` has the {"errors": ...} form; call evaluate() for the diagnostics
  // themselves. `outline`, if given, is filled in too. With options.explain it builds a
  // Result after all (explanations are rare and large). Thread safe as evaluate() is; `out`
  // keeps its storage, so a host writing many results reuses one string. If it throws
  // (std::bad_alloc), `out` is left as it was and `*outline` is unspecified.
  bool evaluate_json(std::string_view snapshot_json, const EvalOptions& options, std::string& out,
                     ResultOutline* outline = nullptr) const;

  struct Impl;
  const Impl& impl() const noexcept { return *impl_; }

 private:
  explicit RuleSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend struct RuleSetFactory;
};

}  // namespace safeguard
