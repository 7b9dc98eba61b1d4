// The planner turns checked expressions into a Program: it folds constants, hoists
// sub-expressions that do not change inside a loop (e.g. `add_months(as_of, -12)` in a
// filter over contacts) into per-evaluation caches, or into per-run caches of the loop when
// they read a function's parameter or an enclosing loop's variable (`add_months(d, -12)`),
// fuses `filter(...).size()` into a count, precompiles constant regular expressions, and
// lays out the frame's slots.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cel/check/checker.hpp"
#include "cel/compile/program.hpp"
#include "cel/eval/nodes.hpp"

namespace safeguard::cel {

struct PlanOptions {
  bool fold_constants = true;
  bool cache_invariants = true;
  // Wrap computed sub-expressions so an explain trace can report how each turned out.
  bool trace = false;
  // Longest constant regular expression (Limits::max_regex_bytes); longer is a load error.
  std::size_t max_regex_bytes = 4096;
};

// Rule roots can be limited to an as-of window (effective_from / effective_until).
struct RuleWindow {
  std::int64_t from = INT64_MIN;   // days; evaluations before this see the rule as not raised
  std::int64_t until = INT64_MAX;  // inclusive
};

// The first cycle in a graph of `edges[u]` (the nodes u refers to), as the nodes on it in
// order, or empty. Planner::finish uses it on the definitions, rules and functions.
std::vector<std::uint32_t> find_cycle(const std::vector<std::vector<std::uint32_t>>& edges);

class Planner {
 public:
  Planner(const Env& env, const Checker& checker, PlanOptions options = {});
  ~Planner();
  Planner(const Planner&) = delete;
  Planner& operator=(const Planner&) = delete;

  // Adds an expression; returns its root index in the program.
  std::uint32_t add_root(const CheckedTree& tree);

  // Compiles the condition of Env rule `rule` (its outcome is cached per evaluation and
  // readable through raised()). Returns the root index.
  std::uint32_t add_rule(std::uint32_t rule, const CheckedTree& tree, RuleWindow window = {});

  // Makes Env definition `index` (e.g. a rule's fact) a root: its cached node.
  std::uint32_t add_definition_root(std::uint32_t index);

  // Problems found while planning (e.g. an invalid constant regular expression).
  const std::vector<CheckIssue>& issues() const noexcept { return issues_; }

  // Also breaks any cycle of definitions, rules and functions the program's nodes would
  // form (the loader rejects them; this guards against a mistake there or here, as
  // CachedNode keeps no busy mark): the first definition or rule on it gives an internal
  // error instead of its value.
  std::unique_ptr<Program> finish();

 private:
  struct Compiled {
    const Node* node = nullptr;
    bool constant = false;  // value known now
    bool invariant = true;  // depends on no local variable or parameter
    Value value{};
  };
  struct Context;

  Compiled compile(Context& cx, const Expr& e);
  Compiled compile_node(Context& cx, const Expr& e);
  Compiled compile_call(Context& cx, const Expr& e);
  Compiled compile_comprehension(Context& cx, const Expr& e);
  std::vector<Compiled> compile_loop_body(Context& cx, const Expr& e, std::uint32_t slot,
                                          std::uint32_t count, std::uint32_t* scope);
  Compiled compile_comprehension2(Context& cx, const Expr& e);
  Compiled constant(const Expr& e, Value v);
  // The object type whose field `select` reads, when the checker knows it.
  static const ObjectType* selected_object(const Context& cx, const Expr& select);
  // The schema's default for the field `select` reads, if it declares one, as the value
  // SelectNode stands in for the field: default_for's value marked cel::kFromDefault.
  std::optional<Value> value_when_absent(const Context& cx, const Expr& select);
  std::optional<Value> default_for(const Context& cx, const Expr& select);
  // Where validation records the field `select` reads, if its object comes from the schema.
  FieldPosition field_position(const Context& cx, const Expr& select);
  Compiled finish_node(Context& cx, const Expr& e, const Node* node, bool invariant);
  const Node* date_field(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                         const Node* call);
  const Node* relation(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                       const Node* call);
  const Node* field_or(const Expr& e, const std::vector<const Node*>& args, const Node* whole);
  const Node* field_path(const Context& cx, const Expr& e, const Node* target, const Node* whole);
  const Node* presence(const Expr& e, bool is_and, const std::vector<const Node*>& args,
                       const Node* whole);
  const Node* list_size(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                        const Node* call);
  const Node* membership(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                         const Node* call);
  const Node* equality(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                       const Node* call);
  const Node* null_test(const Expr& e, const Ref& ref, const std::vector<Compiled>& args);
  const Node* definition_node(std::uint32_t index);
  const Node* function_body(std::uint32_t instance, std::vector<std::uint32_t>* slots);
  const Node* rule_node(std::uint32_t rule);
  Value fold(const Node* node);
  std::uint32_t new_slot() { return slot_count_++; }
  // The units whose compiled nodes refer to one another: rules, then definitions, then
  // function instances. refer() records that the unit being compiled uses `unit`.
  std::uint32_t rule_unit(std::uint32_t rule) const noexcept { return rule; }
  std::uint32_t definition_unit(std::uint32_t index) const noexcept {
    return static_cast<std::uint32_t>(rule_nodes_.size()) + index;
  }
  std::uint32_t instance_unit(std::uint32_t instance) const noexcept {
    return static_cast<std::uint32_t>(rule_nodes_.size() + definition_nodes_.size()) + instance;
  }
  void refer(std::uint32_t unit);
  void break_cycles();
  std::uint32_t trace_key(const CheckedTree& tree, const Expr& e);
  // A new ErrorSite for `e`, as the id of a node that can make an error.
  std::uint32_t error_site(const Context& cx, const Expr& e);

  template <typename T, typename... Args>
  T* make(Args&&... args) {
    auto node = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = node.get();
    program_->nodes_.push_back(std::move(node));
    return raw;
  }

  const Env& env_;
  const Checker& checker_;
  PlanOptions options_;
  std::unique_ptr<Program> program_;
  std::uint32_t slot_count_ = 0;
  std::vector<CachedNode*> definition_nodes_;
  std::vector<CachedNode*> rule_nodes_;
  std::vector<bool> rule_compiled_;
  struct InstancePlan {
    const Node* body = nullptr;
    std::vector<std::uint32_t> slots;
    bool started = false;
    std::uint32_t object_function = 0;  // one parameter: its number for Frame::object_memo_slot
  };
  std::vector<InstancePlan> instance_plans_;
  // One constant per field name, shared by every selection of that name, so the frame's
  // recent-lookup entries match by address (Frame::find_field).
  std::map<std::string, Value, std::less<>> field_names_;
  std::vector<CheckIssue> issues_;
  std::vector<std::vector<std::uint32_t>> unit_refs_;  // by unit: the units it uses
  std::vector<std::uint32_t> units_open_;              // being compiled, innermost last
};

}  // namespace safeguard::cel
