#include "engine/explain.hpp"

#include <algorithm>

#include "cel/value/to_json.hpp"

namespace safeguard::engine {

void Recorder::record(std::uint32_t key, const cel::Value& value) {
  if (key >= stats_.size()) return;
  Stat& s = stats_[key];
  if (value.kind == cel::ValueKind::kBool) {
    (value.b ? s.times_true : s.times_false)++;
  } else if (value.is_error()) {
    s.times_error++;
  } else {
    s.times_value++;
  }
  if (!value.is_error()) {
    s.last = value;
    s.has_last = true;
  }
}

namespace {

// The steps of every source `wanted` accepts, grouped by source in the order `group` gives
// (a smaller number first), each group outer parts first, then left to right.
template <typename Wanted, typename Group>
std::vector<ExplainStep> collect_steps(const cel::Program& program, const Recorder& recorder,
                                       const ExplainOptions& options, Wanted wanted, Group group) {
  struct Item {
    std::uint64_t group;
    std::uint32_t begin;
    std::uint32_t end;
    ExplainStep step;
  };
  std::vector<Item> items;
  const auto& sites = program.trace_sites();
  for (std::size_t k = 0; k < sites.size(); ++k) {
    if (!wanted(sites[k].source)) continue;
    const Recorder::Stat& s = recorder.stats()[k];
    const std::uint32_t runs = s.times_true + s.times_false + s.times_error + s.times_value;
    const bool boolean =
        s.times_true + s.times_false > 0 || (s.times_error > 0 && s.times_value == 0);
    if (runs == 0) continue;  // never reached (short-circuited)
    if (!boolean && !options.show_values) continue;
    ExplainStep step;
    step.expression = sites[k].text;
    if (boolean) {
      step.times_true = s.times_true;
      step.times_false = s.times_false;
      step.times_undetermined = s.times_error;
      if (s.times_error > 0 && s.times_true == 0) {
        step.outcome = "undetermined";
      } else if (s.times_true > 0) {
        step.outcome = "true";
      } else {
        step.outcome = "false";
      }
    } else {
      step.outcome = s.times_error > 0 && s.times_value == 0 ? "undetermined" : "value";
      step.times_undetermined = s.times_error;
    }
    if (options.show_values && s.has_last) {
      std::string json;
      if (!cel::to_json(s.last, 200, json)) json = json.substr(0, 197) + "...";
      step.value_json = std::move(json);
    }
    const std::uint64_t in_group = group(sites[k].source, step);
    items.push_back(Item{in_group, sites[k].begin, sites[k].end, std::move(step)});
  }
  // Outer parts before the parts inside them, then left to right.
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.group != b.group) return a.group < b.group;
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<ExplainStep> out;
  for (auto& i : items) out.push_back(std::move(i.step));
  return out;
}

}  // namespace

std::vector<ExplainStep> explain_steps(const cel::Program& program, const Recorder& recorder,
                                       std::uint32_t source, const ExplainOptions& options) {
  return collect_steps(
      program, recorder, options, [source](std::uint32_t s) { return s == source; },
      [](std::uint32_t, ExplainStep&) { return std::uint64_t{0}; });
}

std::vector<ExplainStep> explain_condition(const cel::Program& program, const Recorder& recorder,
                                           std::uint32_t source,
                                           const std::vector<std::string>& labels,
                                           const ExplainOptions& options) {
  const auto labelled = [&labels](std::uint32_t s) {
    return s < labels.size() && !labels[s].empty();
  };
  return collect_steps(
      program, recorder, options, [&](std::uint32_t s) { return s == source || labelled(s); },
      [&](std::uint32_t s, ExplainStep& step) {
        if (s == source) return std::uint64_t{0};
        step.within = labels[s];
        return std::uint64_t{s} + 1;
      });
}

}  // namespace safeguard::engine
