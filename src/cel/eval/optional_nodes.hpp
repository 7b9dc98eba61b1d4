// Nodes for cel-go's optional values (cel.OptionalTypes): list literals with optional
// elements, the lazy or() and orValue(), and optMap/optFlatMap. Kept apart from the plain
// list and call nodes, which the rule pack runs hot, so that those stay as they are (map
// literals are rare in rules: MapNode takes optional entries itself).
#pragma once

#include <vector>

#include "cel/eval/node.hpp"

namespace safeguard::cel {

// `[a, ?b, ...]`: an element marked optional (`optional[i]`) must be an optional, and is
// in the list only when it has a value.
class OptionalListNode final : public Node {
 public:
  OptionalListNode(std::uint32_t id, std::vector<const Node*> items, std::vector<bool> optional)
      : Node(id), items_(std::move(items)), optional_(std::move(optional)) {}
  Value eval(Frame& f) const override;

 private:
  std::vector<const Node*> items_;
  std::vector<bool> optional_;
};

// `o.or(p)` and `o.orValue(v)` (kValue): the alternative is evaluated only when o is none.
template <bool kValue>
class OptionalOrNode final : public Node {
 public:
  OptionalOrNode(std::uint32_t id, const Node* a, const Node* b) : Node(id), a_(a), b_(b) {}
  Value eval(Frame& f) const override;

 private:
  const Node* a_;
  const Node* b_;
};

// `o.optMap(v, e)` and `o.optFlatMap(v, e)` (kFlat): e with v (in `slot`) bound to the
// value o holds; none when o is none.
template <bool kFlat>
class OptionalMapApplyNode final : public Node {
 public:
  OptionalMapApplyNode(std::uint32_t id, const Node* target, std::uint32_t slot, const Node* body)
      : Node(id), target_(target), slot_(slot), body_(body) {}
  Value eval(Frame& f) const override;

 private:
  const Node* target_;
  std::uint32_t slot_;
  const Node* body_;
};

}  // namespace safeguard::cel
