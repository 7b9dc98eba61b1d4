// Nodes for cel-go's optional values (cel.OptionalTypes): list and map literals with
// optional entries, the lazy or() and orValue(), and optMap/optFlatMap. Kept apart from
// the plain literal and call nodes so that those stay as they are.
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

// `{k: v, ?k2: o, ...}`: an entry marked optional has an optional value, and is in the map
// only when that has a value.
class OptionalMapNode final : public Node {
 public:
  OptionalMapNode(std::uint32_t id, std::vector<const Node*> keys, std::vector<const Node*> values,
                  std::vector<bool> optional)
      : Node(id),
        keys_(std::move(keys)),
        values_(std::move(values)),
        optional_(std::move(optional)) {}
  Value eval(Frame& f) const override;

 private:
  std::vector<const Node*> keys_;
  std::vector<const Node*> values_;
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
