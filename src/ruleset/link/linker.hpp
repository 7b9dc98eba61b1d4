// Linking: from the declarations of a rule set's files to a compiled rule set.
//
// Declares `case`, `as_of`, `params`, definitions, functions and rules to the CEL
// checker; parses and checks every expression; rejects duplicate names, unknown levels,
// owners and categories, and cycles between rules; warns about parameters and definitions
// never used and rules that can never fire; then compiles everything into one program.
#pragma once

#include <memory>
#include <vector>

#include "ruleset/compiled.hpp"
#include "ruleset/load/loader.hpp"
#include "ruleset/load/reader.hpp"
#include "safeguard/rule_set.hpp"

namespace safeguard::ruleset {

// Returns null when there are errors (all of them in `diagnostics`).
std::unique_ptr<CompiledRuleSet> link(Gathered gathered, const LoadOptions& options,
                                      std::vector<Diagnostic>& diagnostics);

// Params as a CEL constant map and its object type (link/params.cpp).
void declare_params(const std::vector<ParamDecl>& params, cel::Env& env, cel::ConstantPool& pool);

// Rule-to-rule dependency cycles (link/dependencies.cpp).
void report_rule_cycles(const CompiledRuleSet& rs,
                        const std::vector<const cel::CheckedTree*>& trees,
                        const std::vector<Where>& where, Reporter& r);

// Params, definitions and functions that nothing uses.
void report_unused(const CompiledRuleSet& rs, const std::vector<const cel::CheckedTree*>& roots,
                   Reporter& r);

}  // namespace safeguard::ruleset
