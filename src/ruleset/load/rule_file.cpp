// One rule file: params, definitions, functions, rules and thresholds.
#include <cerrno>
#include <cstdlib>

#include "ruleset/load/names.hpp"
#include "ruleset/load/rule_files.hpp"

namespace safeguard::ruleset {

namespace {

const std::vector<std::string> kFileKeys = {"title",     "description", "params",    "definitions",
                                            "functions", "rules",       "thresholds"};
const std::vector<std::string> kRuleKeys = {
    "id",    "title",   "description", "severity", "category",       "when",
    "facts", "message", "actions",     "source",   "effective_from", "effective_until"};
const std::vector<std::string> kActionKeys = {"id", "text", "owner", "due"};
const std::vector<std::string> kThresholdKeys = {"id",   "level",          "description",
                                                 "when", "effective_from", "effective_until"};
const std::vector<std::string> kParamKeys = {"value", "basis", "unit", "description"};

bool is_integer_text(const std::string& s) {
  const std::size_t digits = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  return s.size() > digits && s.find_first_not_of("0123456789", digits) == std::string::npos;
}

bool parse_scalar_param(const YamlNode& n, ParamValue* out, std::string* problem) {
  if (!n.is_scalar()) return false;
  const std::string& s = n.scalar;
  if (!n.plain) {
    out->kind = ParamValue::Kind::kString;
    out->string_value = s;
    return true;
  }
  if (s == "true" || s == "false") {
    out->kind = ParamValue::Kind::kBool;
    out->bool_value = s == "true";
    return true;
  }
  if (!s.empty()) {
    errno = 0;
    char* end = nullptr;
    const long long i = std::strtoll(s.c_str(), &end, 10);
    if (errno == 0 && end == s.c_str() + s.size()) {
      out->kind = ParamValue::Kind::kInt;
      out->int_value = i;
      return true;
    }
    // A whole number past 64 bits must not quietly become an approximate double.
    if (errno == ERANGE && is_integer_text(s)) {
      *problem = "the number is beyond the 64-bit integer range";
      return false;
    }
    errno = 0;
    const double d = std::strtod(s.c_str(), &end);
    if (errno == 0 && end == s.c_str() + s.size() &&
        s.find_first_of("0123456789") != std::string::npos &&
        s.find_first_of("xXnN") == std::string::npos) {
      out->kind = ParamValue::Kind::kDouble;
      out->double_value = d;
      return true;
    }
  }
  out->kind = ParamValue::Kind::kString;
  out->string_value = s;
  return true;
}

// On a problem, `*culprit` is the node to point at: the value, or the list item at fault.
bool parse_param_value(const YamlNode& n, ParamValue* out, std::string* problem,
                       const YamlNode** culprit) {
  *culprit = &n;
  if (n.is_scalar()) return parse_scalar_param(n, out, problem);
  if (n.is_sequence()) {
    out->kind = ParamValue::Kind::kList;
    for (const auto& item : n.items) {
      ParamValue v;
      *culprit = &item;
      if (!item.is_scalar()) {
        *problem = "items of a list parameter must be numbers, text or true/false";
        return false;
      }
      if (!parse_scalar_param(item, &v, problem)) return false;
      out->items.push_back(std::move(v));
    }
    *culprit = &n;
    return true;
  }
  *problem = n.is_null() ? "the parameter has no value"
                         : "a parameter's value must be a number, text, true/false or a list";
  return false;
}

void read_params(const YamlNode& node, std::uint32_t file, Reporter& r, RuleSetSource* out) {
  if (!node.is_mapping()) {
    r.error(file, node.offset, "param.wrong-type", "'params' must be a mapping of names to values");
    return;
  }
  for (const auto& [key, value] : node.members) {
    FieldReader f(r, file, node, "params", "param");
    ParamDecl p;
    p.name = key.scalar;
    p.where = f.where_of(key);
    if (!is_identifier(p.name)) {
      r.at(p.where, Severity::kError, "param.invalid-name",
           "parameter name '" + p.name +
               "' must be letters, digits and '_', not starting with a digit");
      continue;
    }
    std::string problem;
    const YamlNode* v = &value;
    if (value.is_mapping()) {
      FieldReader pf(r, file, value, "parameter '" + p.name + "'", "param");
      pf.check_keys(kParamKeys);
      if (auto basis = pf.text("basis", false)) p.basis = *basis;
      if (auto unit = pf.text("unit", false)) p.unit = *unit;
      if (auto description = pf.text("description", false)) p.description = *description;
      v = pf.get("value");
      if (v == nullptr) {
        pf.missing("value");
        out->broken_names.insert(p.name);
        continue;
      }
    }
    const YamlNode* culprit = v;
    if (!parse_param_value(*v, &p.value, &problem, &culprit)) {
      r.at(f.where_of(*culprit), Severity::kError, "param.invalid-value", problem);
      out->broken_names.insert(p.name);
      continue;
    }
    out->params.push_back(std::move(p));
  }
}

void read_definitions(const YamlNode& node, std::uint32_t file, Reporter& r, RuleSetSource* out) {
  if (!node.is_mapping()) {
    r.error(file, node.offset, "definition.wrong-type",
            "'definitions' must be a mapping of names to CEL expressions");
    return;
  }
  FieldReader f(r, file, node, "definitions", "definition");
  for (const auto& [key, value] : node.members) {
    DefinitionDecl d;
    d.name = key.scalar;
    d.where = f.where_of(key);
    if (!is_identifier(d.name)) {
      r.at(d.where, Severity::kError, "definition.invalid-name",
           "definition name '" + d.name +
               "' must be letters, digits and '_', not starting with a digit",
           d.name.find('(') != std::string::npos
               ? "definitions with parameters go under 'functions'"
               : "");
      continue;
    }
    if (!value.is_scalar()) {
      r.at(f.where_of(value), Severity::kError, "definition.wrong-type",
           "definition '" + d.name + "' must be a CEL expression, not " + value.kind_name());
      out->broken_names.insert(d.name);
      continue;
    }
    d.expr = expression_text(r.files()[file].text, file, value);
    out->definitions.push_back(std::move(d));
  }
}

// "name(a, b)" -> name and parameter names.
bool parse_signature(const std::string& key, std::string* name, std::vector<std::string>* params) {
  const std::size_t open = key.find('(');
  if (open == std::string::npos || key.back() != ')') return false;
  auto trim = [](std::string s) {
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
  };
  *name = trim(key.substr(0, open));
  const std::string inner = key.substr(open + 1, key.size() - open - 2);
  if (trim(inner).empty()) return true;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = inner.find(',', start);
    params->push_back(
        trim(inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

void read_functions(const YamlNode& node, std::uint32_t file, Reporter& r, RuleSetSource* out) {
  if (!node.is_mapping()) {
    r.error(file, node.offset, "function.wrong-type",
            "'functions' must be a mapping like 'level_at(d): <CEL expression>'");
    return;
  }
  FieldReader f(r, file, node, "functions", "function");
  for (const auto& [key, value] : node.members) {
    FunctionDecl fn;
    fn.where = f.where_of(key);
    if (!parse_signature(key.scalar, &fn.name, &fn.params) || !is_identifier(fn.name)) {
      r.at(fn.where, Severity::kError, "function.invalid-signature",
           "a function is declared as 'name(parameter, ...)'", "for example: 'level_at(d)'");
      continue;
    }
    bool ok = true;
    for (std::size_t i = 0; i < fn.params.size(); ++i) {
      if (!is_identifier(fn.params[i])) {
        r.at(fn.where, Severity::kError, "function.invalid-signature",
             "parameter '" + fn.params[i] + "' of function '" + fn.name + "' is not a valid name");
        ok = false;
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (fn.params[j] == fn.params[i]) {
          r.at(fn.where, Severity::kError, "function.invalid-signature",
               "function '" + fn.name + "' names parameter '" + fn.params[i] + "' twice");
          ok = false;
        }
      }
    }
    if (!value.is_scalar()) {
      r.at(f.where_of(value), Severity::kError, "function.wrong-type",
           "the body of function '" + fn.name + "' must be a CEL expression");
      ok = false;
    }
    if (!ok) {
      out->broken_names.insert(fn.name);
      continue;
    }
    fn.body = expression_text(r.files()[file].text, file, value);
    out->functions.push_back(std::move(fn));
  }
}

// "rule 'x.y'" when the mapping has a text id, else "a rule".
std::string describe(const YamlNode& item, const std::string& what) {
  const YamlNode* id = item.find("id");
  if (id == nullptr || !id->is_scalar() || id->scalar.empty()) return "a " + what;
  return what + " '" + id->scalar + "'";
}

std::optional<RuleSeverity> parse_severity(const std::string& s) {
  if (s == "low") return RuleSeverity::kLow;
  if (s == "medium") return RuleSeverity::kMedium;
  if (s == "high") return RuleSeverity::kHigh;
  if (s == "critical") return RuleSeverity::kCritical;
  return std::nullopt;
}

void read_window(FieldReader& f, Reporter& r, const YamlNode& node,
                 std::optional<std::int64_t>* from, std::optional<std::int64_t>* until) {
  *from = f.date("effective_from");
  *until = f.date("effective_until");
  if (*from && *until && **until < **from) {
    const YamlNode* n = f.get("effective_until");
    r.at(f.where_of(n ? *n : node), Severity::kError, "rule.empty-window",
         "effective_until is before effective_from: the rule would never apply");
  }
}

void read_actions(const YamlNode& node, std::uint32_t file, Reporter& r, RuleDecl* rule) {
  if (!node.is_sequence()) {
    r.error(file, node.offset, "rule.wrong-type",
            "'actions' of " +
                (rule->id.empty() ? std::string("a rule") : "rule '" + rule->id + "'") +
                " must be a list of actions");
    return;
  }
  for (const auto& item : node.items) {
    if (!item.is_mapping()) {
      r.error(file, item.offset, "rule.wrong-type",
              "each action must be a mapping with id, text, owner and due");
      continue;
    }
    FieldReader f(r, file, item, "an action of rule '" + rule->id + "'", "action");
    f.check_keys(kActionKeys);
    ActionDecl a;
    a.where = f.where_of(item);
    if (auto id = f.text("id", true)) {
      a.id = *id;
      if (!is_rule_id(a.id)) {
        r.at(f.where_of(*f.get("id")), Severity::kError, "action.invalid-id",
             "action id '" + a.id + "' must be lower-case letters, digits, '.', '-' or '_'");
      }
    }
    if (auto text = f.text("text", true)) {
      a.text = *text;
      a.text_where = f.where_of(*f.get("text"));
    }
    if (auto owner = f.text("owner", true)) {
      a.owner = *owner;
      a.owner_where = f.where_of(*f.get("owner"));
    }
    if (auto due = f.expression("due", false)) a.due = std::move(*due);
    for (const auto& other : rule->actions) {
      if (!a.id.empty() && other.id == a.id) {
        r.at(f.where_of(*f.get("id")), Severity::kError, "action.duplicate-id",
             "rule '" + rule->id + "' lists action '" + a.id + "' twice");
      }
    }
    rule->actions.push_back(std::move(a));
  }
}

void read_facts(const YamlNode& node, std::uint32_t file, Reporter& r, RuleDecl* rule,
                std::set<std::string>* broken) {
  if (!node.is_mapping()) {
    r.error(file, node.offset, "rule.wrong-type",
            "'facts' of " + (rule->id.empty() ? std::string("a rule") : "rule '" + rule->id + "'") +
                " must be a mapping of names to CEL expressions");
    return;
  }
  FieldReader f(r, file, node, "facts", "fact");
  for (const auto& [key, value] : node.members) {
    FactDecl fact;
    fact.name = key.scalar;
    fact.where = f.where_of(key);
    if (!is_identifier(fact.name)) {
      r.at(fact.where, Severity::kError, "fact.invalid-name",
           "fact name '" + fact.name + "' must be letters, digits and '_'");
      continue;
    }
    if (!value.is_scalar()) {
      r.at(f.where_of(value), Severity::kError, "fact.wrong-type",
           "fact '" + fact.name + "' must be a CEL expression");
      broken->insert(fact.name);
      continue;
    }
    fact.expr = expression_text(r.files()[file].text, file, value);
    rule->facts.push_back(std::move(fact));
  }
}

void read_rule(const YamlNode& item, std::uint32_t file, Reporter& r, RuleSetSource* out) {
  if (!item.is_mapping()) {
    r.error(file, item.offset, "rule.wrong-type",
            "each rule must be a mapping (id:, title:, when:, ...)");
    return;
  }
  RuleDecl rule;
  // Name the rule in messages when it has a usable id; check the keys before reading any,
  // so that a misspelt required key is one error, not two.
  FieldReader named(r, file, item, describe(item, "rule"), "rule");
  named.check_keys(kRuleKeys);
  if (auto id = named.text("id", true)) rule.id = *id;
  rule.where = named.where_of(item);
  if (const YamlNode* id = named.get("id"); id != nullptr) {
    rule.where = named.where_of(*id);
    if (!rule.id.empty() && !is_rule_id(rule.id)) {
      r.at(rule.where, Severity::kError, "rule.invalid-id",
           "rule id '" + rule.id + "' must be lower-case letters, digits, '.', '-' or '_'",
           "for example: front-door.decision-overdue");
    }
  }
  if (auto title = named.text("title", true)) rule.title = *title;
  if (auto d = named.text("description", false)) rule.description = *d;
  if (auto severity = named.text("severity", true)) {
    if (auto s = parse_severity(*severity)) {
      rule.severity = *s;
    } else {
      r.at(named.where_of(*named.get("severity")), Severity::kError, "rule.invalid-severity",
           "severity must be low, medium, high or critical, not '" + *severity + "'");
    }
  }
  if (auto category = named.text("category", false)) {
    rule.category = *category;
    rule.category_where = named.where_of(*named.get("category"));
  }
  if (auto when = named.expression("when", true)) rule.when = std::move(*when);
  if (const YamlNode* facts = named.get("facts"); facts != nullptr && !facts->is_null()) {
    read_facts(*facts, file, r, &rule, &out->broken_names);
  }
  if (auto message = named.expression("message", false)) rule.message = parse_template(*message, r);
  if (const YamlNode* actions = named.get("actions"); actions != nullptr && !actions->is_null()) {
    read_actions(*actions, file, r, &rule);
  }
  if (auto source = named.text("source", false)) rule.source = *source;
  read_window(named, r, item, &rule.effective_from, &rule.effective_until);
  out->rules.push_back(std::move(rule));
}

void read_threshold(const YamlNode& item, std::uint32_t file, Reporter& r, RuleSetSource* out) {
  if (!item.is_mapping()) {
    r.error(file, item.offset, "threshold.wrong-type",
            "each threshold must be a mapping (id:, level:, when:)");
    return;
  }
  ThresholdDecl t;
  FieldReader named(r, file, item, describe(item, "threshold"), "threshold");
  named.check_keys(kThresholdKeys);
  if (auto id = named.text("id", true)) t.id = *id;
  t.where = named.where_of(item);
  if (const YamlNode* id = named.get("id"); id != nullptr) {
    t.where = named.where_of(*id);
    if (!t.id.empty() && !is_rule_id(t.id)) {
      r.at(t.where, Severity::kError, "threshold.invalid-id",
           "threshold id '" + t.id + "' must be lower-case letters, digits, '.', '-' or '_'");
    }
  }
  if (auto level = named.text("level", true)) {
    t.level = *level;
    t.level_where = named.where_of(*named.get("level"));
  }
  if (auto d = named.text("description", false)) t.description = *d;
  if (auto when = named.expression("when", true)) t.when = std::move(*when);
  read_window(named, r, item, &t.effective_from, &t.effective_until);
  out->thresholds.push_back(std::move(t));
}

}  // namespace

void read_rule_file(const YamlNode& root, std::uint32_t file, Reporter& r, RuleSetSource* out) {
  if (root.is_null()) return;  // an empty file declares nothing
  if (!root.is_mapping()) {
    r.error(file, root.offset, "file.wrong-type",
            "a rule file must be a YAML mapping with params:, definitions:, functions:, rules: "
            "or thresholds:");
    return;
  }
  FieldReader f(r, file, root, "a rule file", "file");
  f.check_keys(kFileKeys);
  if (const YamlNode* n = f.get("params"); n != nullptr && !n->is_null())
    read_params(*n, file, r, out);
  if (const YamlNode* n = f.get("definitions"); n != nullptr && !n->is_null()) {
    read_definitions(*n, file, r, out);
  }
  if (const YamlNode* n = f.get("functions"); n != nullptr && !n->is_null())
    read_functions(*n, file, r, out);
  if (const YamlNode* n = f.get("rules"); n != nullptr && !n->is_null()) {
    if (!n->is_sequence()) {
      r.error(file, n->offset, "file.wrong-type",
              "'rules' must be a list of rules (each starting with '- id:')");
    } else {
      for (const auto& item : n->items) read_rule(item, file, r, out);
    }
  }
  if (const YamlNode* n = f.get("thresholds"); n != nullptr && !n->is_null()) {
    if (!n->is_sequence()) {
      r.error(file, n->offset, "file.wrong-type",
              "'thresholds' must be a list of thresholds (each starting with '- id:')");
    } else {
      for (const auto& item : n->items) read_threshold(item, file, r, out);
    }
  }
}

}  // namespace safeguard::ruleset
