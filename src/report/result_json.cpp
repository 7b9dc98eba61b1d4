// The stable JSON form of a Result (docs/result-json.md). Key order is fixed and
// arrays are in the Result's (deterministic) order, so identical inputs give
// byte-identical output.
#include <algorithm>

#include "base/json_writer.hpp"
#include "engine/compact_json.hpp"
#include "safeguard/result.hpp"

namespace safeguard {

namespace {

void write_steps(base::JsonWriter& w, const std::vector<ExplainStep>& steps) {
  w.begin_array();
  for (const auto& s : steps) {
    w.begin_object();
    w.plain_key("expression");
    w.string(s.expression);
    if (!s.within.empty()) {
      w.plain_key("within");
      w.string(s.within);
    }
    w.plain_key("outcome");
    w.string(s.outcome);
    if (s.times_true + s.times_false + s.times_undetermined > 1) {
      w.plain_key("times_true");
      w.uinteger(s.times_true);
      w.plain_key("times_false");
      w.uinteger(s.times_false);
      w.plain_key("times_undetermined");
      w.uinteger(s.times_undetermined);
    }
    if (s.times_default > 0) {
      w.plain_key("times_default");
      w.uinteger(s.times_default);
    }
    if (!s.value_json.empty()) {
      w.plain_key("value");
      w.raw(s.value_json);
    }
    w.end_object();
  }
  w.end_array();
}

void write_explain(base::JsonWriter& w, const std::vector<ExplainStep>& steps) {
  w.plain_key("explain");
  write_steps(w, steps);
}

void write_strings(base::JsonWriter& w, const std::vector<std::string>& items) {
  w.begin_array();
  for (const auto& s : items) w.string(s);
  w.end_array();
}

// An upper-ish guess at the compact JSON's size, so the output grows once instead of
// doubling (and copying) several times on the way.
std::size_t estimated_json_size(const Result& r) {
  std::size_t size = 512;
  for (const auto& f : r.flags) {
    size += 256 + f.id.size() + f.title.size() + f.message.size() + f.source.size();
    for (const auto& fact : f.facts) size += 8 + fact.name.size() + fact.value_json.size();
    for (const auto& a : f.actions) size += 4 + a.size();
  }
  for (const auto& a : r.actions) size += 128 + a.id.size() + a.text.size() + 40 * a.flags.size();
  return size + 128 * r.undetermined.size() + 128 * r.violations.size();
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
  write_json(out, pretty);
  return out;
}

void Result::write_json(std::string& out, bool pretty) const {
  if (!pretty && engine::compact_applies(*this)) return engine::append_compact_json(*this, out);
  if (!pretty) out.reserve(out.size() + estimated_json_size(*this));
  base::JsonWriter w(out, pretty);
  auto write_tail = [&] {
    w.plain_key("ruleset");
    w.begin_object();
    w.plain_key("name");
    w.string(ruleset.name);
    w.plain_key("version");
    w.string(ruleset.version);
    w.plain_key("fingerprint");
    w.string(ruleset.fingerprint);
    w.plain_key("calendars");
    w.string(ruleset.calendars);
    w.end_object();
    w.plain_key("as_of");
    w.string(as_of);
  };
  w.begin_object();
  if (!evaluated) {
    w.plain_key("errors");
    w.begin_array();
    for (const auto& e : errors) {
      w.begin_object();
      w.plain_key("code");
      w.string(e.code);
      w.plain_key("message");
      w.string(e.message);
      if (e.line > 0) {
        w.plain_key("line");
        w.uinteger(e.line);
        w.plain_key("column");
        w.uinteger(e.column);
      }
      w.end_object();
    }
    w.end_array();
    write_tail();
    w.end_object();
    return;
  }
  w.plain_key("level");
  w.begin_object();
  w.plain_key("id");
  w.string(level.id);
  w.plain_key("reasons");
  write_strings(w, level.reasons);
  if (!level.explain.empty()) {
    // Keyed by reason id (ids are unique), in the order of `reasons`.
    w.plain_key("explain");
    w.begin_object();
    for (std::size_t i = 0; i < level.reasons.size() && i < level.explain.size(); ++i) {
      w.key(level.reasons[i]);
      write_steps(w, level.explain[i]);
    }
    w.end_object();
  }
  w.end_object();

  w.plain_key("flags");
  w.begin_array();
  for (const auto& f : flags) {
    w.begin_object();
    w.plain_key("id");
    w.string(f.id);
    w.plain_key("severity");
    w.string(f.severity);
    w.plain_key("category");
    w.string(f.category);
    w.plain_key("title");
    w.string(f.title);
    w.plain_key("message");
    w.string(f.message);
    w.plain_key("facts");
    w.begin_object();
    for (const auto& fact : f.facts) {
      w.key(fact.name);
      w.raw(fact.value_json);
    }
    w.end_object();
    // A fact that could not be worked out is null above, like a fact whose value is null:
    // name it, so missing data is not read as a value.
    if (std::any_of(f.facts.begin(), f.facts.end(), [](const Fact& x) { return !x.determined; })) {
      w.plain_key("facts_undetermined");
      w.begin_array();
      for (const auto& fact : f.facts) {
        if (!fact.determined) w.string(fact.name);
      }
      w.end_array();
    }
    w.plain_key("actions");
    write_strings(w, f.actions);
    w.plain_key("source");
    w.string(f.source);
    w.plain_key("rule_file");
    w.string(f.file);
    w.plain_key("rule_line");
    w.uinteger(f.line);
    if (!f.explain.empty()) write_explain(w, f.explain);
    w.end_object();
  }
  w.end_array();

  w.plain_key("actions");
  w.begin_array();
  for (const auto& a : actions) {
    w.begin_object();
    w.plain_key("id");
    w.string(a.id);
    w.plain_key("text");
    w.string(a.text);
    w.plain_key("owner");
    w.string(a.owner);
    w.plain_key("due");
    if (a.due.empty()) {
      w.null();
    } else {
      w.string(a.due);
    }
    w.plain_key("flags");
    write_strings(w, a.flags);
    if (!a.due_undetermined.empty()) {
      w.plain_key("due_undetermined");
      w.begin_array();
      for (const auto& u : a.due_undetermined) {
        w.begin_object();
        w.plain_key("flag");
        w.string(u.id);
        w.plain_key("reason");
        w.string(u.reason);
        w.plain_key("path");
        w.string(u.path);
        w.plain_key("message");
        w.string(u.message);
        if (!u.at.empty()) {
          w.plain_key("at");
          w.string(u.at);
        }
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();

  w.plain_key("undetermined");
  w.begin_array();
  for (const auto& u : undetermined) {
    w.begin_object();
    w.plain_key("id");
    w.string(u.id);
    w.plain_key("kind");
    w.string(u.kind);
    w.plain_key("reason");
    w.string(u.reason);
    w.plain_key("path");
    w.string(u.path);
    w.plain_key("message");
    w.string(u.message);
    if (!u.depends_on.empty()) {
      w.plain_key("depends_on");
      w.string(u.depends_on);
    }
    if (!u.at.empty()) {
      w.plain_key("at");
      w.string(u.at);
    }
    if (!u.explain.empty()) write_explain(w, u.explain);
    w.end_object();
  }
  w.end_array();

  w.plain_key("violations");
  w.begin_array();
  for (const auto& v : violations) {
    w.begin_object();
    w.plain_key("path");
    w.string(v.path);
    w.plain_key("code");
    w.string(v.code);
    w.plain_key("expected");
    w.string(v.expected);
    w.plain_key("message");
    w.string(v.message);
    w.end_object();
  }
  w.end_array();
  write_tail();
  w.end_object();
}

}  // namespace safeguard
