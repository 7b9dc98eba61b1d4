// A rule set after linking and compiling: everything evaluation needs, immutable.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cel/check/checker.hpp"
#include "cel/check/env.hpp"
#include "cel/compile/planner.hpp"
#include "cel/compile/program.hpp"
#include "ruleset/model.hpp"
#include "safeguard/calendar.hpp"
#include "safeguard/options.hpp"
#include "snapshot/schema.hpp"
#include "time/calendar.hpp"

namespace safeguard::ruleset {

struct CompiledAction {
  std::string id;
  std::string text;
  std::string owner;
  std::int32_t due_root = -1;  // program root giving the due date; -1: none
  const cel::CheckedTree* due_tree = nullptr;
  // The id's place among the distinct action ids of the rule set, in id order: equal ranks
  // are equal ids, so results compare and sort actions by it (set by the linker).
  std::uint32_t id_rank = 0;
};

struct CompiledPart {
  bool is_expression = false;
  std::string text;
  std::uint32_t root = 0;
  const cel::CheckedTree* tree = nullptr;
};

struct CompiledRule {
  std::string id;
  std::string title;
  std::string description;
  std::string severity;   // "low" .. "critical"
  int severity_rank = 0;  // 0 low .. 3 critical
  std::string category;
  std::string source;
  std::string file;  // rule file path, as shown in diagnostics
  std::uint32_t line = 0;
  std::uint32_t root = 0;       // condition
  std::uint32_t source_id = 0;  // the condition's SourceId (for explain)
  const cel::CheckedTree* tree = nullptr;
  cel::RuleWindow window;
  std::vector<std::pair<std::string, std::uint32_t>> facts;  // name, root
  std::vector<std::uint32_t> fact_definitions;               // Env definition per fact
  std::vector<CompiledPart> message;
  std::vector<CompiledAction> actions;
  // The rule's place among the rule set's rules in id order, and in the order of a
  // result's flags (severity, critical first, then id): results sort by them instead of
  // comparing texts (set by the linker; ids are unique).
  std::uint32_t id_rank = 0;
  std::uint32_t flag_rank = 0;
};

struct CompiledThreshold {
  std::string id;
  std::string description;
  std::uint32_t level = 0;  // index into levels
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t root = 0;
  std::uint32_t source_id = 0;
  const cel::CheckedTree* tree = nullptr;
  cel::RuleWindow window;
};

struct CompiledRuleSet {
  std::string name;
  std::string version;
  std::string title;
  std::string fingerprint;  // SHA-256 of every file, hex
  std::vector<std::string> levels;
  std::string snapshot_schema;  // required `schema` value of snapshots, or ""

  RuleSetSource source;                  // files and declarations (kept for explain texts)
  std::deque<cel::ParsedExpr> asts;      // every parsed expression
  std::vector<const ExprText*> sources;  // SourceId -> expression text
  // SourceId -> what explain calls a definition's or function's expression ("definition x",
  // "function f(a, b)"); empty for the rest (conditions, facts, messages, due dates).
  std::vector<std::string> source_labels;
  std::unique_ptr<cel::ConstantPool> constants;
  std::unique_ptr<cel::Env> env;
  std::unique_ptr<cel::Checker> checker;
  std::vector<cel::Scope> scopes;  // per rule: its facts (stable addresses: reserved)
  std::unique_ptr<cel::Program> program;

  std::vector<CompiledRule> rules;
  std::vector<CompiledThreshold> thresholds;
  std::unique_ptr<snapshot::Schema> schema;

  std::vector<std::shared_ptr<const Calendar>> calendars;
  std::shared_ptr<const time::WorkingCalendar> default_calendar;
  std::string default_calendar_name;

  Limits limits;
  std::uint32_t case_slot = 0;
  std::uint32_t as_of_slot = 1;

  // The same roots compiled with tracing, for explain; built on first use.
  const cel::Program& explain_program() const;

 private:
  mutable std::once_flag explain_once_;
  mutable std::unique_ptr<cel::Program> explain_program_;
};

// Compiles every root of the rule set in a fixed order, so that root indexes recorded in
// rules/thresholds are the same in the plain and the traced program. The first build
// (`assign_roots`) records the indexes; problems go to `issues`.
std::unique_ptr<cel::Program> build_program(const CompiledRuleSet& rs, bool trace,
                                            CompiledRuleSet* assign_roots = nullptr,
                                            std::vector<cel::CheckIssue>* issues = nullptr);

}  // namespace safeguard::ruleset
