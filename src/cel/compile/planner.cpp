#include "cel/compile/planner.hpp"

#include <algorithm>
#include <type_traits>

#include "cel/eval/optional_nodes.hpp"
#include "cel/lib/regex.hpp"
#include "cel/lib/type_values.hpp"

namespace safeguard::cel {

namespace {

// The operands of `left && right` (kAnd) or `left || right` as one chain, when `left` is
// an uncached node of the same operator (a cached one is shared, or evaluated once per
// loop: it stays one operand); empty when there is no chain to join.
template <bool kAnd>
std::vector<const Node*> junction_operands(const Node* left, const Node* right) {
  using Binary = std::conditional_t<kAnd, AndNode, OrNode>;
  std::vector<const Node*> operands;
  if (const auto* b = dynamic_cast<const Binary*>(left)) {
    operands = {b->left(), b->right()};
  } else if (const auto* j = dynamic_cast<const JunctionNode<kAnd>*>(left)) {
    operands = j->operands();
  } else {
    return operands;
  }
  operands.push_back(right);
  return operands;
}

// The operands of `node` when it is `a && b && ...` (an AndNode or a JunctionNode), to be
// evaluated by a loop without its node; else empty.
std::vector<const Node*> conjuncts_of(const Node* node) {
  if (const auto* b = dynamic_cast<const AndNode*>(node)) return {b->left(), b->right()};
  if (const auto* j = dynamic_cast<const JunctionNode<true>*>(node)) return j->operands();
  return {};
}

// A rule outside its effective window reads as not raised.
class WindowNode final : public Node {
 public:
  WindowNode(std::uint32_t id, const Node* child, RuleWindow window)
      : Node(id), child_(child), window_(window) {}
  Value eval(Frame& f) const override {
    if (f.as_of < window_.from || f.as_of > window_.until) return Value::boolean(false);
    return child_->eval(f);
  }

 private:
  const Node* child_;
  RuleWindow window_;
};

using Uses = std::vector<std::uint32_t>;  // local slots an expression reads, sorted

void merge_uses(Uses& into, const Uses& from) {
  Uses out;
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(out));
  into.swap(out);
}

}  // namespace

struct Planner::Context {
  const CheckedTree* tree = nullptr;
  std::map<const Expr*, std::uint32_t> local_slots;
  const std::vector<std::uint32_t>* param_slots = nullptr;
  int loop_depth = 0;
  // The comprehensions around the expression being compiled, outermost first: the slot of
  // each one's variable (every local bound inside it has a later slot) and the slot that
  // marks each of its runs for LoopCachedNodes, made when the first one needs it.
  struct Loop {
    std::uint32_t variable = 0;
    std::uint32_t scope = ComprehensionNode::kNoScope;
  };
  std::vector<Loop> loops;
  bool in_function = false;
  // Locals read by the expression being compiled (collected bottom-up).
  std::map<const Expr*, Uses> uses;
};

Planner::Planner(const Env& env, const Checker& checker, PlanOptions options)
    : env_(env), checker_(checker), options_(options), program_(std::make_unique<Program>()) {
  slot_count_ = static_cast<std::uint32_t>(env_.variables().size());
  program_->variable_count_ = slot_count_;
  definition_nodes_.assign(env_.definitions().size(), nullptr);
  instance_plans_.resize(checker_.instances().size());
  for (std::size_t i = 0; i < env_.rules().size(); ++i) {
    rule_nodes_.push_back(make<CachedNode>(0, new_slot(), nullptr));
  }
  rule_compiled_.assign(env_.rules().size(), false);
  unit_refs_.resize(rule_nodes_.size() + definition_nodes_.size() + instance_plans_.size());
}

void Planner::refer(std::uint32_t unit) {
  if (units_open_.empty()) return;
  std::vector<std::uint32_t>& refs = unit_refs_[units_open_.back()];
  if (std::find(refs.begin(), refs.end(), unit) == refs.end()) refs.push_back(unit);
}

std::vector<std::uint32_t> find_cycle(const std::vector<std::vector<std::uint32_t>>& edges) {
  // Depth first, without recursion: 0 not seen, 1 on the path, 2 done.
  std::vector<std::uint8_t> state(edges.size(), 0);
  for (std::uint32_t start = 0; start < edges.size(); ++start) {
    if (state[start] != 0) continue;
    std::vector<std::pair<std::uint32_t, std::size_t>> path{{start, 0}};
    state[start] = 1;
    while (!path.empty()) {
      auto& [node, next] = path.back();
      if (next == edges[node].size()) {
        state[node] = 2;
        path.pop_back();
        continue;
      }
      const std::uint32_t to = edges[node][next++];
      if (to >= edges.size() || state[to] == 2) continue;
      if (state[to] == 1) {
        std::vector<std::uint32_t> cycle;
        std::size_t i = path.size();
        while (path[i - 1].first != to) --i;
        for (; i <= path.size(); ++i) cycle.push_back(path[i - 1].first);
        return cycle;
      }
      state[to] = 1;
      path.emplace_back(to, 0);
    }
  }
  return {};
}

void Planner::break_cycles() {
  for (;;) {
    const std::vector<std::uint32_t> cycle = find_cycle(unit_refs_);
    if (cycle.empty()) return;
    CachedNode* node = nullptr;
    std::uint32_t unit = 0;
    for (const std::uint32_t u : cycle) {
      if (u < definition_unit(0)) {
        node = rule_nodes_[u];
      } else if (u < instance_unit(0)) {
        node = definition_nodes_[u - definition_unit(0)];
      }
      unit = u;
      if (node != nullptr) break;
    }
    // A cycle of functions alone is one the checker reports as recursion: nothing to break
    // here (the loader does not plan such a rule set); its edges are dropped all the same.
    if (node != nullptr) {
      node->set_child(make<ErrorNode>(0, ErrorCode::kInternal, "cycle in cached evaluation"));
    }
    unit_refs_[node != nullptr ? unit : cycle.front()].clear();
  }
}

Planner::~Planner() = default;

std::uint32_t Planner::trace_key(const CheckedTree& tree, const Expr& e) {
  TraceSite site;
  site.source = tree.source;
  site.begin = e.begin;
  site.end = e.end;
  if (e.end <= tree.ast->source.size() && e.begin < e.end) {
    site.text = tree.ast->source.substr(e.begin, e.end - e.begin);
  }
  program_->trace_sites_.push_back(std::move(site));
  return static_cast<std::uint32_t>(program_->trace_sites_.size() - 1);
}

