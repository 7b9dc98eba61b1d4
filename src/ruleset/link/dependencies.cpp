// Checks across the whole rule set: cycles between rules, and things never used.
#include <functional>
#include <set>

#include "ruleset/link/linker.hpp"

namespace safeguard::ruleset {

void report_rule_cycles(const CompiledRuleSet& rs,
                        const std::vector<const cel::CheckedTree*>& trees,
                        const std::vector<Where>& where, Reporter& r) {
  const auto& ids = rs.env->rules();
  const std::size_t n = ids.size();
  std::vector<int> state(n, 0);  // 0 unvisited, 1 on stack, 2 done
  std::vector<std::size_t> stack;
  std::set<std::size_t> reported;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    state[i] = 1;
    stack.push_back(i);
    if (trees[i] != nullptr) {
      for (std::uint32_t dep : trees[i]->rules_used) {
        if (dep >= n) continue;
        if (state[dep] == 1) {
          // The cycle is the stack from `dep` to the top.
          std::string path;
          bool in_cycle = false;
          for (std::size_t k : stack) {
            if (k == dep) in_cycle = true;
            if (in_cycle) path += ids[k] + " -> ";
          }
          path += ids[dep];
          if (reported.insert(dep).second) {
            r.at(where[dep], Severity::kError, "rule.cycle",
                 "rules depend on each other in a cycle: " + path,
                 "a rule may read other rules' outcomes with raised(), but not its own");
          }
        } else if (state[dep] == 0) {
          visit(dep);
        }
      }
    }
    stack.pop_back();
    state[i] = 2;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] == 0) visit(i);
  }
}

namespace {

// Fields of `params` read anywhere in a tree.
void collect_params(const cel::CheckedTree& tree, const cel::Expr& e, std::uint32_t params_index,
                    std::set<std::string>& used) {
  if (e.kind == cel::ExprKind::kSelect && e.target && e.target->kind == cel::ExprKind::kIdent) {
    const cel::Ref& ref = tree.refs[e.target->id];
    if (ref.kind == cel::RefKind::kConstant && ref.index == params_index) {
      used.insert(e.name);
      return;  // not `params` used whole: do not visit the identifier below
    }
  }
  if (e.kind == cel::ExprKind::kIdent) {
    const cel::Ref& ref = tree.refs[e.id];
    // `params` used whole (e.g. passed along): count every field as used.
    if (ref.kind == cel::RefKind::kConstant && ref.index == params_index) used.insert("*");
  }
  if (e.target) collect_params(tree, *e.target, params_index, used);
  for (const auto& a : e.args) collect_params(tree, *a, params_index, used);
  for (const auto& m : e.entries) {
    collect_params(tree, *m.key, params_index, used);
    collect_params(tree, *m.value, params_index, used);
  }
}

// What some trees read: params by name ("*" for `params` whole), definitions, function
// instances and the functions they are instances of.
struct Reads {
  std::set<std::string> params;
  std::set<std::uint32_t> definitions;
  std::set<std::uint32_t> instances;
  std::set<std::uint32_t> functions;
};

// Adds what `t` reads directly to `reads`; with `reached`, also the trees of the
// definitions and function instances it reads that `reads` did not hold yet.
void add_reads(const CompiledRuleSet& rs, std::uint32_t params_index, const cel::CheckedTree* t,
               Reads& reads, std::vector<const cel::CheckedTree*>* reached) {
  if (t == nullptr || t->ast == nullptr || !t->ast->root) return;
  collect_params(*t, *t->ast->root, params_index, reads.params);
  for (std::uint32_t d : t->definitions_used) {
    if (reads.definitions.insert(d).second && reached != nullptr) {
      reached->push_back(rs.checker->definition(d));
    }
  }
  for (std::uint32_t inst : t->instances_used) {
    if (!reads.instances.insert(inst).second) continue;
    reads.functions.insert(rs.checker->instances()[inst]->function);
    if (reached != nullptr) reached->push_back(&rs.checker->instances()[inst]->tree);
  }
}

}  // namespace

void report_unused(const CompiledRuleSet& rs, const std::vector<const cel::CheckedTree*>& roots,
                   Reporter& r) {
  // What the rules reach: their conditions, facts, messages and due dates, then the
  // definitions and functions those read, and so on. A parameter, definition or function
  // that only something unused reads is never used either.
  const cel::Env::Lookup params = rs.env->lookup("params");
  Reads used;
  std::vector<const cel::CheckedTree*> pending = roots;
  while (!pending.empty()) {
    const cel::CheckedTree* t = pending.back();
    pending.pop_back();
    add_reads(rs, params.index, t, used, &pending);
  }
  // What is read anywhere, the unused included: a name read only there is "used only by
  // what is never used", which says why a policy lead who sees it read gets the warning.
  Reads read;
  for (std::size_t i = 0; i < rs.env->definitions().size(); ++i) {
    add_reads(rs, params.index, rs.checker->definition(static_cast<std::uint32_t>(i)), read,
              nullptr);
  }
  for (const auto& inst : rs.checker->instances()) {
    add_reads(rs, params.index, &inst->tree, read, nullptr);
  }
  const auto never = [](bool read_elsewhere) {
    return read_elsewhere ? "' is used only by definitions or functions that are never used"
                          : "' is never used";
  };

  if (used.params.count("*") == 0) {
    for (const auto& p : rs.source.params) {
      if (used.params.count(p.name) == 0) {
        const bool elsewhere = read.params.count(p.name) != 0 || read.params.count("*") != 0;
        r.at(p.where, Severity::kWarning, "param.unused", "parameter '" + p.name + never(elsewhere),
             "remove it, or use it as params." + p.name);
      }
    }
  }
  for (std::size_t i = 0; i < rs.source.definitions.size(); ++i) {
    const auto& d = rs.source.definitions[i];
    const cel::Env::Lookup l = rs.env->lookup(d.name);
    if (l.kind == cel::Env::NameKind::kDefinition && used.definitions.count(l.index) == 0) {
      r.at(d.where, Severity::kWarning, "definition.unused",
           "definition '" + d.name + never(read.definitions.count(l.index) != 0));
    }
  }
  for (std::size_t i = 0; i < rs.env->functions().size(); ++i) {
    if (used.functions.count(static_cast<std::uint32_t>(i)) == 0 &&
        i < rs.source.functions.size()) {
      r.at(rs.source.functions[i].where, Severity::kWarning, "function.unused",
           "function '" + rs.source.functions[i].name +
               never(read.functions.count(static_cast<std::uint32_t>(i)) != 0));
    }
  }
}

}  // namespace safeguard::ruleset
