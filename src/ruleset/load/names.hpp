// What names in rule files may look like.
#pragma once

#include <string_view>

namespace safeguard::ruleset {

// CEL identifiers (params, definitions, functions, facts, function parameters), which
// must not be CEL reserved words.
bool is_identifier(std::string_view name);
bool is_reserved_word(std::string_view name);

// Rule, threshold and action ids: lower-case letters, digits, '.', '-' and '_', starting
// with a letter or digit ("front-door.decision-overdue").
bool is_rule_id(std::string_view id);

}  // namespace safeguard::ruleset
