#include "ruleset/link/linker.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "base/sha256.hpp"
#include "base/spelling.hpp"
#include "cel/parse/parser.hpp"
#include "ruleset/load/calendar_access.hpp"
#include "time/date.hpp"

namespace safeguard::ruleset {

namespace {

// The working-day calendar of a rule set whose manifest names none.
constexpr const char* kDefaultCalendar = "england-and-wales";

// "did you mean 'x'?", or else the allowed names when there are few enough to read.
std::string suggest(const std::string& name, const std::vector<std::string>& allowed,
                    const char* what) {
  std::string hint = base::did_you_mean(name, allowed);
  if (!hint.empty() || allowed.empty() || allowed.size() > 12) return hint;
  hint = std::string("the manifest's ") + what + " are: ";
  for (std::size_t i = 0; i < allowed.size(); ++i) hint += (i ? ", " : "") + allowed[i];
  return hint;
}

class Linker {
 public:
  Linker(CompiledRuleSet& rs, const LoadOptions& options, std::vector<Diagnostic>& diagnostics)
      : rs_(rs), options_(options), r_(rs.source.files, diagnostics) {}

  void run(const std::string& schema_text, const std::string& schema_file,
           std::vector<Diagnostic>& diagnostics);

 private:
  // Parses an expression; returns its SourceId, or -1 after reporting a syntax error.
  int parse(const ExprText& text);
  const cel::ParsedExpr& ast(int source) { return rs_.asts[static_cast<std::size_t>(source)]; }
  void report_check_issues();
  void declare_names();
  void check_roots();
  std::string rule_scope_hint(std::size_t source) const;
  void check_calendar_names();
  void check_codes();
  void check_code(const cel::CheckedTree& tree, const cel::Expr& field, const cel::Expr& literal);
  void check_type(const cel::CheckedTree* tree, const ExprText& text, cel::TypeKind want,
                  const std::string& what);
  void warn_is_true(const cel::CheckedTree* tree, const ExprText& text, const std::string& owner);
  void validate_levels_and_roles();
  void populate();
  void compile();
  void warn_needs_never_raised();