std::uint32_t Planner::error_site(const Context& cx, const Expr& e) {
  program_->error_sites_.push_back(ErrorSite{cx.tree->source, e.offset, e.end});
  return static_cast<std::uint32_t>(program_->error_sites_.size() - 1);
}

Value Planner::fold(const Node* node) {
  return node->eval(program_->constants_->frame());
}

const ObjectType* Planner::selected_object(const Context& cx, const Expr& select) {
  const std::vector<const Type*>& types = cx.tree->types;
  const std::uint32_t target = select.target->id;
  if (target >= types.size() || types[target] == nullptr) return nullptr;
  const Type* t = types[target];
  return t->kind == TypeKind::kObject ? t->object : nullptr;
}

FieldPosition Planner::field_position(const Context& cx, const Expr& select) {
  const ObjectType* object = selected_object(cx, select);
  if (object == nullptr || object->layout == ObjectType::kNoLayout) return {};
  const ObjectField* field = object->find(select.name);
  if (field == nullptr) return {};
  return FieldPosition{object->layout, static_cast<std::uint32_t>(field - object->fields.data())};
}

std::optional<Value> Planner::value_when_absent(const Context& cx, const Expr& select) {
  std::optional<Value> v = default_for(cx, select);
  if (v) v->flags |= kFromDefault;
  return v;
}

std::optional<Value> Planner::default_for(const Context& cx, const Expr& select) {
  const ObjectType* object = selected_object(cx, select);
  if (object == nullptr) return std::nullopt;
  const ObjectField* field = object->find(select.name);
  // A required field left out is a violation: a rule reading it must stay undetermined,
  // not decide on a value the snapshot never gave.
  if (field == nullptr || field->required) return std::nullopt;
  const FieldDefault& d = field->when_absent;
  ConstantPool& pool = *program_->constants_;
  // Validation reads a "number" field's value as a double whatever its spelling; so must
  // its default.
  const bool as_double = field->type != nullptr && field->type->kind == TypeKind::kDouble;
  if (as_double && d.kind == FieldDefault::Kind::kInt)
    return Value::real(static_cast<double>(d.integer));
  if (as_double && d.kind == FieldDefault::Kind::kUint)
    return Value::real(static_cast<double>(d.uinteger));
  switch (d.kind) {
    case FieldDefault::Kind::kNone:
      return std::nullopt;
    case FieldDefault::Kind::kNull:
      return Value::null();
    case FieldDefault::Kind::kEmptyList:
      return pool.list({});
    case FieldDefault::Kind::kEmptyObject:
      return pool.map({}, {});
    case FieldDefault::Kind::kBool:
      return Value::boolean(d.boolean);
    case FieldDefault::Kind::kInt:
      return Value::integer(d.integer);
    case FieldDefault::Kind::kUint:
      return Value::uinteger(d.uinteger);
    case FieldDefault::Kind::kDouble:
      return Value::real(d.real);
    case FieldDefault::Kind::kString:
      return pool.string(d.text);
  }
  return std::nullopt;
}

Planner::Compiled Planner::constant(const Expr& e, Value v) {
  Compiled c;
  c.node = make<ConstNode>(e.id, v);
  c.constant = true;
  c.value = v;
  return c;
}

Planner::Compiled Planner::compile(Context& cx, const Expr& e) {
  Compiled c = compile_node(cx, e);
  // Explain wants every computed sub-expression (booleans for "which parts held", the
  // rest for their values when asked); plain reads of variables say nothing new.
  if (options_.trace && !c.constant && dynamic_cast<const SlotNode*>(c.node) == nullptr &&
      e.kind != ExprKind::kIdent) {
    c.node = make<TracedNode>(trace_key(*cx.tree, e), c.node);
  }
  return c;
}

// Wraps a computed node in a per-evaluation cache when it sits inside a loop or a
// function body but reads no local variable: it would give the same value every time.
Planner::Compiled Planner::finish_node(Context& cx, const Expr& e, const Node* node,
                                       bool invariant) {
  Compiled c;
  c.node = node;
  c.invariant = invariant;
  if (invariant && options_.cache_invariants && (cx.loop_depth > 0 || cx.in_function) &&
      dynamic_cast<const SlotNode*>(node) == nullptr &&
      dynamic_cast<const CachedNode*>(node) == nullptr &&
      dynamic_cast<const ConstNode*>(node) == nullptr) {
    c.node = make<CachedNode>(e.id, new_slot(), node);
    return c;
  }
  // Inside loops, a computed node that reads no variable of the outermost loop it sits in
  // (nor any bound inside that loop) is evaluated once per run of that loop. Not in a traced
  // program: explain counts how each part turned out for every item.
  if (!invariant && options_.cache_invariants && !options_.trace && !cx.loops.empty() &&
      dynamic_cast<const SlotNode*>(node) == nullptr &&
      dynamic_cast<const CachedNode*>(node) == nullptr &&
      dynamic_cast<const ConstNode*>(node) == nullptr) {
    const Uses& uses = cx.uses[&e];
    const std::uint32_t last = uses.empty() ? 0 : uses.back();
    for (Context::Loop& loop : cx.loops) {
      if (loop.variable <= last) continue;
      if (loop.scope == ComprehensionNode::kNoScope) loop.scope = new_slot();
      c.node = make<LoopCachedNode>(e.id, new_slot(), loop.scope, node);
      break;
    }
  }
  return c;
}

const Node* Planner::definition_node(std::uint32_t index) {
  refer(definition_unit(index));
  if (definition_nodes_[index] != nullptr) return definition_nodes_[index];
  const CheckedTree* tree = checker_.definition(index);
  CachedNode* node = make<CachedNode>(0, new_slot(), nullptr);
  definition_nodes_[index] = node;
  if (tree == nullptr || tree->ast == nullptr || !tree->ast->root) {
    node->set_child(make<ErrorNode>(0, ErrorCode::kInternal, "definition failed to check"));
    return node;
  }
  Context cx;
  cx.tree = tree;
  units_open_.push_back(definition_unit(index));
  Compiled body = compile(cx, *tree->ast->root);
  units_open_.pop_back();
  node->set_child(body.node);
  return node;
}

