// The executable form of a checked expression: a tree of nodes, each evaluating itself
// against a frame. Built once by the planner (src/cel/compile/), immutable afterwards,
// shared by every thread.
#pragma once

#include <cstdint>

#include "cel/eval/frame.hpp"
#include "cel/value/value.hpp"

namespace safeguard::cel {

class Node {
 public:
  explicit Node(std::uint32_t expr_id) : expr_id_(expr_id) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  virtual Value eval(Frame& frame) const = 0;

  // Node ids let explain output point back at the source text.
  std::uint32_t expr_id() const noexcept { return expr_id_; }

 private:
  std::uint32_t expr_id_;
};

}  // namespace safeguard::cel
