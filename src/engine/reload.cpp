// LiveRuleSet: a mutex held only to copy or swap one shared_ptr. std::atomic<shared_ptr>
// is C++20; the C++11 atomic_load/atomic_store overloads use a hidden lock pool anyway,
// so an explicit mutex costs the same and says what it protects.
#include <utility>

#include "engine/impl.hpp"
#include "safeguard/live_rule_set.hpp"

namespace safeguard {

LiveRuleSet::LiveRuleSet(std::shared_ptr<const RuleSet> initial) : current_(std::move(initial)) {}

LiveRuleSet::~LiveRuleSet() = default;

std::shared_ptr<const RuleSet> LiveRuleSet::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

std::uint64_t LiveRuleSet::generation() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return generation_;
}

bool LiveRuleSet::replace(std::shared_ptr<const RuleSet> rule_set) {
  if (!rule_set) return false;
  std::shared_ptr<const RuleSet> old;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    old = std::exchange(current_, std::move(rule_set));
    ++generation_;
  }
  // `old` is released here, outside the lock: if no evaluation still holds it, freeing a
  // large rule set must not keep readers waiting.
  return true;
}

LoadResult LiveRuleSet::install(LoadResult loaded) {
  if (loaded.ok()) replace(loaded.rule_set);
  return loaded;
}

LoadResult LiveRuleSet::reload(const std::string& directory, const LoadOptions& options) {
  std::lock_guard<std::mutex> turn(reload_mutex_);
  return install(RuleSet::load(directory, options));
}

LoadResult LiveRuleSet::reload(std::vector<RuleFileText> files, const LoadOptions& options) {
  std::lock_guard<std::mutex> turn(reload_mutex_);
  return install(RuleSet::load(std::move(files), options));
}

Result LiveRuleSet::evaluate(std::string_view snapshot_json, const EvalOptions& options) const {
  Result result;
  evaluate_into(snapshot_json, options, result);
  return result;
}

namespace {

// What an evaluation gives when the live rule set was created without one.
void no_rule_set(const EvalOptions& options, Result& out) {
  engine::clear_result(out);
  out.as_of = options.as_of;
  Diagnostic d;
  d.code = "live.no-rule-set";
  d.message = "the live rule set was created without a rule set";
  out.errors.push_back(std::move(d));
}

}  // namespace

void LiveRuleSet::evaluate_into(std::string_view snapshot_json, const EvalOptions& options,
                                Result& out) const {
  // Held for the whole evaluation: a reload meanwhile cannot free it.
  const std::shared_ptr<const RuleSet> rule_set = current();
  if (!rule_set) return no_rule_set(options, out);
  rule_set->evaluate_into(snapshot_json, options, out);
}

bool LiveRuleSet::evaluate_json(std::string_view snapshot_json, const EvalOptions& options,
                                std::string& out) const {
  const std::shared_ptr<const RuleSet> rule_set = current();
  if (rule_set) return rule_set->evaluate_json(snapshot_json, options, out);
  Result none;
  no_rule_set(options, none);
  const std::size_t mark = out.size();
  try {
    none.write_json(out);
  } catch (...) {
    out.resize(mark);  // as RuleSet::evaluate_json leaves it
    throw;
  }
  return false;
}

}  // namespace safeguard