const Node* Planner::rule_node(std::uint32_t rule) {
  refer(rule_unit(rule));
  return rule_nodes_[rule];
}

const Node* Planner::function_body(std::uint32_t instance, std::vector<std::uint32_t>* slots) {
  refer(instance_unit(instance));
  InstancePlan& plan = instance_plans_[instance];
  if (!plan.started) {
    plan.started = true;
    const FunctionInstance& inst = *checker_.instances()[instance];
    for (std::size_t i = 0; i < inst.param_types.size(); ++i) plan.slots.push_back(new_slot());
    if (plan.slots.size() == 1) plan.object_function = program_->object_functions_++;
    Context cx;
    cx.tree = &inst.tree;
    cx.param_slots = &plan.slots;
    cx.in_function = true;
    if (inst.tree.ast != nullptr && inst.tree.ast->root) {
      units_open_.push_back(instance_unit(instance));
      plan.body = compile(cx, *inst.tree.ast->root).node;
      units_open_.pop_back();
    } else {
      plan.body = make<ErrorNode>(0, ErrorCode::kInternal, "function failed to check");
    }
  }
  *slots = plan.slots;
  return plan.body;
}

Planner::Compiled Planner::compile_node(Context& cx, const Expr& e) {
  const Ref& ref = cx.tree->refs[e.id];
  ConstantPool& pool = *program_->constants_;
  // Identifiers, and select chains the checker resolved as qualified names.
  if (e.kind == ExprKind::kIdent || (e.kind == ExprKind::kSelect && ref.kind != RefKind::kNone)) {
    switch (ref.kind) {
      case RefKind::kVariable: {
        Compiled c;
        c.node = make<SlotNode>(e.id, ref.index);
        return c;
      }
      case RefKind::kConstant:
        return constant(e, env_.constants()[ref.index].value);
      case RefKind::kDefinition: {
        Compiled c;
        c.node = definition_node(ref.index);
        return c;
      }
      case RefKind::kLocal: {
        Compiled c;
        // A two-variable macro's second variable is in the slot after its first.
        const std::uint32_t slot = cx.local_slots.at(ref.binder) + ref.index;
        c.node = make<SlotNode>(e.id, slot);
        c.invariant = false;
        cx.uses[&e] = Uses{slot};
        return c;
      }
      case RefKind::kParam: {
        Compiled c;
        const std::uint32_t slot = (*cx.param_slots)[ref.index];
        c.node = make<SlotNode>(e.id, slot);
        c.invariant = false;
        cx.uses[&e] = Uses{slot};
        return c;
      }
      case RefKind::kType: {
        const TypeValue* t = type_named(ref.type_name);
        if (t == nullptr) t = type_named("type");
        return constant(e, Value::type_value(t));
      }
      default: {
        Compiled c;
        const std::string message = "undeclared reference to '" + e.name + "'";
        c.node = make<ErrorNode>(error_site(cx, e), ErrorCode::kNoSuchKey, pool.text(message));
        return c;
      }
    }
  }
  switch (e.kind) {
    case ExprKind::kLiteral: {
      const Constant& k = e.constant;
      switch (k.kind) {
        case ConstantKind::kNull:
          return constant(e, Value::null());
        case ConstantKind::kBool:
          return constant(e, Value::boolean(k.bool_value));
        case ConstantKind::kInt:
          return constant(e, Value::integer(k.int_value));
        case ConstantKind::kUint:
          return constant(e, Value::uinteger(k.uint_value));
        case ConstantKind::kDouble:
          return constant(e, Value::real(k.double_value));
        case ConstantKind::kString:
          return constant(e, pool.string(k.string_value));
        case ConstantKind::kBytes:
          return constant(e, pool.bytes(k.string_value));
      }
      return constant(e, Value::null());
    }
    case ExprKind::kSelect:
    case ExprKind::kHas: {
      Compiled target = compile(cx, *e.target);
      auto name = field_names_.find(e.name);
      if (name == field_names_.end()) {
        name = field_names_.emplace(e.name, pool.string(e.name)).first;
      }
      const Value field = name->second;
      // A variable's field (`c.x`) reads the variable's slot in place.
      const auto* slot = dynamic_cast<const SlotNode*>(target.node);
      const Node* node = nullptr;
      if (e.kind == ExprKind::kSelect && slot != nullptr) {
        node = make<SlotSelectNode>(error_site(cx, e), SlotTarget{slot->slot()}, field,
                                    field_position(cx, e), value_when_absent(cx, e));
      } else if (e.kind == ExprKind::kSelect) {
        node = make<SelectNode>(error_site(cx, e), NodeTarget{target.node}, field,
                                field_position(cx, e), value_when_absent(cx, e));
      } else if (slot != nullptr) {
        node = make<SlotHasNode>(e.id, SlotTarget{slot->slot()}, field, field_position(cx, e));
      } else {
        node = make<HasNode>(e.id, NodeTarget{target.node}, field, field_position(cx, e));
      }
      if (const Node* fused = field_path(cx, e, target.node, node)) node = fused;
      cx.uses[&e] = cx.uses[e.target.get()];
      if (target.constant && options_.fold_constants) return constant(e, fold(node));
      return finish_node(cx, e, node, target.invariant);
    }
    case ExprKind::kCall:
      return compile_call(cx, e);
    case ExprKind::kList:
    case ExprKind::kMap: {
      std::vector<const Node*> a;
      std::vector<const Node*> b;
      bool all_constant = true;
      bool invariant = true;
      Uses uses;
      auto add = [&](const Expr& item, std::vector<const Node*>& into) {
        Compiled c = compile(cx, item);
        into.push_back(c.node);
        all_constant = all_constant && c.constant;
        invariant = invariant && c.invariant;
        merge_uses(uses, cx.uses[&item]);
      };
      if (e.kind == ExprKind::kList) {
        for (const auto& item : e.args) add(*item, a);
      } else {
        for (const auto& entry : e.entries) {
          add(*entry.key, a);
          add(*entry.value, b);
        }
      }
      cx.uses[&e] = uses;
      std::vector<bool> optional;  // entries written with '?' (cel-go's optional syntax)
      if (e.kind == ExprKind::kList && !e.optional_indices.empty()) {
        optional.assign(e.args.size(), false);
        for (std::uint32_t i : e.optional_indices) optional[i] = true;
      } else if (e.kind == ExprKind::kMap &&
                 std::any_of(e.entries.begin(), e.entries.end(),
                             [](const MapEntry& entry) { return entry.optional; })) {
        for (const auto& entry : e.entries) optional.push_back(entry.optional);
      }
      const Node* node = nullptr;
      if (!optional.empty() && e.kind == ExprKind::kList) {
        node = make<OptionalListNode>(error_site(cx, e), std::move(a), std::move(optional));
      } else if (e.kind == ExprKind::kList) {
        node = make<ListNode>(error_site(cx, e), std::move(a));
      } else {
        node = make<MapNode>(error_site(cx, e), std::move(a), std::move(b), std::move(optional));
      }
      if (all_constant && options_.fold_constants) return constant(e, fold(node));
      return finish_node(cx, e, node, invariant);
    }
    case ExprKind::kComprehension:
      return compile_comprehension(cx, e);
    case ExprKind::kBind: {
      Compiled init = compile(cx, *e.args[0]);
      const std::uint32_t slot = new_slot();
      cx.local_slots[&e] = slot;
      Compiled body = compile(cx, *e.args[1]);
      Uses uses = cx.uses[e.args[0].get()];
      Uses body_uses = cx.uses[e.args[1].get()];
      body_uses.erase(std::remove(body_uses.begin(), body_uses.end(), slot), body_uses.end());
      merge_uses(uses, body_uses);
      cx.uses[&e] = uses;
      const Node* node = make<BindNode>(e.id, slot, init.node, body.node);
      return finish_node(cx, e, node, uses.empty());
    }
    case ExprKind::kOptMap:
    case ExprKind::kOptFlatMap: {
      // As cel.bind, with the variable bound only when the optional has a value.
      Compiled target = compile(cx, *e.target);
      const std::uint32_t slot = new_slot();
      cx.local_slots[&e] = slot;
      Compiled body = compile(cx, *e.args[0]);
      Uses uses = cx.uses[e.target.get()];
      Uses body_uses = cx.uses[e.args[0].get()];
      body_uses.erase(std::remove(body_uses.begin(), body_uses.end(), slot), body_uses.end());
      merge_uses(uses, body_uses);
      cx.uses[&e] = uses;
      const Node* node = e.kind == ExprKind::kOptMap
                             ? static_cast<const Node*>(make<OptionalMapApplyNode<false>>(
                                   error_site(cx, e), target.node, slot, body.node))
                             : static_cast<const Node*>(make<OptionalMapApplyNode<true>>(
                                   error_site(cx, e), target.node, slot, body.node));
      return finish_node(cx, e, node, uses.empty());
    }
    case ExprKind::kIdent:
      break;
  }
  Compiled c;
  c.node = make<ErrorNode>(error_site(cx, e), ErrorCode::kInternal, "unsupported expression");
  return c;
}

