#include "cel/check/env.hpp"

namespace safeguard::cel {

std::uint32_t Env::add_variable(std::string name, const Type* type) {
  const auto index = static_cast<std::uint32_t>(variables_.size());
  names_[name] = Lookup{NameKind::kVariable, index};
  variables_.push_back(VariableDecl{std::move(name), type});
  return index;
}

std::uint32_t Env::add_constant(std::string name, const Type* type, Value value) {
  const auto index = static_cast<std::uint32_t>(constants_.size());
  names_[name] = Lookup{NameKind::kConstant, index};
  constants_.push_back(ConstantDecl{std::move(name), type, value});
  return index;
}

std::uint32_t Env::add_definition(std::string name, const ParsedExpr* ast, SourceId source,
                                  const Scope* scope) {
  const auto index = static_cast<std::uint32_t>(definitions_.size());
  names_[name] = Lookup{NameKind::kDefinition, index};
  definitions_.push_back(DefinitionDecl{std::move(name), ast, source, scope});
  return index;
}

std::uint32_t Env::add_function(FunctionDecl decl) {
  const auto index = static_cast<std::uint32_t>(functions_.size());
  function_index_[decl.name] = index;
  functions_.push_back(std::move(decl));
  return index;
}

std::uint32_t Env::add_rule(std::string id) {
  const auto index = static_cast<std::uint32_t>(rules_.size());
  rule_index_[id] = index;
  rules_.push_back(std::move(id));
  return index;
}

Env::Lookup Env::lookup(const std::string& name) const {
  auto it = names_.find(name);
  return it == names_.end() ? Lookup{} : it->second;
}

const FunctionDecl* Env::find_function(const std::string& name, std::uint32_t* index) const {
  auto it = function_index_.find(name);
  if (it == function_index_.end()) return nullptr;
  *index = it->second;
  return &functions_[it->second];
}

bool Env::find_rule(const std::string& id, std::uint32_t* index) const {
  auto it = rule_index_.find(id);
  if (it == rule_index_.end()) return false;
  *index = it->second;
  return true;
}

std::vector<std::string> Env::identifier_names() const {
  std::vector<std::string> out;
  for (const auto& [name, lookup] : names_) out.push_back(name);
  return out;
}

}  // namespace safeguard::cel
