#include "engine/explain.hpp"

#include <algorithm>

#include "cel/value/to_json.hpp"

namespace safeguard::engine {

void Recorder::reset(std::size_t sites) {
  for (const std::uint32_t key : touched_) stats_[key] = Stat{};
  touched_.clear();
  stats_.resize(sites);
}

void Recorder::record(std::uint32_t key, const cel::Value& value) {
  if (key >= stats_.size()) return;
  Stat& s = stats_[key];
  // Each record counts one of these four: all zero, the site was not reached before.
  if (s.times_true + s.times_false + s.times_error + s.times_value == 0) touched_.push_back(key);
  if (value.kind == cel::ValueKind::kBool) {
    (value.b ? s.times_true : s.times_false)++;
  } else if (value.is_error()) {
    s.times_error++;
  } else {
    s.times_value++;
  }
  if ((value.flags & cel::kFromDefault) != 0) s.times_default++;
  if (!value.is_error()) {
    s.last = value;
    s.has_last = true;
  }
}

std::vector<ExplainStep> explain_condition(const cel::Program& program, const Recorder& recorder,
                                           std::uint32_t source,
                                           const std::vector<std::string>& labels,
                                           const ExplainOptions& options) {
  struct Item {
    std::uint64_t group;  // 0 for the condition itself, else its source + 1
    std::uint32_t begin;
    std::uint32_t end;
    ExplainStep step;
  };
  std::vector<Item> items;
  const auto& sites = program.trace_sites();
  // Only a reached site gives a step; in site order, as a walk over all of them would.
  std::vector<std::uint32_t> reached = recorder.touched();
  std::sort(reached.begin(), reached.end());
  for (const std::uint32_t k : reached) {
    if (k >= sites.size()) continue;
    const std::uint32_t site_source = sites[k].source;
    const bool labelled = site_source < labels.size() && !labels[site_source].empty();
    if (site_source != source && !labelled) continue;
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
    step.times_default = s.times_default;
    if (options.show_values && s.has_last) {
      std::string json;
      if (!cel::to_json(s.last, 200, json)) json = json.substr(0, 197) + "...";
      step.value_json = std::move(json);
    }
    std::uint64_t group = 0;
    if (site_source != source) {
      step.within = labels[site_source];
      group = std::uint64_t{site_source} + 1;
    }
    items.push_back(Item{group, sites[k].begin, sites[k].end, std::move(step)});
  }
  // The condition, then each definition and function in source order; in each, outer
  // parts before the parts inside them, then left to right.
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.group != b.group) return a.group < b.group;
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<ExplainStep> out;
  for (auto& i : items) out.push_back(std::move(i.step));
  return out;
}

}  // namespace safeguard::engine
