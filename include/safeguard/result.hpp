// The result of evaluating one case snapshot against a rule set.
//
// Serialised by to_json() into the stable form documented in docs/result-json.md:
//   { "as_of", "ruleset": {name, version, fingerprint}, "level": {id, reasons},
//     "flags": [...], "actions": [...], "undetermined": [...], "violations": [...] }
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "safeguard/diagnostic.hpp"
#include "safeguard/export.hpp"

namespace safeguard {

struct RuleSetInfo {
  std::string name;
  std::string version;
  std::string fingerprint;  // SHA-256 of the rule set's files, hex
  // SHA-256 (hex) of the working-day calendars the evaluation used: every calendar the rule
  // set can name (its own, the built-in ones, a host's from LoadOptions) and the default
  // one (EvalOptions::calendar when given). With `fingerprint`, everything besides the
  // snapshot and the as-of date that decides a result.
  std::string calendars;
};

struct Fact {
  std::string name;
  std::string value_json;  // the value as JSON; "null" when it could not be computed
  bool determined = true;  // false when the fact's expression failed (missing data)
};

// One step of an explanation: a sub-expression of a condition and how it turned out.
struct ExplainStep {
  std::string expression;  // as written in the rule file
  // The definition or function the part is written in ("definition x", "function f(a, b)"),
  // reached from the condition; empty for a part of the condition itself.
  std::string within;
  std::string outcome;  // "true", "false" or "undetermined"
  // When the sub-expression ran once per list item: how many times each way.
  std::uint32_t times_true = 0;
  std::uint32_t times_false = 0;
  std::uint32_t times_undetermined = 0;
  // How many times the part was a field the snapshot left out, read as the schema's
  // default: the value is the rule set's, not the snapshot's.
  std::uint32_t times_default = 0;
  std::string value_json;  // only with EvalOptions::show_values
};

struct LevelOfNeed {
  std::string id;                    // e.g. "child_in_need"
  std::vector<std::string> reasons;  // ids of the matching threshold rules of that level
  // Only with EvalOptions::explain: for each reason (same order), which parts of its
  // condition held.
  std::vector<std::vector<ExplainStep>> explain;
};

struct Flag {
  std::string id;
  std::string severity;  // "low", "medium", "high", "critical"
  std::string category;
  std::string title;
  std::string message;  // the rendered message template
  std::vector<Fact> facts;
  std::vector<std::string> actions;  // ids of the actions this flag recommends
  std::string source;                // the statutory or local basis
  std::string file;                  // rule file and line where the rule is written
  std::uint32_t line = 0;
  std::vector<ExplainStep> explain;  // only with EvalOptions::explain
};

struct Undetermined {
  std::string id;          // rule or threshold id
  std::string kind;        // "rule" or "threshold"
  std::string reason;      // "missing", "null", "schema-mismatch", "budget-exceeded", ...
  std::string path;        // JSON pointer of the field concerned, when known
  std::string message;     // fixed text, never case data
  std::string depends_on;  // the undetermined rule this one waited on, if that was the cause
  std::vector<ExplainStep> explain;  // only with EvalOptions::explain
  // Where in the rule files the condition failed ("front-door.yaml:12:30": the field read,
  // the call or the operator), when known; "" otherwise.
  std::string at;
};

struct Action {
  std::string id;
  std::string text;
  std::string owner;  // role, e.g. "team_manager"
  // "YYYY-MM-DD": the earliest due date among the recommending flags that gave one; "" when
  // none did.
  std::string due;
  std::vector<std::string> flags;  // the flags that recommend it
  // The recommending flags whose due date could not be worked out (missing or mistyped
  // data): `id` is the flag's rule id, `kind` "due". Their deadline may be earlier than
  // `due`, so it is never silently left out.
  std::vector<Undetermined> due_undetermined;
};

// A snapshot value that does not match the rule set's schema.
struct Violation {
  std::string path;      // JSON pointer
  std::string code;      // "schema.type", "schema.format", "schema.required", ...
  std::string expected;  // e.g. "date (YYYY-MM-DD)"
  std::string message;
};

struct SAFEGUARD_API Result {
  // False when the snapshot could not be evaluated at all (not JSON, not an object, or
  // another snapshot schema): `errors` says why and nothing else is filled in.
  bool evaluated = false;
  std::vector<Diagnostic> errors;

  std::string as_of;
  RuleSetInfo ruleset;
  LevelOfNeed level;
  std::vector<Flag> flags;                 // by severity (critical first), then id
  std::vector<Action> actions;             // by due date, then id
  std::vector<Undetermined> undetermined;  // by id
  std::vector<Violation> violations;       // in document order

  bool has_flag(const std::string& id) const;
  // The stable JSON form (docs/result-json.md); byte-identical for identical inputs.
  std::string to_json(bool pretty = false) const;
  // The same text appended to `out`, whose storage is reused: a host writing many results
  // (a batch) keeps one string and spares an allocation and a copy per result.
  void write_json(std::string& out, bool pretty = false) const;
};

// Readable text for people: level, flags by severity with messages, actions with due
// dates, what could not be decided.
SAFEGUARD_API std::string to_text(const Result& result);

}  // namespace safeguard