  CompiledRuleSet& rs_;
  const LoadOptions& options_;
  Reporter r_;
  // Names whose declaration did not parse: uses of them are not reported again as unknown.
  std::set<std::string> broken_names_;
  std::vector<int> definition_sources_;  // per source definition
  std::vector<int> function_sources_;
  struct RuleSources {
    int when = -1;
    std::vector<int> facts;
    std::vector<int> parts;  // per message part (-1 for text)
    std::vector<int> due;    // per action
    std::vector<std::uint32_t> fact_definitions;
  };
  std::vector<RuleSources> rule_sources_;
  std::vector<int> threshold_sources_;
  std::vector<const cel::CheckedTree*> rule_trees_;  // by Env rule index (rules, then thresholds)
  std::vector<Where> rule_where_;
  std::vector<const cel::CheckedTree*> all_roots_;
  std::vector<std::vector<const cel::CheckedTree*>> part_trees_;  // per rule, per message part
  std::vector<std::vector<const cel::CheckedTree*>> due_trees_;   // per rule, per action
};

namespace {
bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether the quote at `q` opens a raw string: r"..", R"..", br"..", as a token of its own.
bool raw_prefix(const std::string& t, std::size_t q) {
  if (q == 0 || (t[q - 1] != 'r' && t[q - 1] != 'R')) return false;
  std::size_t start = q - 1;
  if (start > 0 && (t[start - 1] == 'b' || t[start - 1] == 'B')) --start;
  return start == 0 || !is_ident_char(t[start - 1]);
}

// Where a `//` comment starts outside string literals, or npos. Literals are skipped the
// way the CEL lexer reads them: triple quotes, raw strings (r"C:\", no escapes) and
// `quoted identifiers`, so that a '//' in any of them is not taken for a comment.
std::size_t comment_start(const std::string& t) {
  const std::size_t n = t.size();
  std::size_t i = 0;
  while (i + 1 < n) {
    const char c = t[i];
    if (c == '"' || c == '\'' || c == '`') {
      const bool triple = c != '`' && i + 2 < n && t[i + 1] == c && t[i + 2] == c;
      const bool raw = c == '`' || raw_prefix(t, i);
      std::size_t j = i + (triple ? 3 : 1);
      while (j < n) {
        if (t[j] == '\\' && !raw) {
          j += 2;
        } else if (t[j] == c && (!triple || (j + 2 < n && t[j + 1] == c && t[j + 2] == c))) {
          break;
        } else {
          ++j;
        }
      }
      i = j + (triple ? 3 : 1);
      continue;
    }
    if (c == '/' && t[i + 1] == '/') return i;
    ++i;
  }
  return std::string::npos;
}
}  // namespace

int Linker::parse(const ExprText& text) {
  // A `>` block (and a plain or quoted value over several lines) joins its lines with
  // spaces, so a `//` comment on one line would silently swallow every line after it.
  const std::size_t comment = comment_start(text.text);
  if (comment != std::string::npos && text.offsets.size() == text.text.size() + 1) {
    // The comment runs to the next line break CEL sees; in the file, that may be lines later.
    const std::size_t end = std::min(text.text.find('\n', comment), text.text.size());
    const std::string_view file = r_.files()[text.file].text.text();
    const std::size_t from = text.offsets[comment];
    const std::size_t to = std::min<std::size_t>(text.offsets[end], file.size());
    if (from < to && file.substr(from, to - from).find('\n') != std::string_view::npos) {
      base::Issue issue;
      issue.code = "cel.syntax";
      issue.offset = static_cast<std::uint32_t>(comment);
      issue.length = 2;
      issue.message =
          "a '//' comment here hides the lines after it: YAML joins the lines of this value into "
          "one";
      issue.hint =
          "write the condition after '|' (which keeps its lines) and the comment ends with its "
          "line";
      r_.in_expression(text, issue);
      return -1;
    }
  }
  cel::ParserOptions options;
  options.max_length = options_.limits.max_expression_bytes;
  options.max_depth = options_.limits.max_expression_depth;
  cel::ParseResult parsed = cel::parse(text.text, options);
  if (!parsed.ok()) {
    for (const auto& issue : parsed.issues) r_.in_expression(text, issue);
    return -1;
  }
  rs_.asts.push_back(std::move(parsed.expr));
  rs_.sources.push_back(&text);
  return static_cast<int>(rs_.asts.size() - 1);
}

void Linker::declare_names() {
  cel::Env& env = *rs_.env;
  const std::set<std::string> reserved = {"case", "as_of", "params"};
  std::map<std::string, Where> seen;  // names of definitions and functions
  auto clash = [&](const std::string& name, const Where& where, const char* code,
                   const char* what) {
    if (reserved.count(name) != 0) {
      r_.at(where, Severity::kError, code,
            std::string(what) + " '" + name + "' would hide the built-in variable '" + name + "'");
      return true;
    }
    auto it = seen.find(name);
    if (it != seen.end()) {
      const auto pos = rs_.source.files[it->second.file].text.position(it->second.offset);
      r_.at(where, Severity::kError, code,
            std::string(what) + " '" + name + "' is already defined (" +
                rs_.source.files[it->second.file].text.name() + ":" + std::to_string(pos.line) +
                ")");
      return true;
    }
    seen.emplace(name, where);
    return false;
  };

  // Params.
  {
    std::map<std::string, Where> params;
    std::vector<ParamDecl> unique;
    for (const auto& p : rs_.source.params) {
      auto it = params.find(p.name);
      if (it != params.end()) {
        const auto pos = rs_.source.files[it->second.file].text.position(it->second.offset);
        r_.at(p.where, Severity::kError, "param.duplicate",
              "parameter '" + p.name + "' is already defined (" +
                  rs_.source.files[it->second.file].text.name() + ":" + std::to_string(pos.line) +
                  ")");
        continue;
      }
      params.emplace(p.name, p.where);
      unique.push_back(p);
    }
    declare_params(unique, env, *rs_.constants);
  }

  // Definitions.
  for (const auto& d : rs_.source.definitions) {
    int source = -1;
    if (!clash(d.name, d.where, "definition.duplicate", "definition")) {
      source = parse(d.expr);
      if (source >= 0) env.add_definition(d.name, &ast(source), static_cast<cel::SourceId>(source));
      if (source < 0) broken_names_.insert(d.name);
    }
    definition_sources_.push_back(source);
  }

  // Functions.
  const cel::FunctionRegistry& registry = env.registry();
  for (const auto& f : rs_.source.functions) {
    int source = -1;
    if (registry.has_function(f.name) || f.name == env.rule_function()) {
      r_.at(f.where, Severity::kError, "function.shadows-builtin",
            "function '" + f.name + "' has the name of a built-in function", "choose another name");
    } else if (!clash(f.name, f.where, "function.duplicate", "function")) {
      source = parse(f.body);
      if (source < 0) broken_names_.insert(f.name);
      if (source >= 0) {
        cel::FunctionDecl decl;
        decl.name = f.name;
        decl.params = f.params;
        decl.body = &ast(source);
        decl.source = static_cast<cel::SourceId>(source);
        env.add_function(std::move(decl));
      }
    }
    function_sources_.push_back(source);
  }

  // Rule and threshold ids share one namespace (raised() can read either).
  std::map<std::string, Where> ids;
  auto add_id = [&](const std::string& id, const Where& where) {
    if (id.empty()) return;
    auto it = ids.find(id);
    if (it != ids.end()) {
      const auto pos = rs_.source.files[it->second.file].text.position(it->second.offset);
      r_.at(where, Severity::kError, "rule.duplicate-id",
            "id '" + id + "' is already used (" + rs_.source.files[it->second.file].text.name() +
                ":" + std::to_string(pos.line) + ")",
            "rule and threshold ids are unique across the rule set: rename one of them");
    }
    ids.emplace(id, where);
  };
  for (const auto& rule : rs_.source.rules) {
    add_id(rule.id, rule.where);
    env.add_rule(rule.id);
    rule_where_.push_back(rule.where);
  }
  for (const auto& t : rs_.source.thresholds) {
    add_id(t.id, t.where);
    env.add_rule(t.id);
    rule_where_.push_back(t.where);
  }

  // Facts become definitions visible, by name, to their own rule's facts, message and
  // actions. Their names contain '#', which no identifier can, so nothing else sees them.
  rs_.scopes.resize(rs_.source.rules.size());
  for (std::size_t i = 0; i < rs_.source.rules.size(); ++i) {
    const RuleDecl& rule = rs_.source.rules[i];
    RuleSources rsrc;
    std::set<std::string> fact_names;
    for (const auto& fact : rule.facts) {
      if (!fact_names.insert(fact.name).second) {
        r_.at(fact.where, Severity::kError, "fact.duplicate",
              "rule '" + rule.id + "' defines fact '" + fact.name + "' twice");
        rsrc.facts.push_back(-1);
        continue;
      }
      const int source = parse(fact.expr);
      rsrc.facts.push_back(source);
      if (source < 0) broken_names_.insert(fact.name);
      if (source >= 0) {
        const std::uint32_t index =
            env.add_definition(rule.id + "#" + fact.name, &ast(source),
                               static_cast<cel::SourceId>(source), &rs_.scopes[i]);
        rs_.scopes[i][fact.name] = index;
        rsrc.fact_definitions.push_back(index);
      }
    }
    rsrc.when = rule.when.empty() ? -1 : parse(rule.when);
    for (const auto& part : rule.message)
      rsrc.parts.push_back(part.is_expression ? parse(part.expr) : -1);
    for (const auto& action : rule.actions)
      rsrc.due.push_back(action.due.empty() ? -1 : parse(action.due));
    rule_sources_.push_back(std::move(rsrc));
  }
  for (const auto& t : rs_.source.thresholds)
    threshold_sources_.push_back(t.when.empty() ? -1 : parse(t.when));
}

namespace {
bool looks_like_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}
}  // namespace

void Linker::check_type(const cel::CheckedTree* tree, const ExprText& text, cel::TypeKind want,
                        const std::string& what) {
  if (tree == nullptr || tree->ast == nullptr || !tree->ast->root) return;
  const cel::Type* t = tree->type_of(*tree->ast->root);
  if (t->kind == want || t->kind == cel::TypeKind::kDyn || t->kind == cel::TypeKind::kError) return;
  base::Issue issue;
  issue.code = "cel.wrong-result-type";
  issue.offset = 0;
  issue.length = static_cast<std::uint32_t>(text.text.size());
  issue.message = what + " must be " + (want == cel::TypeKind::kBool ? "true or false" : "a date") +
                  ", but this expression gives " + cel::type_name(t);
  if (want == cel::TypeKind::kDate && t->kind == cel::TypeKind::kInt &&
      looks_like_date(text.text)) {
    // `due: 2024-06-30` (quoted or not: YAML drops the quotes) is CEL for 2024 - 6 - 30.
    issue.hint = "CEL reads " + text.text + " as a subtraction; write date('" + text.text + "')";
  } else if (want == cel::TypeKind::kDate && t->kind == cel::TypeKind::kString) {
    issue.hint = "convert it with date(...)";
  } else if (want == cel::TypeKind::kBool && t->kind == cel::TypeKind::kList) {
    issue.hint = "to test a list, use .exists(x, ...) or .size() > 0";
  } else if (want == cel::TypeKind::kBool &&
             (t->kind == cel::TypeKind::kInt || t->kind == cel::TypeKind::kUint ||
              t->kind == cel::TypeKind::kDouble)) {
    issue.hint = "compare the number with something: size(x) > 0, x >= params.limit";
  } else if (want == cel::TypeKind::kBool && t->kind == cel::TypeKind::kString) {
    issue.hint = "compare the text with something: x == \"value\", x in [\"a\", \"b\"]";
  }
  r_.in_expression(text, issue);
}

// is_true() turns "cannot tell" into "no": right for listing facts, wrong for deciding
// whether a child is at risk.
void Linker::warn_is_true(const cel::CheckedTree* tree, const ExprText& text,
                          const std::string& owner) {
  if (tree == nullptr || text.text.find("is_true") == std::string::npos) return;
  base::Issue issue;
  issue.severity = Severity::kWarning;
  issue.code = "rule.unsafe-is-true";
  issue.offset = static_cast<std::uint32_t>(text.text.find("is_true"));
  issue.length = 7;
  issue.message = "is_true() in the condition of '" + owner + "' reads missing data as 'no'";
  issue.hint =
      "use is_true() in facts and messages; let conditions be undetermined when data is missing";
  r_.in_expression(text, issue);
}

void Linker::check_roots() {
  cel::Checker& checker = *rs_.checker;
  const std::size_t rule_count = rs_.source.rules.size();
  rule_trees_.assign(rule_count + rs_.source.thresholds.size(), nullptr);
  for (std::size_t i = 0; i < rule_count; ++i) {
    const RuleDecl& rule = rs_.source.rules[i];
    const RuleSources& src = rule_sources_[i];
    const cel::Scope* scope = &rs_.scopes[i];
    if (src.when >= 0) {
      const cel::CheckedTree* t =
          checker.check(ast(src.when), static_cast<cel::SourceId>(src.when));
      rule_trees_[i] = t;
      all_roots_.push_back(t);
      check_type(t, rule.when, cel::TypeKind::kBool, "the condition of rule '" + rule.id + "'");
      warn_is_true(t, rule.when, rule.id);
    }
    for (std::uint32_t def : src.fact_definitions) checker.ensure_definition(def);
    part_trees_.emplace_back(src.parts.size(), nullptr);
    due_trees_.emplace_back(src.due.size(), nullptr);
    for (std::size_t k = 0; k < src.parts.size(); ++k) {
      if (src.parts[k] < 0) continue;
      const cel::CheckedTree* t =
          checker.check(ast(src.parts[k]), static_cast<cel::SourceId>(src.parts[k]), scope);
      part_trees_.back()[k] = t;
      all_roots_.push_back(t);
    }
    for (std::size_t k = 0; k < src.due.size(); ++k) {
      if (src.due[k] < 0) continue;
      const cel::CheckedTree* t =
          checker.check(ast(src.due[k]), static_cast<cel::SourceId>(src.due[k]), scope);
      due_trees_.back()[k] = t;
      all_roots_.push_back(t);
      check_type(t, rule.actions[k].due, cel::TypeKind::kDate,
                 "the due date of action '" + rule.actions[k].id + "'");
    }
  }
  for (std::size_t i = 0; i < rs_.source.thresholds.size(); ++i) {
    const ThresholdDecl& th = rs_.source.thresholds[i];
    const int src = threshold_sources_[i];
    if (src < 0) continue;
    const cel::CheckedTree* t = checker.check(ast(src), static_cast<cel::SourceId>(src));
    rule_trees_[rule_count + i] = t;
    all_roots_.push_back(t);
    check_type(t, th.when, cel::TypeKind::kBool, "the condition of threshold '" + th.id + "'");
    warn_is_true(t, th.when, th.id);
  }
  // Check what nothing uses too, so its mistakes are not hidden until someone uses it.
  for (std::size_t i = 0; i < rs_.env->definitions().size(); ++i) {
    checker.ensure_definition(static_cast<std::uint32_t>(i));
  }
  for (std::size_t i = 0; i < rs_.env->functions().size(); ++i) {
    checker.ensure_function(static_cast<std::uint32_t>(i));
  }
}

void Linker::report_check_issues() {
  broken_names_.insert(rs_.source.broken_names.begin(), rs_.source.broken_names.end());
  std::vector<std::string> param_names;
  for (const auto& p : rs_.source.params) param_names.push_back(p.name);
  for (const auto& issue : rs_.checker->issues()) {
    if (issue.source >= rs_.sources.size()) continue;
    const ExprText& text = *rs_.sources[issue.source];
    std::string name = text.text.substr(std::min<std::size_t>(issue.issue.offset, text.text.size()),
                                        issue.issue.length);
    if (issue.issue.code == "cel.undeclared-function" && !name.empty() && name[0] == '(') {
      // A global call is located at its '(': the name is the identifier before it.
      std::size_t begin = std::min<std::size_t>(issue.issue.offset, text.text.size());
      while (begin > 0 && (std::isalnum(static_cast<unsigned char>(text.text[begin - 1])) ||
                           text.text[begin - 1] == '_'))
        --begin;
      name = text.text.substr(begin, issue.issue.offset - begin);
    }
    if ((issue.issue.code == "cel.undeclared" || issue.issue.code == "cel.undeclared-function" ||
         issue.issue.code == "cel.unknown-field") &&
        broken_names_.count(name) != 0) {
      continue;  // its declaration has an error, reported already
    }
    base::Issue shown = issue.issue;
    // A misspelt param too far from any name for a suggestion: list them (there are few).
    if (shown.code == "cel.unknown-field" && shown.hint.empty() && shown.message.size() >= 10 &&
        shown.message.compare(shown.message.size() - 10, 10, " of params") == 0) {
      if (param_names.empty()) {
        shown.hint = "the rule set declares no params; add them under 'params:' in a rule file";
      } else if (param_names.size() <= 12) {
        shown.hint = "the params are: ";
        for (std::size_t i = 0; i < param_names.size(); ++i)
          shown.hint += (i ? ", " : "") + param_names[i];
      }
    }
    if (shown.code == "cel.undeclared" && shown.hint.empty())
      shown.hint = rule_scope_hint(issue.source);
    r_.in_expression(text, shown);
  }
}

// An unknown name in a rule's message or due date is most often a fact the rule never
// defined (design.md's sketch shows `{count}` with no `facts:`): say how to define one.
std::string Linker::rule_scope_hint(std::size_t source) const {
  for (std::size_t i = 0; i < rule_sources_.size(); ++i) {
    const RuleSources& src = rule_sources_[i];
    const bool in_message =
        std::find(src.parts.begin(), src.parts.end(), static_cast<int>(source)) != src.parts.end();
    const bool in_due =
        std::find(src.due.begin(), src.due.end(), static_cast<int>(source)) != src.due.end();
    if (!in_message && !in_due) continue;
    const RuleDecl& rule = rs_.source.rules[i];
    const std::string where = in_message ? "the message" : "a due date";
    if (rule.facts.empty()) {
      return "rule '" + rule.id + "' has no facts: to use a name in " + where +
             ", define it under the rule's 'facts:' (e.g. count: size(...)), or write the "
             "expression itself";
    }
    std::string hint = "the facts of rule '" + rule.id + "' are: ";
    for (std::size_t k = 0; k < rule.facts.size(); ++k)
      hint += (k ? ", " : "") + rule.facts[k].name;
    return hint + "; add a new name under 'facts:', or write the expression itself";
  }
  return {};
}

// A calendar named in quotes (`add_working_days(d, 3, "example-council")`) must be one
// the rule set has: otherwise every due date that uses it would be undetermined on every
// case, and nothing would say so when the rules load.
void Linker::check_calendar_names() {
  std::vector<std::string> names;
  for (const auto& c : rs_.calendars) names.push_back(c->name());
  for (std::size_t i = 0; i < rs_.asts.size() && i < rs_.sources.size(); ++i) {
    const cel::ParsedExpr& parsed = rs_.asts[i];
    if (!parsed.root || rs_.sources[i] == nullptr) continue;
    std::vector<const cel::Expr*> stack{parsed.root.get()};
    while (!stack.empty()) {
      const cel::Expr* e = stack.back();
      stack.pop_back();
      if (e->target) stack.push_back(e->target.get());
      for (const auto& a : e->args) stack.push_back(a.get());
      for (const auto& entry : e->entries) {
        stack.push_back(entry.key.get());
        stack.push_back(entry.value.get());
      }
      if (e->kind != cel::ExprKind::kCall || e->target) continue;
      const std::size_t arity = e->name == "is_working_day" ? 2 : 3;
      if ((e->name != "add_working_days" && e->name != "working_days_between" &&
           e->name != "is_working_day") ||
          e->args.size() != arity) {
        continue;
      }
      const cel::Expr& arg = *e->args.back();
      if (arg.kind != cel::ExprKind::kLiteral || arg.constant.kind != cel::ConstantKind::kString ||
          std::find(names.begin(), names.end(), arg.constant.string_value) != names.end()) {
        continue;
      }
      base::Issue issue;
      issue.code = "cel.unknown-calendar";
      issue.offset = arg.begin;
      issue.length = arg.end - arg.begin;
      issue.message =
          "calendar '" + arg.constant.string_value + "' is not among the rule set's calendars";
      issue.hint = base::did_you_mean(arg.constant.string_value, names);
      if (issue.hint.empty()) {
        issue.hint = "the calendars are: ";
        for (std::size_t k = 0; k < names.size(); ++k) issue.hint += (k ? ", " : "") + names[k];
      }
      r_.in_expression(*rs_.sources[i], issue);
    }
  }
}

// `"neglekt" in c.concerns` or `c.source == "polise"` is valid CEL that is never true:
// when the schema lists the codes a field may hold, text outside them is a warning.
void Linker::check_codes() {
  std::vector<const cel::CheckedTree*> trees = all_roots_;
  for (std::size_t i = 0; i < rs_.env->definitions().size(); ++i) {
    trees.push_back(rs_.checker->definition(static_cast<std::uint32_t>(i)));
  }
  std::set<const cel::CheckedTree*> seen;
  for (const cel::CheckedTree* tree : trees) {
    if (tree == nullptr || tree->ast == nullptr || !tree->ast->root || !seen.insert(tree).second) {
      continue;
    }
    std::vector<const cel::Expr*> stack{tree->ast->root.get()};
    while (!stack.empty()) {
      const cel::Expr* e = stack.back();
      stack.pop_back();
      if (e->target) stack.push_back(e->target.get());
      for (const auto& a : e->args) stack.push_back(a.get());
      for (const auto& entry : e->entries) stack.push_back(entry.value.get());
      if (e->kind != cel::ExprKind::kCall || e->args.size() != 2) continue;
      const cel::Expr& a = *e->args[0];
      const cel::Expr& b = *e->args[1];
      if (e->name == "@in" && b.kind == cel::ExprKind::kSelect) {
        check_code(*tree, b, a);  // "code" in x.list
      } else if (e->name == "@in" && a.kind == cel::ExprKind::kSelect &&
                 b.kind == cel::ExprKind::kList) {
        for (const auto& item : b.args) check_code(*tree, a, *item);  // x.f in ["a", "b"]
      } else if (e->name == "_==_" || e->name == "_!=_") {
        if (a.kind == cel::ExprKind::kSelect) check_code(*tree, a, b);
        if (b.kind == cel::ExprKind::kSelect) check_code(*tree, b, a);
      }
    }
  }
}

void Linker::check_code(const cel::CheckedTree& tree, const cel::Expr& field,
                        const cel::Expr& literal) {
  if (literal.kind != cel::ExprKind::kLiteral ||
      literal.constant.kind != cel::ConstantKind::kString || !field.target ||
      tree.source >= rs_.sources.size() || rs_.sources[tree.source] == nullptr) {
    return;
  }
  const cel::Type* owner = tree.type_of(*field.target);
  if (owner == nullptr || owner->kind != cel::TypeKind::kObject || owner->object == nullptr) return;
  const cel::ObjectField* f = owner->object->find(field.name);
  if (f == nullptr || f->codes.empty()) return;
  const std::string& code = literal.constant.string_value;
  if (std::find(f->codes.begin(), f->codes.end(), code) != f->codes.end()) return;
  base::Issue issue;
  issue.severity = Severity::kWarning;
  issue.code = "cel.unknown-code";
  issue.offset = literal.begin;
  issue.length = literal.end - literal.begin;
  issue.message = "'" + code + "' is not one of the codes the schema allows for " +
                  owner->object->name + "." + field.name + ": no valid case holds it";
  issue.hint = base::did_you_mean(code, f->codes);
  if (issue.hint.empty() && f->codes.size() <= 16) {
    issue.hint = "the codes are: ";
    for (std::size_t k = 0; k < f->codes.size(); ++k) issue.hint += (k ? ", " : "") + f->codes[k];
  }
  r_.in_expression(*rs_.sources[tree.source], issue);
}

void Linker::validate_levels_and_roles() {
  const Manifest& m = rs_.source.manifest;
  // Results list an action once however many flags recommend it, with the text and owner
  // of the first rule (in file order) that was raised: two versions of one action would
  // show whichever happened to come first.
  std::map<std::string, std::pair<const RuleDecl*, const ActionDecl*>> first_action;
  for (const auto& rule : rs_.source.rules) {
    for (const auto& a : rule.actions) {
      if (a.id.empty()) continue;
      auto [it, inserted] = first_action.emplace(a.id, std::make_pair(&rule, &a));
      const ActionDecl& first = *it->second.second;
      // Within one rule a repeated id is an error already (action.duplicate-id).
      if (inserted || it->second.first == &rule || (first.text == a.text && first.owner == a.owner))
        continue;
      const bool text_differs = first.text != a.text;
      const Where& w = text_differs ? a.text_where : a.owner_where;
      const Where& fw = text_differs ? first.text_where : first.owner_where;
      const auto pos = rs_.source.files[fw.file].text.position(fw.offset);
      r_.at(w, Severity::kWarning, "action.inconsistent",
            "action '" + a.id + "' has a different " + (text_differs ? "text" : "owner") +
                " here than in rule '" + it->second.first->id + "' (" +
                rs_.source.files[fw.file].text.name() + ":" + std::to_string(pos.line) + ")",
            "results show each action once, with the text and owner of the first rule raised: give "
            "one "
            "action id the same text and owner everywhere, or use another id");
    }
  }
  for (const auto& t : rs_.source.thresholds) {
    if (t.level.empty()) continue;
    auto it = std::find(m.levels.begin(), m.levels.end(), t.level);
    if (it == m.levels.end()) {
      r_.at(t.level_where, Severity::kError, "threshold.unknown-level",
            "threshold '" + t.id + "' names level '" + t.level +
                "', which the manifest does not list",
            suggest(t.level, m.levels, "levels"));
    } else if (it == m.levels.begin()) {
      r_.at(t.level_where, Severity::kWarning, "threshold.lowest-level",
            "threshold '" + t.id +
                "' is for the lowest level, which applies anyway when nothing else matches");
    }
  }
  for (const auto& rule : rs_.source.rules) {
    if (!m.categories.empty() && !rule.category.empty() &&
        std::find(m.categories.begin(), m.categories.end(), rule.category) == m.categories.end()) {
      r_.at(rule.category_where, Severity::kError, "rule.unknown-category",
            "rule '" + rule.id + "' has category '" + rule.category +
                "', which the manifest does not list",
            suggest(rule.category, m.categories, "categories"));
    }
    for (const auto& a : rule.actions) {
      if (!m.owners.empty() && !a.owner.empty() &&
          std::find(m.owners.begin(), m.owners.end(), a.owner) == m.owners.end()) {
        r_.at(a.owner_where, Severity::kError, "action.unknown-owner",
              "action '" + a.id + "' has owner '" + a.owner + "', which the manifest does not list",
              suggest(a.owner, m.owners, "owners"));
      }
    }
  }
}

void Linker::run(const std::string& schema_text, const std::string& schema_file,
                 std::vector<Diagnostic>& diagnostics) {
  const Manifest& m = rs_.source.manifest;
  rs_.name = m.name;
  rs_.version = m.version;
  rs_.title = m.title;
  rs_.levels = m.levels;
  rs_.snapshot_schema = m.snapshot_schema;

  rs_.constants = std::make_unique<cel::ConstantPool>();
  rs_.env = std::make_unique<cel::Env>();
  cel::Env& env = *rs_.env;

  // The snapshot's type comes from the schema, when there is one.
  const cel::Type* case_type = cel::types::dyn();
  if (!schema_text.empty()) {
    rs_.schema = snapshot::Schema::load(schema_text, schema_file, diagnostics);
    if (rs_.schema) case_type = rs_.schema->cel_type(env.types());
  }
  rs_.case_slot = env.add_variable("case", case_type);
  rs_.as_of_slot = env.add_variable("as_of", cel::types::date());

  // Calendars. Without one named by the host or the manifest, working days are England and
  // Wales's (docs/cel.md): none at all would make every working-day rule undetermined.
  const std::string wanted = !options_.calendar.empty() ? options_.calendar
                             : !m.calendar.empty()      ? m.calendar
                                                        : std::string(kDefaultCalendar);
  rs_.default_calendar_name = wanted;
  if (!wanted.empty()) {
    for (const auto& c : rs_.calendars) {
      if (c->name() == wanted) rs_.default_calendar = CalendarAccess::share(*c);
    }
    if (!rs_.default_calendar) {
      std::vector<std::string> names;
      for (const auto& c : rs_.calendars) names.push_back(c->name());
      r_.at(m.calendar_where, Severity::kError, "manifest.unknown-calendar",
            "calendar '" + wanted + "' is not among the rule set's calendars",
            names.empty() ? "put calendar files in the rule set's calendars/ directory"
                          : base::did_you_mean(wanted, names));
    }
  }

  declare_names();
  rs_.checker = std::make_unique<cel::Checker>(env);
  check_roots();
  report_check_issues();
  check_calendar_names();
  check_codes();
  validate_levels_and_roles();
  report_rule_cycles(rs_, rule_trees_, rule_where_, r_);
  // With errors, what is used is not known for sure (an expression that failed to parse
  // uses nothing): "never used" would be noise on top of the real problem.
  if (r_.error_count() > 0) return;
  // A rule's facts are results of their own, used or not by its message.
  std::vector<const cel::CheckedTree*> used_roots = all_roots_;
  for (const RuleSources& src : rule_sources_) {
    for (std::uint32_t def : src.fact_definitions)
      used_roots.push_back(rs_.checker->definition(def));
  }
  report_unused(rs_, used_roots, r_);
  for (const auto& rule : rs_.source.rules) {
    if (rule.actions.empty()) {
      r_.at(rule.where, Severity::kWarning, "rule.no-actions",
            "rule '" + rule.id + "' recommends no action",
            "add at least one action with an owner and a due date");
    }
  }
  populate();
  compile();
}

namespace {
// Sets each rule's id_rank and flag_rank and each action's id_rank (compiled.hpp).
void rank_rules_and_actions(std::vector<CompiledRule>& rules) {
  std::vector<std::uint32_t> order(rules.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return rules[a].id < rules[b].id; });
  for (std::size_t k = 0; k < order.size(); ++k) {
    rules[order[k]].id_rank = static_cast<std::uint32_t>(k);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return rules[a].severity_rank > rules[b].severity_rank;
  });
  for (std::size_t k = 0; k < order.size(); ++k) {
    rules[order[k]].flag_rank = static_cast<std::uint32_t>(k);
  }
  std::set<std::string> action_ids;
  for (const CompiledRule& rule : rules) {
    for (const CompiledAction& action : rule.actions) action_ids.insert(action.id);
  }
  for (CompiledRule& rule : rules) {
    for (CompiledAction& action : rule.actions) {
      action.id_rank =
          static_cast<std::uint32_t>(std::distance(action_ids.begin(), action_ids.find(action.id)));
    }
  }
}
}  // namespace