Planner::Compiled Planner::compile_call(Context& cx, const Expr& e) {
  const Ref& ref = cx.tree->refs[e.id];
  std::vector<const Expr*> arg_exprs;
  if (e.target && !ref.qualified) arg_exprs.push_back(e.target.get());
  for (const auto& a : e.args) arg_exprs.push_back(a.get());

  // size(range.filter(x, p)) counts without building the filtered list.
  if (e.name == "size" && arg_exprs.size() == 1 && arg_exprs[0]->kind == ExprKind::kComprehension &&
      arg_exprs[0]->macro == MacroKind::kFilter && ref.kind == RefKind::kOverloads) {
    const Expr& filter = *arg_exprs[0];
    Compiled range = compile(cx, *filter.target);
    const std::uint32_t slot = new_slot();
    cx.local_slots[&filter] = slot;
    ++cx.loop_depth;
    cx.loops.push_back(Context::Loop{slot});
    Compiled pred = compile(cx, *filter.args[0]);
    const std::uint32_t scope = cx.loops.back().scope;
    cx.loops.pop_back();
    --cx.loop_depth;
    Uses uses = cx.uses[filter.target.get()];
    Uses inner = cx.uses[filter.args[0].get()];
    inner.erase(std::remove(inner.begin(), inner.end(), slot), inner.end());
    merge_uses(uses, inner);
    cx.uses[&e] = uses;
    return finish_node(cx, e,
                       make<CountNode>(error_site(cx, e), range.node, slot, pred.node, scope),
                       uses.empty());
  }

  std::vector<Compiled> args;
  Uses uses;
  for (const Expr* a : arg_exprs) {
    args.push_back(compile(cx, *a));
    merge_uses(uses, cx.uses[a]);
  }
  cx.uses[&e] = uses;
  const bool invariant = uses.empty();
  const bool all_constant =
      std::all_of(args.begin(), args.end(), [](const Compiled& c) { return c.constant; });
  std::vector<const Node*> nodes;
  for (const auto& a : args) nodes.push_back(a.node);

  if (e.name == "_&&_" || e.name == "_||_") {
    const bool is_and = e.name == "_&&_";
    // A decisive constant on either side decides (CEL's commutative absorption).
    for (const auto& a : args) {
      if (options_.fold_constants && a.constant && a.value.kind == ValueKind::kBool &&
          a.value.b == !is_and) {
        return constant(e, Value::boolean(!is_and));
      }
    }
    const Node* node = nullptr;
    if (std::vector<const Node*> chain = is_and ? junction_operands<true>(nodes[0], nodes[1])
                                                : junction_operands<false>(nodes[0], nodes[1]);
        !chain.empty()) {
      node = is_and ? static_cast<const Node*>(make<JunctionNode<true>>(e.id, std::move(chain)))
                    : static_cast<const Node*>(make<JunctionNode<false>>(e.id, std::move(chain)));
    } else {
      node = is_and ? static_cast<const Node*>(make<AndNode>(e.id, nodes[0], nodes[1]))
                    : static_cast<const Node*>(make<OrNode>(e.id, nodes[0], nodes[1]));
    }
    if (all_constant && options_.fold_constants) return constant(e, fold(node));
    if (const Node* fused = presence(e, is_and, nodes, node)) node = fused;
    return finish_node(cx, e, node, invariant);
  }
  if (e.name == "!_" && args.size() == 1) {
    const Node* node = make<NotNode>(e.id, nodes[0]);
    if (all_constant && options_.fold_constants) return constant(e, fold(node));
    // `!is_true(x)` in one node (not in traced programs, where is_true() is traced).
    if (const auto* truth = dynamic_cast<const IsTrueNode*>(nodes[0])) {
      node = make<NotTrueNode>(e.id, truth->operand());
    }
    return finish_node(cx, e, node, invariant);
  }
  if (e.name == "_?_:_" && args.size() == 3) {
    if (args[0].constant && args[0].value.kind == ValueKind::kBool && options_.fold_constants) {
      return args[0].value.b ? args[1] : args[2];
    }
    const Node* node = make<ConditionalNode>(e.id, nodes[0], nodes[1], nodes[2]);
    if (all_constant && options_.fold_constants) return constant(e, fold(node));
    if (const Node* fused = field_or(e, nodes, node)) node = fused;
    return finish_node(cx, e, node, invariant);
  }

  if (ref.kind == RefKind::kOverloads && e.target == nullptr) {
    if (e.name == "is_true" && args.size() == 1) {
      const Node* node = make<IsTrueNode>(e.id, nodes[0]);
      if (all_constant && options_.fold_constants) return constant(e, fold(node));
      return finish_node(cx, e, node, invariant);
    }
    if (e.name == "or_else" && args.size() == 2) {
      const Node* node = make<OrElseNode>(e.id, nodes[0], nodes[1]);
      if (all_constant && options_.fold_constants) return constant(e, fold(node));
      return finish_node(cx, e, node, invariant);
    }
  }

  // o.or(p) and o.orValue(v) evaluate the alternative only when o is none.
  if (ref.kind == RefKind::kOverloads && e.target != nullptr && !ref.qualified &&
      args.size() == 2 && (e.name == "or" || e.name == "orValue") && !ref.overloads.empty() &&
      std::all_of(ref.overloads.begin(), ref.overloads.end(), [](const Overload* o) {
        return o->id == "optional_or_optional" || o->id == "optional_orValue_value";
      })) {
    const Node* node = e.name == "or" ? static_cast<const Node*>(make<OptionalOrNode<false>>(
                                            error_site(cx, e), nodes[0], nodes[1]))
                                      : static_cast<const Node*>(make<OptionalOrNode<true>>(
                                            error_site(cx, e), nodes[0], nodes[1]));
    if (all_constant && options_.fold_constants) return constant(e, fold(node));
    return finish_node(cx, e, node, invariant);
  }

  switch (ref.kind) {
    case RefKind::kRule: {
      const char* id = program_->constants_->text(env_.rules()[ref.index]);
      Compiled c;
      c.node = make<RuleRefNode>(e.id, rule_node(ref.index), id);
      return c;
    }
    case RefKind::kFunction: {
      std::vector<std::uint32_t> slots;
      const Node* body = function_body(ref.index, &slots);
      const Node* node = nullptr;
      switch (nodes.size()) {
        case 1: {
          const std::uint32_t object = instance_plans_[ref.index].object_function;
          if (const auto* arg = dynamic_cast<const SlotNode*>(nodes[0])) {
            node =
                make<SlotFunctionCallNode>(error_site(cx, e), arg->slot(), slots[0], body, object);
          } else {
            node = make<FixedFunctionCallNode<1>>(error_site(cx, e), nodes, slots, body, object);
          }
          break;
        }
        case 2:
          node = make<FixedFunctionCallNode<2>>(error_site(cx, e), nodes, slots, body);
          break;
        case 3:
          node = make<FixedFunctionCallNode<3>>(error_site(cx, e), nodes, slots, body);
          break;
        default:
          node =
              make<FunctionCallNode>(error_site(cx, e), std::move(nodes), std::move(slots), body);
      }
      return finish_node(cx, e, node, invariant);
    }
    case RefKind::kOverloads: {
      // A constant pattern is compiled once, and a bad one is a load error.
      if (e.name == "matches" && args.size() == 2 && args[1].constant &&
          args[1].value.kind == ValueKind::kString) {
        CompiledRegex re = compile_regex(args[1].value.str(), options_.max_regex_bytes);
        if (!re.re) {
          base::Issue issue;
          issue.code = "cel.invalid-regex";
          issue.offset = arg_exprs[1]->begin;
          issue.length = std::max<std::uint32_t>(1, arg_exprs[1]->end - arg_exprs[1]->begin);
          issue.message = re.error;
          issues_.push_back(CheckIssue{cx.tree->source, std::move(issue)});
        } else {
          return finish_node(cx, e, make<MatchesNode>(error_site(cx, e), nodes[0], re.re),
                             invariant);
        }
      }
      const Node* node = nullptr;
      switch (nodes.size()) {
        case 1:
          node = make<FixedCallNode<1>>(error_site(cx, e), nodes, ref.overloads);
          break;
        case 2:
          node = make<FixedCallNode<2>>(error_site(cx, e), nodes, ref.overloads);
          break;
        case 3:
          node = make<FixedCallNode<3>>(error_site(cx, e), nodes, ref.overloads);
          break;
        default:
          node = make<CallNode>(
              error_site(cx, e), std::move(nodes), ref.overloads,
              ref.qualified && !ref.overloads.empty() ? ref.overloads.front()->function : e.name);
      }
      const bool foldable =
          std::all_of(ref.overloads.begin(), ref.overloads.end(),
                      [](const Overload* o) { return o->foldable && !o->contextual; });
      if (all_constant && foldable && options_.fold_constants && !ref.overloads.empty()) {
        return constant(e, fold(node));
      }
      if (const Node* fused = date_field(e, ref, nodes, node)) node = fused;
      if (const Node* fused = list_size(e, ref, nodes, node)) node = fused;
      if (const Node* fused = relation(e, ref, nodes, node)) node = fused;
      if (const Node* fused = membership(e, ref, nodes, node)) node = fused;
      if (const Node* fused = equality(e, ref, nodes, node)) node = fused;
      if (const Node* fused = null_test(e, ref, args)) node = fused;
      return finish_node(cx, e, node, invariant);
    }
    default: {
      Compiled c;
      c.node = make<ErrorNode>(error_site(cx, e), ErrorCode::kNoMatchingOverload,
                               program_->constants_->text("no such function: " + e.name));
      c.invariant = invariant;
      return c;
    }
  }
}

