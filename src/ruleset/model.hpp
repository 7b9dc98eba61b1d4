// What the loader reads from a rule set's files, before anything is checked or compiled.
// Every declaration remembers where it was written, for diagnostics and for the result
// (a flag names its rule's file and line).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/source.hpp"
#include "ruleset/load/expr_text.hpp"

namespace safeguard::ruleset {

struct Where {
  std::uint32_t file = 0;    // index into RuleSetSource::files
  std::uint32_t offset = 0;  // byte offset in that file
  std::uint32_t length = 1;
};

// A parameter's value: numbers, text, booleans and lists of them.
struct ParamValue {
  enum class Kind : std::uint8_t { kInt, kDouble, kBool, kString, kList };
  Kind kind = Kind::kInt;
  std::int64_t int_value = 0;
  double double_value = 0;
  bool bool_value = false;
  std::string string_value;
  std::vector<ParamValue> items;
};

struct ParamDecl {
  std::string name;
  ParamValue value;
  std::string basis;  // the statutory or local standard it comes from
  std::string unit;   // "working days", "months", ...
  std::string description;
  Where where;
};

struct DefinitionDecl {
  std::string name;
  ExprText expr;
  Where where;
};

struct FunctionDecl {
  std::string name;
  std::vector<std::string> params;
  ExprText body;
  Where where;
};

// A message template: literal text and CEL expressions in braces.
struct TemplatePart {
  bool is_expression = false;
  std::string text;  // literal text, or the expression
  ExprText expr;     // for expressions
};

struct ActionDecl {
  std::string id;
  std::string text;
  std::string owner;
  ExprText due;  // a date expression; may be empty (no due date)
  Where where;
  Where owner_where;  // the owner's value, for "unknown owner"
  Where text_where;   // the text's value
};

struct FactDecl {
  std::string name;
  ExprText expr;
  Where where;
};

enum class RuleSeverity : std::uint8_t { kLow, kMedium, kHigh, kCritical };

struct RuleDecl {
  std::string id;
  std::string title;
  std::string description;
  RuleSeverity severity = RuleSeverity::kMedium;
  std::string category;
  Where category_where;  // the category's value, for "unknown category"
  ExprText when;
  std::vector<FactDecl> facts;
  std::vector<TemplatePart> message;
  std::vector<ActionDecl> actions;
  std::string source;
  std::optional<std::int64_t> effective_from;   // days
  std::optional<std::int64_t> effective_until;  // days, inclusive
  Where where;
};

struct ThresholdDecl {
  std::string id;
  std::string level;
  std::string description;
  ExprText when;
  std::optional<std::int64_t> effective_from;
  std::optional<std::int64_t> effective_until;
  Where where;
  Where level_where;
};

struct Manifest {
  std::string name;
  std::string version;
  std::string title;
  std::string description;
  std::vector<std::string> levels;  // lowest first
  std::string calendar;             // default calendar name
  std::string calendars_dir = "calendars";
  std::string schema_path;              // JSON Schema of snapshots, relative to the rule set
  std::string snapshot_schema;          // the `schema` value snapshots must carry, if any
  std::vector<std::string> owners;      // allowed action owner roles (empty: any)
  std::vector<std::string> categories;  // allowed rule categories (empty: any)
  std::vector<std::string> files;       // rule files, if listed explicitly
  std::vector<Where> files_where;       // where each listed file is named
  Where calendar_where;                 // the `calendar` value (or the manifest's start)
  bool calendars_given = false;         // `calendars` is in the manifest (not the default)
  Where calendars_where;                // the `calendars` value, when given
  Where schema_where;                   // the `schema` value, when given
  Where where;
};

struct SourceFile {
  std::string path;  // as given (relative to the rule set directory)
  base::SourceText text;
};

struct RuleSetSource {
  Manifest manifest;
  std::vector<SourceFile> files;  // [0] is the manifest
  std::vector<ParamDecl> params;
  std::vector<DefinitionDecl> definitions;
  std::vector<FunctionDecl> functions;
  std::vector<RuleDecl> rules;
  std::vector<ThresholdDecl> thresholds;
  // Params, definitions, functions and facts declared with an error (reported already):
  // uses of these names are not reported again as unknown.
  std::set<std::string> broken_names;
};

const char* severity_name(RuleSeverity s);

}  // namespace safeguard::ruleset