void Linker::populate() {
  rs_.source_labels.assign(rs_.asts.size(), std::string());
  for (std::size_t i = 0; i < definition_sources_.size(); ++i) {
    const int source = definition_sources_[i];
    if (source >= 0) {
      rs_.source_labels[static_cast<std::size_t>(source)] =
          "definition " + rs_.source.definitions[i].name;
    }
  }
  for (std::size_t i = 0; i < function_sources_.size(); ++i) {
    const int source = function_sources_[i];
    if (source < 0) continue;
    const FunctionDecl& f = rs_.source.functions[i];
    std::string label = "function " + f.name + "(";
    for (std::size_t k = 0; k < f.params.size(); ++k) label += (k > 0 ? ", " : "") + f.params[k];
    rs_.source_labels[static_cast<std::size_t>(source)] = label + ")";
  }
  const std::size_t rule_count = rs_.source.rules.size();
  for (std::size_t i = 0; i < rule_count; ++i) {
    const RuleDecl& decl = rs_.source.rules[i];
    const RuleSources& src = rule_sources_[i];
    CompiledRule rule;
    rule.id = decl.id;
    rule.title = decl.title;
    rule.description = decl.description;
    rule.severity = severity_name(decl.severity);
    rule.severity_rank = static_cast<int>(decl.severity);
    rule.category = decl.category;
    rule.source = decl.source;
    // Relative to the rule set, so that results do not depend on where it is installed.
    rule.file = rs_.source.files[decl.where.file].path;
    rule.line = rs_.source.files[decl.where.file].text.position(decl.where.offset).line;
    rule.tree = rule_trees_[i];
    rule.source_id = src.when >= 0 ? static_cast<std::uint32_t>(src.when) : 0;
    if (decl.effective_from) rule.window.from = *decl.effective_from;
    if (decl.effective_until) rule.window.until = *decl.effective_until;
    std::size_t fact_index = 0;
    for (std::size_t k = 0; k < decl.facts.size(); ++k) {
      if (src.facts[k] < 0) continue;
      rule.facts.emplace_back(decl.facts[k].name, 0);
      rule.fact_definitions.push_back(src.fact_definitions[fact_index++]);
    }
    for (std::size_t k = 0; k < decl.message.size(); ++k) {
      CompiledPart part;
      part.is_expression = decl.message[k].is_expression;
      part.text = decl.message[k].text;
      if (part.is_expression) part.tree = part_trees_[i][k];
      rule.message.push_back(std::move(part));
    }
    for (std::size_t k = 0; k < decl.actions.size(); ++k) {
      CompiledAction action;
      action.id = decl.actions[k].id;
      action.text = decl.actions[k].text;
      action.owner = decl.actions[k].owner;
      action.due_tree = due_trees_[i][k];
      rule.actions.push_back(std::move(action));
    }
    rs_.rules.push_back(std::move(rule));
  }
  rank_rules_and_actions(rs_.rules);
  for (std::size_t i = 0; i < rs_.source.thresholds.size(); ++i) {
    const ThresholdDecl& decl = rs_.source.thresholds[i];
    CompiledThreshold t;
    t.id = decl.id;
    t.description = decl.description;
    t.level = static_cast<std::uint32_t>(
        std::find(rs_.levels.begin(), rs_.levels.end(), decl.level) - rs_.levels.begin());
    t.file = rs_.source.files[decl.where.file].path;
    t.line = rs_.source.files[decl.where.file].text.position(decl.where.offset).line;
    t.tree = rule_trees_[rule_count + i];
    t.source_id =
        threshold_sources_[i] >= 0 ? static_cast<std::uint32_t>(threshold_sources_[i]) : 0;
    if (decl.effective_from) t.window.from = *decl.effective_from;
    if (decl.effective_until) t.window.until = *decl.effective_until;
    rs_.thresholds.push_back(std::move(t));
  }
}