// `date(c.x)`, c a variable, as a DateFieldNode around `call` (the FixedCallNode for it),
// when a text argument would be converted by date(string): the first overload that takes a
// text is that one. Not in traced programs, where explain records the field read too.
const Node* Planner::date_field(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                                const Node* call) {
  if (options_.trace || e.name != "date" || e.target != nullptr || args.size() != 1) return nullptr;
  const auto* select = dynamic_cast<const SlotSelectNode*>(args[0]);
  if (select == nullptr) return nullptr;
  for (const Overload* o : ref.overloads) {
    const std::uint8_t kind = o->kinds.empty() ? kAnyKind : o->kinds[0];
    if (kind != kAnyKind && kind != static_cast<std::uint8_t>(ValueKind::kString)) continue;
    if (o->id != "string_to_date") return nullptr;
    return make<DateFieldNode>(e.id, select->target().slot, select->position(), call);
  }
  return nullptr;
}

// An ordering operator as a RelationNode around `call` (its FixedCallNode), which orders two
// dates or two ints itself when the overload the call would pick for them is the plain
// ordering (compare_op in operators.cpp, ids "less_date", "greater_equals_int64", ...).
const Node* Planner::relation(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                              const Node* call) {
  static const char* const kOps[] = {"_<_", "_<=_", "_>_", "_>=_"};
  static const char* const kIds[] = {"less_", "less_equals_", "greater_", "greater_equals_"};
  if (args.size() != 2 || e.target != nullptr) return nullptr;
  int op = 0;
  while (op < 4 && e.name != kOps[op]) ++op;
  if (op == 4) return nullptr;
  // Whether two values of `kind` go to the overload `id`: the first one that takes them.
  auto picks = [&](ValueKind kind, const std::string& id) {
    const auto k = static_cast<std::uint8_t>(kind);
    for (const Overload* o : ref.overloads) {
      bool fits = o->kinds.size() == 2;
      for (std::size_t i = 0; fits && i < 2; ++i)
        fits = o->kinds[i] == kAnyKind || o->kinds[i] == k;
      if (fits) return o->id == id;
    }
    return false;
  };
  const bool dates = picks(ValueKind::kDate, std::string(kIds[op]) + "date");
  const bool ints = picks(ValueKind::kInt, std::string(kIds[op]) + "int64");
  if (!dates && !ints) return nullptr;
  const auto* fixed = static_cast<const FixedCallNode<2>*>(call);
  switch (op) {
    case 0:
      return make<RelationNode<0>>(e.id, args[0], args[1], fixed, dates, ints);
    case 1:
      return make<RelationNode<1>>(e.id, args[0], args[1], fixed, dates, ints);
    case 2:
      return make<RelationNode<2>>(e.id, args[0], args[1], fixed, dates, ints);
    default:
      return make<RelationNode<3>>(e.id, args[0], args[1], fixed, dates, ints);
  }
}

