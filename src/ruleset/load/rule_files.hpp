// Reading the manifest and rule files into a RuleSetSource.
#pragma once

#include "ruleset/load/reader.hpp"
#include "ruleset/model.hpp"

namespace safeguard::ruleset {

void read_manifest(const YamlNode& root, std::uint32_t file, Reporter& r, Manifest* m);

// Adds the params, definitions, functions, rules and thresholds of one rule file.
void read_rule_file(const YamlNode& root, std::uint32_t file, Reporter& r, RuleSetSource* out);

// Splits a message template into literal text and {expression} parts.
std::vector<TemplatePart> parse_template(const ExprText& text, Reporter& r);

}  // namespace safeguard::ruleset