void Linker::compile() {
  std::vector<cel::CheckIssue> issues;
  rs_.program = build_program(rs_, false, &rs_, &issues);
  for (const auto& issue : issues) {
    if (issue.source < rs_.sources.size())
      r_.in_expression(*rs_.sources[issue.source], issue.issue);
  }
  // A condition that folded to a constant is almost always a mistake.
  auto check_constant = [&](std::uint32_t root, const Where& where, const std::string& id,
                            bool threshold) {
    cel::Value v;
    if (!rs_.program->root_is_constant(root, &v)) return;
    if (v.kind == cel::ValueKind::kBool && !v.b) {
      r_.at(where, Severity::kWarning, "rule.never-fires",
            "the condition of '" + id + "' is always false, so it can never " +
                (threshold ? "match" : "be raised"));
    } else if (v.kind == cel::ValueKind::kBool && v.b) {
      r_.at(where, Severity::kWarning, "rule.always-fires",
            "the condition of '" + id + "' is always true, whatever the case");
    } else if (v.is_error()) {
      r_.at(where, Severity::kWarning, "rule.always-fails",
            "the condition of '" + id +
                "' always fails with an error: " + std::string(v.error->message));
    }
  };
  for (std::size_t i = 0; i < rs_.rules.size(); ++i) {
    check_constant(rs_.rules[i].root, rs_.source.rules[i].where, rs_.rules[i].id, false);
  }
  for (std::size_t i = 0; i < rs_.thresholds.size(); ++i) {
    check_constant(rs_.thresholds[i].root, rs_.source.thresholds[i].where, rs_.thresholds[i].id,
                   true);
  }
  warn_needs_never_raised();
}