// `size(x)` or `x.size()` as a ListSizeNode around `call` (its FixedCallNode), when a list
// goes to the plain list size overload ("size_list", "list_size" in operators.cpp): the
// first one that takes it.
const Node* Planner::list_size(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                               const Node* call) {
  if (e.name != "size" || args.size() != 1) return nullptr;
  const auto list = static_cast<std::uint8_t>(ValueKind::kList);
  for (const Overload* o : ref.overloads) {
    // As FixedCallNode's dispatch reads them: a kind not given takes any value.
    if (!o->kinds.empty() && o->kinds[0] != kAnyKind && o->kinds[0] != list) continue;
    if (o->id != "size_list" && o->id != "list_size") return nullptr;
    return make<ListSizeNode>(e.id, args[0], static_cast<const FixedCallNode<1>*>(call));
  }
  return nullptr;
}

// `c.x.y` or `has(c.x.y)` (c a variable, x and y recorded by validation) as a FieldPathNode
// around `whole`, the select or has() node for it. Not in traced programs, where the inner
// select is traced (and so is no SlotSelectNode here).
const Node* Planner::field_path(const Context& cx, const Expr& e, const Node* target,
                                const Node* whole) {
  const auto* inner = dynamic_cast<const SlotSelectNode*>(target);
  if (options_.trace || inner == nullptr || inner->position().layout == kNoTape) return nullptr;
  const FieldPosition second = field_position(cx, e);
  if (second.layout == kNoTape) return nullptr;
  const std::uint32_t slot = inner->target().slot;
  if (e.kind == ExprKind::kHas) {
    return make<FieldPathNode<true>>(e.id, slot, inner->position(), second, whole);
  }
  return make<FieldPathNode<false>>(e.id, slot, inner->position(), second, whole);
}

// `has(c.x) && c.x != null` or `!has(c.x) || c.x == null` (c a variable, the same field
// recorded by validation on both sides) as a PresenceNode around `whole`, the && or ||.
const Node* Planner::presence(const Expr& e, bool is_and, const std::vector<const Node*>& args,
                              const Node* whole) {
  const Node* has = args[0];
  if (!is_and) {
    const auto* negation = dynamic_cast<const NotNode*>(has);
    if (negation == nullptr) return nullptr;
    has = negation->operand();
  }
  const auto* h = dynamic_cast<const SlotHasNode*>(has);
  const Node* tested = nullptr;
  if (is_and) {
    if (const auto* n = dynamic_cast<const NullTestNode<true>*>(args[1])) tested = n->operand();
  } else {
    if (const auto* n = dynamic_cast<const NullTestNode<false>*>(args[1])) tested = n->operand();
  }
  const auto* s = dynamic_cast<const SlotSelectNode*>(tested);
  if (h == nullptr || s == nullptr || h->target().slot != s->target().slot) return nullptr;
  const FieldPosition at = h->position();
  if (at.layout == kNoTape || at.layout != s->position().layout ||
      at.position != s->position().position || h->field().str() != s->field().str()) {
    return nullptr;
  }
  return is_and ? static_cast<const Node*>(
                      make<PresenceNode<false>>(e.id, h->target().slot, at, whole))
                : static_cast<const Node*>(
                      make<PresenceNode<true>>(e.id, h->target().slot, at, whole));
}

