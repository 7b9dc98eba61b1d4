#include "test_run.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace safeguard::cli::test {

namespace {

void check_rule_ids(const std::vector<const Id*>& ids, const std::vector<RuleInfo>& rules,
                    bool thresholds_allowed, std::vector<TestError>* errors) {
  std::map<std::string, std::string> kinds;
  std::vector<std::string> candidates;
  for (const auto& r : rules) {
    kinds[r.id] = r.kind;
    if (thresholds_allowed || r.kind == "rule") candidates.push_back(r.id);
  }
  for (const Id* id : ids) {
    const auto found = kinds.find(id->text);
    if (found == kinds.end()) {
      errors->push_back({id->where, "the rule set has no rule '" + id->text + "'",
                         did_you_mean(id->text, candidates)});
    } else if (!thresholds_allowed && found->second != "rule") {
      errors->push_back({id->where, "'" + id->text + "' is a threshold, not a flag",
                         "thresholds set the level: expect `level:` instead"});
    }
  }
}

void add(std::vector<const Id*>* to, const std::optional<IdList>& list) {
  if (list) {
    for (const auto& id : list->ids) to->push_back(&id);
  }
}

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

std::string undetermined_note(const Undetermined& u) {
  std::string out = u.reason;
  if (!u.path.empty()) out += " " + u.path;
  if (!u.depends_on.empty()) out += ", waiting on " + u.depends_on;
  return out;
}

// Compares one result with one test's expectations, block by block.
class Comparison {
 public:
  explicit Comparison(const Result& r) : r_(r) {
    for (const auto& f : r.flags) flags_.insert(f.id);
    for (const auto& a : r.actions) actions_.insert(a.id);
    for (const auto& u : r.undetermined) {
      undetermined_.insert(u.id);
      why_[u.id] = &u;
    }
  }

  // kind: "raised", "recommended" or "undetermined".
  void exact(const char* key, const std::optional<IdList>& e, const std::set<std::string>& actual,
             const char* kind) {
    if (!e) return;
    std::set<std::string> expected;
    for (const auto& id : e->ids) expected.insert(id.text);
    std::vector<std::string> lines;
    for (const auto& id : expected) {
      if (actual.count(id) == 0)
        lines.push_back("- " + id + "  (expected, not " + kind + why(id) + ")");
    }
    for (const auto& id : actual) {
      if (expected.count(id) == 0) {
        lines.push_back("+ " + id + "  (" + kind + ", not expected" + why(id, kind) + ")");
      }
    }
    block(std::string(key) + " (exact set):", lines);
  }

  void include(const char* key, const std::optional<IdList>& e, const std::set<std::string>& actual,
               const char* kind) {
    if (!e) return;
    std::vector<std::string> lines;
    for (const auto& id : e->ids) {
      if (actual.count(id.text) == 0) {
        lines.push_back("- " + id.text + "  (expected, not " + kind + why(id.text) + ")");
      }
    }
    block(std::string(key) + ":", lines);
  }

  void exclude(const char* key, const std::optional<IdList>& e, const std::set<std::string>& actual,
               const char* kind) {
    if (!e) return;
    std::vector<std::string> lines;
    for (const auto& id : e->ids) {
      if (actual.count(id.text) != 0) {
        lines.push_back("+ " + id.text + "  (" + kind + ", expected not" + why(id.text, kind) +
                        ")");
      }
    }
    block(std::string(key) + ":", lines);
  }

  void compare(const Expectation& e) {
    exact("flags", e.flags, flags_, "raised");
    include("flags_include", e.flags_include, flags_, "raised");
    exclude("flags_exclude", e.flags_exclude, flags_, "raised");
    if (e.level && e.level->text != r_.level.id) {
      std::string actual = "+ " + r_.level.id;
      if (!r_.level.reasons.empty()) actual += "  (by " + join(r_.level.reasons) + ")";
      block("level:", {"- " + e.level->text, actual});
    }
    exact("actions", e.actions, actions_, "recommended");
    include("actions_include", e.actions_include, actions_, "recommended");
    exclude("actions_exclude", e.actions_exclude, actions_, "recommended");
    for (const auto& d : e.due) {
      const Action* found = nullptr;
      for (const auto& a : r_.actions) {
        if (a.id == d.action.text) found = &a;
      }
      const std::string want = d.date ? *d.date : "";
      if (found != nullptr && found->due == want) continue;
      block("due " + d.action.text + ":", {"- " + (d.date ? *d.date : "(no due date)"),
                                           "+ " + (found == nullptr     ? "(not recommended)"
                                                   : found->due.empty() ? "(no due date)"
                                                                        : found->due)});
    }
    exact("undetermined", e.undetermined, undetermined_, "undetermined");
    include("undetermined_include", e.undetermined_include, undetermined_, "undetermined");
    exclude("undetermined_exclude", e.undetermined_exclude, undetermined_, "undetermined");
    for (const auto& m : e.messages) {
      const Flag* found = nullptr;
      for (const auto& f : r_.flags) {
        if (f.id == m.flag.text) found = &f;
      }
      if (found != nullptr && found->message.find(m.substring) != std::string::npos) continue;
      block("message of " + m.flag.text + ":",
            {"- contains \"" + m.substring + "\"", found == nullptr
                                                       ? "+ (not raised" + why(m.flag.text) + ")"
                                                       : "+ \"" + found->message + "\""});
    }
    if (e.violations && *e.violations != r_.violations.size()) {
      block("violations:", {"- " + std::to_string(*e.violations),
                            "+ " + std::to_string(r_.violations.size()) + violation_list()});
    }
  }

