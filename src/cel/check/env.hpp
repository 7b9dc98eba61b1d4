// Declarations that expressions are checked against: variables supplied at evaluation
// time, constants known at load time (a rule set's params), named definitions,
// parameterised functions written in CEL, and rule outcomes (`raised("rule.id")`).
//
// The rule-set layer fills an Env from rule files; `safeguard expr` fills one from its
// --vars. The Env only declares; the checker resolves and the compiler builds.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cel/ast/ast.hpp"
#include "cel/lib/registry.hpp"
#include "cel/types/type.hpp"
#include "cel/value/value.hpp"

namespace safeguard::cel {

// Identifies which text an expression came from, so issues can be placed in files.
using SourceId = std::uint32_t;

struct VariableDecl {
  std::string name;
  const Type* type = nullptr;
};

struct ConstantDecl {
  std::string name;
  const Type* type = nullptr;
  Value value{};  // owned by the program's constant pool
};

// Extra names visible to one expression: e.g. a rule's facts, which its message and
// actions may use by name. Maps a name to a definition index.
using Scope = std::map<std::string, std::uint32_t>;

struct DefinitionDecl {
  std::string name;
  const ParsedExpr* ast = nullptr;
  SourceId source = 0;
  const Scope* scope = nullptr;  // names visible inside this definition, besides the Env's
};

struct FunctionDecl {
  std::string name;
  std::vector<std::string> params;
  std::vector<std::uint32_t> param_offsets;  // where each parameter is named, for issues
  const ParsedExpr* body = nullptr;
  SourceId source = 0;
};

class Env {
 public:
  explicit Env(const FunctionRegistry& registry = FunctionRegistry::standard())
      : registry_(&registry) {}
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  const FunctionRegistry& registry() const noexcept { return *registry_; }
  TypeStore& types() noexcept { return types_; }

  // Each returns the declaration's index. Names must be unique across variables,
  // constants and definitions (the caller reports duplicates).
  std::uint32_t add_variable(std::string name, const Type* type);
  std::uint32_t add_constant(std::string name, const Type* type, Value value);
  // Definitions with a name that is not a CEL identifier (e.g. "rule-id#fact") can only be
  // reached through a Scope.
  std::uint32_t add_definition(std::string name, const ParsedExpr* ast, SourceId source,
                               const Scope* scope = nullptr);
  std::uint32_t add_function(FunctionDecl decl);
  std::uint32_t add_rule(std::string id);
  // The name of the function that reads a rule's outcome ("raised" unless changed).
  void set_rule_function(std::string name) { rule_function_ = std::move(name); }

  const std::vector<VariableDecl>& variables() const noexcept { return variables_; }
  const std::vector<ConstantDecl>& constants() const noexcept { return constants_; }
  const std::vector<DefinitionDecl>& definitions() const noexcept { return definitions_; }
  const std::vector<FunctionDecl>& functions() const noexcept { return functions_; }
  const std::vector<std::string>& rules() const noexcept { return rules_; }
  const std::string& rule_function() const noexcept { return rule_function_; }

  enum class NameKind { kNone, kVariable, kConstant, kDefinition };
  struct Lookup {
    NameKind kind = NameKind::kNone;
    std::uint32_t index = 0;
  };
  Lookup lookup(const std::string& name) const;
  const FunctionDecl* find_function(const std::string& name, std::uint32_t* index) const;
  bool find_rule(const std::string& id, std::uint32_t* index) const;

  // Every name an identifier could refer to, for "did you mean".
  std::vector<std::string> identifier_names() const;

 private:
  const FunctionRegistry* registry_;
  TypeStore types_;
  std::vector<VariableDecl> variables_;
  std::vector<ConstantDecl> constants_;
  std::vector<DefinitionDecl> definitions_;
  std::vector<FunctionDecl> functions_;
  std::vector<std::string> rules_;
  std::map<std::string, Lookup> names_;
  std::map<std::string, std::uint32_t> function_index_;
  std::map<std::string, std::uint32_t> rule_index_;
  std::string rule_function_ = "raised";
};

}  // namespace safeguard::cel