// `has(c.x) ? c.x : other` or `has(c.x) && c.x != null ? c.x : other` (c a variable, the
// same recorded field in the test and the read) as a FieldOrNode around `whole`, the ?:.
const Node* Planner::field_or(const Expr& e, const std::vector<const Node*>& args,
                              const Node* whole) {
  std::uint32_t slot = 0;
  FieldPosition at;
  if (const auto* h = dynamic_cast<const SlotHasNode*>(args[0])) {
    slot = h->target().slot;
    at = h->position();
  } else if (const auto* p = dynamic_cast<const PresenceNode<false>*>(args[0])) {
    slot = p->slot();
    at = p->position();
  } else {
    return nullptr;
  }
  const auto* s = dynamic_cast<const SlotSelectNode*>(args[1]);
  if (s == nullptr || s->target().slot != slot || at.layout == kNoTape ||
      s->position().layout != at.layout || s->position().position != at.position) {
    return nullptr;
  }
  return make<FieldOrNode>(e.id, slot, at, args[2], whole);
}

// `x in list` as an InListNode around `call` (its FixedCallNode), when a text and a list go
// to the plain membership overload (in_list in operators.cpp): the first one that takes them.
const Node* Planner::membership(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                                const Node* call) {
  if (e.name != "@in" || args.size() != 2 || e.target != nullptr) return nullptr;
  const auto text = static_cast<std::uint8_t>(ValueKind::kString);
  const auto list = static_cast<std::uint8_t>(ValueKind::kList);
  for (const Overload* o : ref.overloads) {
    // As FixedCallNode's dispatch reads them: a kind not given takes any value.
    auto takes = [o](std::size_t i, std::uint8_t kind) {
      return i >= o->kinds.size() || o->kinds[i] == kAnyKind || o->kinds[i] == kind;
    };
    if (!takes(0, text) || !takes(1, list)) continue;
    if (o->id != "in_list") return nullptr;
    return make<InListNode>(e.id, args[0], args[1], static_cast<const FixedCallNode<2>*>(call));
  }
  return nullptr;
}

// `a == b` or `a != b` as an EqualityNode around `call` (its FixedCallNode), when the
// operator's one overload is plain equality ("equals", "not_equals" in operators.cpp).
const Node* Planner::equality(const Expr& e, const Ref& ref, const std::vector<const Node*>& args,
                              const Node* call) {
  const bool eq = e.name == "_==_";
  if ((!eq && e.name != "_!=_") || e.target != nullptr || args.size() != 2) return nullptr;
  if (ref.overloads.size() != 1 || ref.overloads[0]->id != (eq ? "equals" : "not_equals")) {
    return nullptr;
  }
  const auto* fixed = static_cast<const FixedCallNode<2>*>(call);
  if (!eq) return make<EqualityNode<true>>(e.id, args[0], args[1], fixed);
  const Node* node = make<EqualityNode<false>>(e.id, args[0], args[1], fixed);
  // `date(c.x) == date(c.x)`: whether the date can be read. A recorded position names one
  // field of one object type (without a layout, every position is 0: not fused).
  const auto* a = dynamic_cast<const DateFieldNode*>(args[0]);
  const auto* b = dynamic_cast<const DateFieldNode*>(args[1]);
  if (a != nullptr && b != nullptr && a->slot() == b->slot() && a->position().layout != kNoTape &&
      a->position().layout == b->position().layout &&
      a->position().position == b->position().position) {
    return make<DateReadsNode>(e.id, args[0], node);
  }
  return node;
}

// `x == null` or `x != null` (either side) as a NullTestNode, when the operator's one overload
// is plain equality ("equals", "not_equals" in operators.cpp). Not when both sides are null
// constants (folded) or x would have to be evaluated after a constant that is not null.
const Node* Planner::null_test(const Expr& e, const Ref& ref, const std::vector<Compiled>& args) {
  const bool eq = e.name == "_==_";
  if ((!eq && e.name != "_!=_") || e.target != nullptr || args.size() != 2) return nullptr;
  if (ref.overloads.size() != 1 || ref.overloads[0]->id != (eq ? "equals" : "not_equals")) {
    return nullptr;
  }
  auto is_null = [](const Compiled& c) { return c.constant && c.value.kind == ValueKind::kNull; };
  const Node* x = nullptr;
  if (is_null(args[1]) && !is_null(args[0])) x = args[0].node;
  if (is_null(args[0]) && !is_null(args[1])) x = args[1].node;
  if (x == nullptr) return nullptr;
  return eq ? static_cast<const Node*>(make<NullTestNode<false>>(e.id, x))
            : static_cast<const Node*>(make<NullTestNode<true>>(e.id, x));
}

// A macro's arguments, compiled inside its loop. The loop's `count` variables are in the
// slots from `slot` on; its uses (cx.uses[&e]) are the range's and the arguments' but those
// variables, which nothing outside the loop reads.
std::vector<Planner::Compiled> Planner::compile_loop_body(Context& cx, const Expr& e,
                                                          std::uint32_t slot, std::uint32_t count,
                                                          std::uint32_t* scope) {
  cx.local_slots[&e] = slot;
  ++cx.loop_depth;
  cx.loops.push_back(Context::Loop{slot});
  std::vector<Compiled> args;
  Uses inner;
  for (const auto& a : e.args) {
    args.push_back(compile(cx, *a));
    merge_uses(inner, cx.uses[a.get()]);
  }
  *scope = cx.loops.back().scope;
  cx.loops.pop_back();
  --cx.loop_depth;
  inner.erase(std::remove_if(inner.begin(), inner.end(),
                             [&](std::uint32_t s) { return s >= slot && s < slot + count; }),
              inner.end());
  Uses uses = cx.uses[e.target.get()];
  merge_uses(uses, inner);
  cx.uses[&e] = uses;
  return args;
}