// A condition that needs another rule raised (`raised("x") && ...`) can never hold when
// that rule can never be raised, however many steps away (x itself may need a third).
void Linker::warn_needs_never_raised() {
  const std::size_t rule_count = rs_.rules.size();
  const std::size_t total = rule_count + rs_.thresholds.size();
  std::vector<bool> never(total, false);
  for (std::size_t k = 0; k < total; ++k) {
    cel::Value v;
    const std::uint32_t root =
        k < rule_count ? rs_.rules[k].root : rs_.thresholds[k - rule_count].root;
    never[k] = rs_.program->root_is_constant(root, &v) && v.kind == cel::ValueKind::kBool && !v.b;
  }
  // The rule index a top-level conjunct reads with raised() and that can never be raised.
  auto needed_never = [&](const cel::CheckedTree& tree) -> std::optional<std::uint32_t> {
    std::vector<const cel::Expr*> conjuncts{tree.ast->root.get()};
    while (!conjuncts.empty()) {
      const cel::Expr* e = conjuncts.back();
      conjuncts.pop_back();
      if (e == nullptr || e->kind != cel::ExprKind::kCall) continue;
      if (e->name == "_&&_" && !e->target) {
        for (const auto& a : e->args) conjuncts.push_back(a.get());
        continue;
      }
      const cel::Ref& ref = tree.ref_of(*e);
      if (ref.kind == cel::RefKind::kRule && ref.index < total && never[ref.index])
        return ref.index;
    }
    return std::nullopt;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t k = 0; k < total; ++k) {
      const cel::CheckedTree* tree = rule_trees_[k];
      if (never[k] || tree == nullptr || tree->ast == nullptr || !tree->ast->root) continue;
      const std::optional<std::uint32_t> needed = needed_never(*tree);
      if (!needed) continue;
      never[k] = changed = true;
      const bool threshold = k >= rule_count;
      const std::string& id = threshold ? rs_.thresholds[k - rule_count].id : rs_.rules[k].id;
      const std::string& other =
          *needed < rule_count ? rs_.rules[*needed].id : rs_.thresholds[*needed - rule_count].id;
      r_.at(threshold ? rs_.source.thresholds[k - rule_count].where : rs_.source.rules[k].where,
            Severity::kWarning, "rule.never-fires",
            "the condition of '" + id + "' needs '" + other +
                "' raised, which can never be, so it can never " +
                (threshold ? "match" : "be raised"),
            "fix '" + other + "' first, or remove raised(\"" + other + "\") from this condition");
    }
  }
}

}  // namespace

std::unique_ptr<CompiledRuleSet> link(Gathered gathered, const LoadOptions& options,
                                      std::vector<Diagnostic>& diagnostics) {
  auto rs = std::make_unique<CompiledRuleSet>();
  rs->source = std::move(gathered.source);
  rs->calendars = std::move(gathered.calendars);
  base::Sha256 hash;
  for (const auto& f : gathered.fingerprint_inputs) {
    hash.update(f.path);
    hash.update(std::string_view("\0", 1));
    hash.update(std::to_string(f.text.size()));
    hash.update(std::string_view("\0", 1));
    hash.update(f.text);
  }
  rs->fingerprint = hash.hex_digest();
  rs->limits = options.limits;

  Linker linker(*rs, options, diagnostics);
  linker.run(gathered.schema_text, gathered.schema_file, diagnostics);
  const bool errors = std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
    return d.severity == Severity::kError ||
           (options.warnings_as_errors && d.severity == Severity::kWarning);
  });
  if (errors) return nullptr;
  return rs;
}

}  // namespace safeguard::ruleset
