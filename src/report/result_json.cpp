// The stable JSON form of a Result (docs/result-json.md). Key order is fixed and
// arrays are in the Result's (deterministic) order, so identical inputs give
// byte-identical output.
#include <algorithm>

#include "base/json_writer.hpp"
#include "safeguard/result.hpp"

namespace safeguard {

namespace {

void write_steps(base::JsonWriter& w, const std::vector<ExplainStep>& steps) {
  w.begin_array();
  for (const auto& s : steps) {
    w.begin_object();
    w.key("expression");
    w.string(s.expression);
    if (!s.within.empty()) {
      w.key("within");
      w.string(s.within);
    }
    w.key("outcome");
    w.string(s.outcome);
    if (s.times_true + s.times_false + s.times_undetermined > 1) {
      w.key("times_true");
      w.uinteger(s.times_true);
      w.key("times_false");
      w.uinteger(s.times_false);
      w.key("times_undetermined");
      w.uinteger(s.times_undetermined);
    }
    if (!s.value_json.empty()) {
      w.key("value");
      w.raw(s.value_json);
    }
    w.end_object();
  }
  w.end_array();
}

void write_explain(base::JsonWriter& w, const std::vector<ExplainStep>& steps) {
  w.key("explain");
  write_steps(w, steps);
}

void write_strings(base::JsonWriter& w, const std::vector<std::string>& items) {
  w.begin_array();
  for (const auto& s : items) w.string(s);
  w.end_array();
}

}  // namespace

bool Result::has_flag(const std::string& id) const {
  for (const auto& f : flags) {
    if (f.id == id) return true;
  }
  return false;
}

std::string Result::to_json(bool pretty) const {
  std::string out;
  base::JsonWriter w(out, pretty);
  auto write_tail = [&] {
    w.key("ruleset");
    w.begin_object();
    w.key("name");
    w.string(ruleset.name);
    w.key("version");
    w.string(ruleset.version);
    w.key("fingerprint");
    w.string(ruleset.fingerprint);
    w.key("calendars");
    w.string(ruleset.calendars);
    w.end_object();
    w.key("as_of");
    w.string(as_of);
  };
  w.begin_object();
  if (!evaluated) {
    w.key("errors");
    w.begin_array();
    for (const auto& e : errors) {
      w.begin_object();
      w.key("code");
      w.string(e.code);
      w.key("message");
      w.string(e.message);
      if (e.line > 0) {
        w.key("line");
        w.uinteger(e.line);
        w.key("column");
        w.uinteger(e.column);
      }
      w.end_object();
    }
    w.end_array();
    write_tail();
    w.end_object();
    return out;
  }
  w.key("level");
  w.begin_object();
  w.key("id");
  w.string(level.id);
  w.key("reasons");
  write_strings(w, level.reasons);
  if (!level.explain.empty()) {
    // Keyed by reason id (ids are unique), in the order of `reasons`.
    w.key("explain");
    w.begin_object();
    for (std::size_t i = 0; i < level.reasons.size() && i < level.explain.size(); ++i) {
      w.key(level.reasons[i]);
      write_steps(w, level.explain[i]);
    }
    w.end_object();
  }
  w.end_object();

  w.key("flags");
  w.begin_array();
  for (const auto& f : flags) {
    w.begin_object();
    w.key("id");
    w.string(f.id);
    w.key("severity");
    w.string(f.severity);
    w.key("category");
    w.string(f.category);
    w.key("title");
    w.string(f.title);
    w.key("message");
    w.string(f.message);
    w.key("facts");
    w.begin_object();
    for (const auto& fact : f.facts) {
      w.key(fact.name);
      w.raw(fact.value_json);
    }
    w.end_object();
    // A fact that could not be worked out is null above, like a fact whose value is null:
    // name it, so missing data is not read as a value.
    if (std::any_of(f.facts.begin(), f.facts.end(), [](const Fact& x) { return !x.determined; })) {
      w.key("facts_undetermined");
      w.begin_array();
      for (const auto& fact : f.facts) {
        if (!fact.determined) w.string(fact.name);
      }
      w.end_array();
    }
    w.key("actions");
    write_strings(w, f.actions);
    w.key("source");
    w.string(f.source);
    w.key("rule_file");
    w.string(f.file);
    w.key("rule_line");
    w.uinteger(f.line);
    if (!f.explain.empty()) write_explain(w, f.explain);
    w.end_object();
  }
  w.end_array();

  w.key("actions");
  w.begin_array();
  for (const auto& a : actions) {
    w.begin_object();
    w.key("id");
    w.string(a.id);
    w.key("text");
    w.string(a.text);
    w.key("owner");
    w.string(a.owner);
    w.key("due");
    if (a.due.empty()) {
      w.null();
    } else {
      w.string(a.due);
    }
    w.key("flags");
    write_strings(w, a.flags);
    if (!a.due_undetermined.empty()) {
      w.key("due_undetermined");
      w.begin_array();
      for (const auto& u : a.due_undetermined) {
        w.begin_object();
        w.key("flag");
        w.string(u.id);
        w.key("reason");
        w.string(u.reason);
        w.key("path");
        w.string(u.path);
        w.key("message");
        w.string(u.message);
        if (!u.at.empty()) {
          w.key("at");
          w.string(u.at);
        }
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();

  w.key("undetermined");
  w.begin_array();
  for (const auto& u : undetermined) {
    w.begin_object();
    w.key("id");
    w.string(u.id);
    w.key("kind");
    w.string(u.kind);
    w.key("reason");
    w.string(u.reason);
    w.key("path");
    w.string(u.path);
    w.key("message");
    w.string(u.message);
    if (!u.depends_on.empty()) {
      w.key("depends_on");
      w.string(u.depends_on);
    }
    if (!u.at.empty()) {
      w.key("at");
      w.string(u.at);
    }
    if (!u.explain.empty()) write_explain(w, u.explain);
    w.end_object();
  }
  w.end_array();

  w.key("violations");
  w.begin_array();
  for (const auto& v : violations) {
    w.begin_object();
    w.key("path");
    w.string(v.path);
    w.key("code");
    w.string(v.code);
    w.key("expected");
    w.string(v.expected);
    w.key("message");
    w.string(v.message);
    w.end_object();
  }
  w.end_array();
  write_tail();
  w.end_object();
  return out;
}

}  // namespace safeguard
