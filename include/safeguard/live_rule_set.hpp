// Hot reload: the current rule set of a long-running host, swapped atomically.
//
//   auto loaded = safeguard::RuleSet::load("rules/");
//   safeguard::LiveRuleSet live(loaded.rule_set);
//   ...                                   // any number of threads:
//   safeguard::Result r = live.evaluate(snapshot_json, options);
//   ...                                   // when the rule files change:
//   safeguard::LoadResult reloaded = live.reload("rules/");
//   if (!reloaded.ok()) log(safeguard::format(reloaded.diagnostics));  // old rules still in use
//
// Guarantees:
//  - A reload loads and compiles the new rule set first, outside any lock, then swaps a
//    pointer. Evaluations never wait for a load.
//  - An evaluation runs to the end on the rule set that was current when it started; the
//    old rule set is freed when the last evaluation using it finishes.
//  - A reload that fails (any error diagnostic) changes nothing: the previous rule set
//    stays current, and the returned LoadResult says why.
//  - Reloads are serialised: one loads at a time (evaluations go on meanwhile), and
//    concurrent reloads take effect in the order they get their turn.
// Every member function may be called from any number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "safeguard/export.hpp"
#include "safeguard/result.hpp"
#include "safeguard/rule_set.hpp"

namespace safeguard {

class SAFEGUARD_API LiveRuleSet {
 public:
  // `initial` must not be null.
  explicit LiveRuleSet(std::shared_ptr<const RuleSet> initial);
  ~LiveRuleSet();
  LiveRuleSet(const LiveRuleSet&) = delete;
  LiveRuleSet& operator=(const LiveRuleSet&) = delete;

  // The rule set current now. Hold on to it to evaluate several cases against the same
  // rules, whatever reloads happen meanwhile.
  std::shared_ptr<const RuleSet> current() const;

  // How many times the rule set has been swapped: 0 for the initial one.
  std::uint64_t generation() const;

  // Loads a rule set (as RuleSet::load) and makes it current if it has no errors. The
  // result's rule_set is the new rule set, or null (with the diagnostics) on failure.
  LoadResult reload(const std::string& directory, const LoadOptions& options = {});
  LoadResult reload(std::vector<RuleFileText> files, const LoadOptions& options = {});

  // Makes an already loaded rule set current; a null pointer is ignored (returns false).
  bool replace(std::shared_ptr<const RuleSet> rule_set);

  // current()->evaluate(...).
  Result evaluate(std::string_view snapshot_json, const EvalOptions& options) const;
  // current()->evaluate_into(...): `out` is filled again, reusing its storage (one Result
  // per thread; see RuleSet::evaluate_into).
  void evaluate_into(std::string_view snapshot_json, const EvalOptions& options, Result& out) const;
  // current()->evaluate_json(...): appends the compact result JSON to `out` (byte for byte
  // what evaluate(...).write_json(out) appends, written straight from the evaluation) and
  // gives Result::evaluated (see RuleSet::evaluate_json). No ResultOutline here: its ids are
  // views of the rule set's texts, which a reload may free as soon as this returns; for an
  // outline, hold the rule set, current()->evaluate_json(..., &outline).
  bool evaluate_json(std::string_view snapshot_json, const EvalOptions& options,
                     std::string& out) const;

 private:
  LoadResult install(LoadResult loaded);

  mutable std::mutex mutex_;  // guards current_ and generation_ (held only to copy or swap)
  std::mutex reload_mutex_;   // serialises reloads
  std::shared_ptr<const RuleSet> current_;
  std::uint64_t generation_ = 0;
};

}  // namespace safeguard