Planner::Compiled Planner::compile_comprehension(Context& cx, const Expr& e) {
  if (!e.name2.empty()) return compile_comprehension2(cx, e);
  Compiled range = compile(cx, *e.target);
  const std::uint32_t slot = new_slot();
  std::uint32_t scope = 0;
  const std::vector<Compiled> args = compile_loop_body(cx, e, slot, 1, &scope);
  const Uses& uses = cx.uses[&e];
  const Node* predicate = nullptr;
  const Node* transform = nullptr;
  if (e.macro == MacroKind::kMap) {
    if (args.size() == 2) predicate = args[0].node;
    transform = args.back().node;
  } else {
    predicate = args[0].node;
  }
  const std::uint32_t id = error_site(cx, e);
  const Node* node = nullptr;
  // The loop of kind kKind (with kTruth, `filter(x, is_true(p))`'s), given its predicate
  // `p`: one that is `a && b && ...` is evaluated in the loop from its operands (MacroNode's
  // kConjunction; the predicate's node is a TracedNode in traced programs, so not there).
  const auto loop = [&](auto kind, auto truth, const Node* p, const Node* xform) -> const Node* {
    constexpr MacroKind kKind = decltype(kind)::value;
    constexpr bool kTruth = decltype(truth)::value;
    if (std::vector<const Node*> conjuncts = conjuncts_of(p); !conjuncts.empty()) {
      return make<MacroNode<kKind, kTruth, true>>(id, range.node, slot, p, xform, scope,
                                                  std::move(conjuncts));
    }
    return make<MacroNode<kKind, kTruth>>(id, range.node, slot, p, xform, scope);
  };
  using Plain = std::false_type;
  switch (e.macro) {
    case MacroKind::kAll:
      node =
          loop(std::integral_constant<MacroKind, MacroKind::kAll>{}, Plain{}, predicate, transform);
      break;
    case MacroKind::kExists:
      node = loop(std::integral_constant<MacroKind, MacroKind::kExists>{}, Plain{}, predicate,
                  transform);
      break;
    case MacroKind::kExistsOne:
      node =
          make<MacroNode<MacroKind::kExistsOne>>(id, range.node, slot, predicate, transform, scope);
      break;
    case MacroKind::kFilter: {
      // `filter(x, is_true(p))` tests p's truth in the loop (not in traced programs, where
      // is_true() is traced).
      constexpr std::integral_constant<MacroKind, MacroKind::kFilter> kFilter{};
      if (const auto* truth = dynamic_cast<const IsTrueNode*>(predicate)) {
        node = loop(kFilter, std::true_type{}, truth->operand(), nullptr);
      } else {
        node = loop(kFilter, Plain{}, predicate, transform);
      }
      break;
    }
    case MacroKind::kMap:
      node = make<MacroNode<MacroKind::kMap>>(id, range.node, slot, predicate, transform, scope);
      break;
    default:  // two-variable only: not reached (compile_comprehension2)
      node = make<MacroNode<MacroKind::kTransformList>>(id, range.node, slot, predicate, transform,
                                                        scope);
  }
  return finish_node(cx, e, node, uses.empty());
}

// Two variables in two consecutive slots; the loop is known by the first, so a part that
// reads either is not cached across the loop's elements (see finish_node).
Planner::Compiled Planner::compile_comprehension2(Context& cx, const Expr& e) {
  Compiled range = compile(cx, *e.target);
  const std::uint32_t slot = new_slot();
  new_slot();  // the second variable's, slot + 1
  std::uint32_t scope = 0;
  const std::vector<Compiled> args = compile_loop_body(cx, e, slot, 2, &scope);
  const Uses& uses = cx.uses[&e];
  const bool transform = e.macro == MacroKind::kTransformList ||
                         e.macro == MacroKind::kTransformMap ||
                         e.macro == MacroKind::kTransformMapEntry;
  const Node* predicate = nullptr;
  const Node* result = nullptr;
  if (transform) {
    if (args.size() == 2) predicate = args[0].node;
    result = args.back().node;
  } else {
    predicate = args[0].node;
  }
  const Node* node = make<TwoVarComprehensionNode>(error_site(cx, e), e.macro, range.node, slot,
                                                   predicate, result, scope);
  return finish_node(cx, e, node, uses.empty());
}

std::uint32_t Planner::add_root(const CheckedTree& tree) {
  Context cx;
  cx.tree = &tree;
  Compiled c;
  if (tree.ast != nullptr && tree.ast->root) {
    c = compile(cx, *tree.ast->root);
  } else {
    c.node = make<ErrorNode>(0, ErrorCode::kInternal, "expression failed to parse");
  }
  program_->roots_.push_back(c.node);
  program_->root_constant_.push_back(c.constant ? 1 : 0);
  program_->root_values_.push_back(c.value);
  return static_cast<std::uint32_t>(program_->roots_.size() - 1);
}

std::uint32_t Planner::add_rule(std::uint32_t rule, const CheckedTree& tree, RuleWindow window) {
  Context cx;
  cx.tree = &tree;
  Compiled c;
  if (tree.ast != nullptr && tree.ast->root) {
    units_open_.push_back(rule_unit(rule));
    c = compile(cx, *tree.ast->root);
    units_open_.pop_back();
  } else {
    c.node = make<ErrorNode>(0, ErrorCode::kInternal, "rule condition failed to parse");
  }
  const Node* body = c.node;
  if (window.from != INT64_MIN || window.until != INT64_MAX) {
    body = make<WindowNode>(0, body, window);
    c.constant = false;
  }
  rule_nodes_[rule]->set_child(body);
  rule_compiled_[rule] = true;
  program_->roots_.push_back(rule_nodes_[rule]);
  program_->root_constant_.push_back(c.constant ? 1 : 0);
  program_->root_values_.push_back(c.value);
  return static_cast<std::uint32_t>(program_->roots_.size() - 1);
}

std::uint32_t Planner::add_definition_root(std::uint32_t index) {
  program_->roots_.push_back(definition_node(index));
  program_->root_constant_.push_back(0);
  program_->root_values_.push_back(Value::null());
  return static_cast<std::uint32_t>(program_->roots_.size() - 1);
}

std::unique_ptr<Program> Planner::finish() {
  break_cycles();
  for (std::size_t i = 0; i < rule_nodes_.size(); ++i) {
    if (!rule_compiled_[i]) {
      rule_nodes_[i]->set_child(make<ErrorNode>(0, ErrorCode::kInternal, "rule was not compiled"));
    }
    program_->rules_.push_back(rule_nodes_[i]);
    program_->rule_slots_.push_back(rule_nodes_[i]->slot());
  }
  program_->slot_count_ = slot_count_;
  return std::move(program_);
}

}  // namespace safeguard::cel
