// The CEL type checker: resolves names, infers types, selects overloads and reports
// problems (unknown names with suggestions, unknown fields, wrong argument types).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "cel/check/checked.hpp"
#include "cel/check/env.hpp"

namespace safeguard::cel {

struct CheckOptions {
  // When false (CEL's "disable check"), type mismatches are not reported: calls keep
  // every overload of the right name and arity and are dispatched at run time, and
  // undeclared names and functions evaluate to errors (so `x || true` is true).
  bool strict_types = true;
  // How deeply definitions and functions may refer to one another.
  std::uint32_t max_reference_depth = 64;
};

class Checker {
 public:
  Checker(Env& env, CheckOptions options = {});
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  // Checks a root expression. The tree stays owned by the checker. `scope` adds names
  // (e.g. a rule's facts) visible to this expression only.
  const CheckedTree* check(const ParsedExpr& ast, SourceId source, const Scope* scope = nullptr);

  // Checks a definition now, whether or not anything uses it.
  const CheckedTree* ensure_definition(std::uint32_t index);
  // Checks a function's body with dyn parameters if no call has instantiated it.
  void ensure_function(std::uint32_t index);

  // Checked definitions (checked on first use; null if never used or failed).
  const CheckedTree* definition(std::uint32_t index) const;
  const std::vector<std::unique_ptr<FunctionInstance>>& instances() const { return instances_; }
  const std::vector<CheckIssue>& issues() const { return issues_; }
  bool has_errors() const;

  Env& env() { return env_; }

 private:
  class Run;
  friend class Run;

  const CheckedTree* check_definition(std::uint32_t index, const Expr* use, SourceId from);
  FunctionInstance* instantiate(std::uint32_t function, const std::vector<const Type*>& args,
                                const Expr* use, SourceId from);
  std::size_t instance_index(const FunctionInstance* inst) const;
  void report(SourceId source, const Expr* at, std::string code, std::string message,
              std::string hint = {});

  Env& env_;
  CheckOptions options_;
  std::deque<CheckedTree> roots_;
  std::vector<std::unique_ptr<CheckedTree>> definitions_;
  std::vector<std::uint8_t> definition_state_;  // 0 unchecked, 1 in progress, 2 done
  std::vector<std::unique_ptr<FunctionInstance>> instances_;
  std::vector<CheckIssue> issues_;
  std::uint32_t depth_ = 0;
};

}  // namespace safeguard::cel