  // Context that explains most surprises: what could not be decided, and bad case data.
  void notes(const Expectation& e) {
    if (!r_.undetermined.empty() && !e.undetermined) {
      std::vector<std::string> lines;
      for (const auto& u : r_.undetermined)
        lines.push_back(u.id + " (" + undetermined_note(u) + ")");
      diff_ += "  note: undetermined: " + join(lines) + "\n";
    }
    if (!r_.violations.empty() && !e.violations) {
      diff_ += "  note: the case breaks the schema at" + violation_list() + "\n";
    }
  }

  bool failed() const { return failed_; }
  std::string take() { return std::move(diff_); }
  std::string summary() const { return "not as expected: " + join(titles_); }

 private:
  // Why a rule was undetermined, when it was: "; undetermined: missing /episode/opened_on".
  std::string why(const std::string& id, const std::string& kind = "") const {
    const auto found = why_.find(id);
    if (found == why_.end()) return "";
    return (kind == "undetermined" ? "; " : "; undetermined: ") + undetermined_note(*found->second);
  }

  std::string violation_list() const {
    std::vector<std::string> items;
    for (const auto& v : r_.violations) items.push_back(v.path + " (" + v.code + ")");
    return items.empty() ? "" : ": " + join(items);
  }

  void block(const std::string& title, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    failed_ = true;
    titles_.push_back(title.substr(0, title.size() - 1));  // without the colon
    diff_ += "  " + title + "\n";
    for (const auto& l : lines) diff_ += "    " + l + "\n";
  }

  const Result& r_;
  std::set<std::string> flags_, actions_, undetermined_;
  std::map<std::string, const Undetermined*> why_;
  std::string diff_;
  std::vector<std::string> titles_;
  bool failed_ = false;
};

}  // namespace

std::vector<TestError> check_ids(const TestSpec& test, const RuleSet& rule_set) {
  std::vector<TestError> errors;
  const Expectation& e = test.expect;
  const std::vector<RuleInfo> rules = rule_set.rules();
  std::vector<const Id*> flag_ids;
  add(&flag_ids, e.flags);
  add(&flag_ids, e.flags_include);
  add(&flag_ids, e.flags_exclude);
  for (const auto& m : e.messages) flag_ids.push_back(&m.flag);
  check_rule_ids(flag_ids, rules, false, &errors);
  std::vector<const Id*> undetermined_ids;
  add(&undetermined_ids, e.undetermined);
  add(&undetermined_ids, e.undetermined_include);
  add(&undetermined_ids, e.undetermined_exclude);
  check_rule_ids(undetermined_ids, rules, true, &errors);
  if (e.level) {
    const auto& levels = rule_set.levels();
    if (std::find(levels.begin(), levels.end(), e.level->text) == levels.end()) {
      std::string hint = did_you_mean(e.level->text, levels);
      if (hint.empty()) hint = "the levels are " + join(levels);
      errors.push_back({e.level->where, "the rule set has no level '" + e.level->text + "'", hint});
    }
  }
  return errors;
}

Outcome run_one(const TestSpec& test, const RuleSet& rule_set) {
  Outcome out;
  EvalOptions options;
  options.as_of = test.as_of;
  out.result = rule_set.evaluate(test.case_json, options);
  if (!out.result.evaluated) {
    out.summary = "the case could not be evaluated";
    out.diff = "  the case could not be evaluated:\n";
    for (const auto& d : out.result.errors) out.diff += "    " + d.message + "\n";
    return out;
  }
  Comparison c(out.result);
  c.compare(test.expect);
  if (c.failed()) c.notes(test.expect);
  out.passed = !c.failed();
  if (!out.passed) out.summary = c.summary();
  out.diff = c.take();
  return out;
}

}  // namespace safeguard::cli::test
