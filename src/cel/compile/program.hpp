// A compiled set of CEL expressions sharing one frame layout: what the planner builds
// and what evaluation runs. Immutable once built; safe to share across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cel/check/env.hpp"
#include "cel/eval/frame.hpp"
#include "cel/eval/node.hpp"
#include "cel/value/value.hpp"

namespace safeguard::cel {

// Where a traced sub-expression came from, for explain output.
// Where an operation that can fail was written, so an error can say where it arose:
// nodes that make errors carry the index of their site (0: none) as their id.
struct ErrorSite {
  SourceId source = 0;
  std::uint32_t offset = 0;  // the anchor (operator, '.', '(' or name) in that source's text
  std::uint32_t end = 0;     // end of the whole sub-expression
};

struct TraceSite {
  SourceId source = 0;
  std::uint32_t begin = 0;  // byte range in that source's expression text
  std::uint32_t end = 0;
  std::string text;  // the sub-expression as written
};

// Storage for values that live as long as the program: literals, params, folded
// constants, field names. It is a frame whose arena is never reset.
class ConstantPool {
 public:
  ConstantPool() { frame_.reset(0, EvalLimits{UINT64_MAX / 2, SIZE_MAX, SIZE_MAX}); }
  Frame& frame() noexcept { return frame_; }
  Value string(std::string_view text);
  Value bytes(std::string_view data);
  Value list(const std::vector<Value>& items);
  Value map(const std::vector<Value>& keys, const std::vector<Value>& values);
  // A NUL-terminated copy (for messages that must outlive evaluation).
  const char* text(std::string_view text);

 private:
  Frame frame_;
};

class Program {
 public:
  Program() = default;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  std::uint32_t slot_count() const noexcept { return slot_count_; }
  std::size_t root_count() const noexcept { return roots_.size(); }
  const Node* root(std::size_t index) const noexcept { return roots_[index]; }
  const Node* rule(std::size_t index) const noexcept { return rules_[index]; }
  std::size_t rule_count() const noexcept { return rules_.size(); }
  // The slot where rule `index`'s outcome is kept once computed (SlotState::kReady): a
  // traced twin of this program can be handed the outcomes an untraced run found.
  std::uint32_t rule_slot(std::size_t index) const noexcept { return rule_slots_[index]; }

  // Global variable i lives in slot i; fill them after Frame::reset.
  std::uint32_t variable_count() const noexcept { return variable_count_; }

  // Whether root `index` folded to a constant, and its value.
  bool root_is_constant(std::size_t index, Value* value) const;

  const std::vector<TraceSite>& trace_sites() const noexcept { return trace_sites_; }
  // The site an error's expr_id names; null for 0 or an unknown id.
  const ErrorSite* error_site(std::uint32_t id) const noexcept {
    return id > 0 && id < error_sites_.size() ? &error_sites_[id] : nullptr;
  }

  // Prepares `frame` for one evaluation: slots sized, variables cleared, cached values
  // forgotten, limits set.
  void prepare(Frame& frame, const EvalLimits& limits) const {
    frame.reset(slot_count_, limits, variable_count_);
    frame.set_object_functions(object_functions_);
  }

 private:
  friend class Planner;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<const Node*> roots_;
  std::vector<const Node*> rules_;
  std::vector<std::uint32_t> rule_slots_;
  std::vector<std::uint8_t> root_constant_;
  std::vector<Value> root_values_;
  std::unique_ptr<ConstantPool> constants_ = std::make_unique<ConstantPool>();
  std::vector<TraceSite> trace_sites_;
  std::vector<ErrorSite> error_sites_{ErrorSite{}};  // index 0: no site
  std::uint32_t slot_count_ = 0;
  std::uint32_t variable_count_ = 0;
  std::uint32_t object_functions_ = 0;  // functions of one parameter (Frame::object_memo_slot)
};

}  // namespace safeguard::cel
