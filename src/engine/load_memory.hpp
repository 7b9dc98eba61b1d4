// Loading a rule set from texts a caller keeps: RuleSet::load(files) and the C ABI's
// safeguard_rules_load_files / safeguard_live_reload_files.
#pragma once

#include <vector>

#include "ruleset/load/loader.hpp"
#include "safeguard/rule_set.hpp"

namespace safeguard::engine {

// As RuleSet::load(files), over texts that stay the caller's until it returns: each is
// checked against the limit of its kind (rule file, schema, calendar) before any of it is
// copied, so a host's too large buffer is refused, with the loader's diagnostic, uncopied.
LoadResult load_in_memory(std::vector<ruleset::InputView> files, const LoadOptions& options);

}  // namespace safeguard::engine
