#include "engine/compact_json.hpp"

#include <charconv>
#include <cstring>

#include "base/json_plain.hpp"
#include "base/json_writer.hpp"
#include "base/text_buffer.hpp"
#include "cel/value/to_json.hpp"
#include "ruleset/compiled.hpp"
#include "time/civil.hpp"

namespace safeguard::engine {

namespace {

// More is freed after use: one huge result must not leave a thread holding its size.
constexpr std::size_t kKeptCapacity = std::size_t{1} << 20;

// The thread's one buffer, for a Result's JSON and for one written from the evaluation
// alike (never both at once): the JSON is written through a pointer into its room and
// appended to the caller's string once, at its final size.
base::TextBuffer& thread_storage() {
  thread_local base::TextBuffer storage;
  return storage;
}

// Writes into a TextBuffer's room through a pointer of its own (kept in a register across
// the writer's many short appends, where the buffer's size would be loaded and stored each
// time), committed when more room is needed and at the end.
class Out {
 public:
  explicit Out(base::TextBuffer& storage) : storage_(storage) {
    storage_.clear();
    p_ = storage_.tail(16 * 1024);
    end_ = p_ + storage_.capacity();
  }

  // Bytes as they are.
  void raw(const char* s, std::size_t n) {
    need(n);
    std::memcpy(p_, s, n);
    p_ += n;
  }
  void raw(std::string_view s) { raw(s.data(), s.size()); }
  // The format's own text: keys, brackets and separators.
  template <std::size_t N>
  void lit(const char (&s)[N]) {
    raw(s, N - 1);
  }
  // A JSON string literal, escaped as base::append_json_string escapes it.
  void str(std::string_view s) {
    need(s.size() + base::plain::kPlainJsonStringRoom);
    char* const end = base::plain::write_plain_json_string(p_, s);
    if (end == nullptr) return escaped(s);
    p_ = end;
  }
  // A date, quoted: what str() writes for cel::append_date's text, which needs no escaping.
  void date(std::int64_t days) {
    if (days < time::kMinDay || days > time::kMaxDay) {  // a sign or a fifth digit of the year
      thread_local std::string text;
      text.clear();
      cel::append_date(text, days, true);
      return raw(text);
    }
    need(12);
    *p_++ = '"';
    p_ = cel::write_date(p_, days);
    *p_++ = '"';
  }
  void uinteger(std::uint64_t v) {
    need(24);
    p_ = std::to_chars(p_, p_ + 24, v).ptr;
  }
  // Each string of `items` with ',' between them.
  void strings(const std::vector<std::string>& items) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) lit(",");
      str(items[i]);
    }
  }

  void append_to(std::string& out) {
    storage_.commit(p_);
    out.append(storage_.data(), storage_.size());
    if (storage_.capacity() > kKeptCapacity) storage_.release();
  }

 private:
  void need(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) make_room(n);
  }

  // Out of line, as escaped() is: str() runs about 70 times per result, and its common
  // path then saves and restores no registers.
  [[gnu::noinline]] void make_room(std::size_t n) {
    storage_.commit(p_);
    p_ = storage_.tail(n);
    end_ = p_ + (storage_.capacity() - storage_.size());
  }

  // Text with characters to escape or check (rare in results: most are ASCII ids and
  // dates): the general escaping, through a scratch string.
  [[gnu::noinline]] void escaped(std::string_view s) {
    thread_local std::string text;
    text.clear();
    base::append_json_string(text, s);
    raw(text);
    if (text.capacity() > kKeptCapacity) std::string().swap(text);
  }

  base::TextBuffer& storage_;
  char* p_ = nullptr;
  char* end_ = nullptr;
};

void write_flag(Out& o, const Flag& f) {
  o.lit("{\"id\":");
  o.str(f.id);
  o.lit(",\"severity\":");
  o.str(f.severity);
  o.lit(",\"category\":");
  o.str(f.category);
  o.lit(",\"title\":");
  o.str(f.title);
  o.lit(",\"message\":");
  o.str(f.message);
  o.lit(",\"facts\":{");
  bool undetermined = false;
  for (std::size_t i = 0; i < f.facts.size(); ++i) {
    const Fact& fact = f.facts[i];
    if (i > 0) o.lit(",");
    o.str(fact.name);
    o.lit(":");
    o.raw(fact.value_json);
    undetermined = undetermined || !fact.determined;
  }
  o.lit("}");
  if (undetermined) {
    o.lit(",\"facts_undetermined\":[");
    bool first = true;
    for (const Fact& fact : f.facts) {
      if (fact.determined) continue;
      if (!first) o.lit(",");
      o.str(fact.name);
      first = false;
    }
    o.lit("]");
  }
  o.lit(",\"actions\":[");
  o.strings(f.actions);
  o.lit("],\"source\":");
  o.str(f.source);
  o.lit(",\"rule_file\":");
  o.str(f.file);
  o.lit(",\"rule_line\":");
  o.uinteger(f.line);
  o.lit("}");
}

// An action's `due_undetermined`, when it has any.
void write_due_undetermined(Out& o, const std::vector<Undetermined>& due_undetermined) {
  if (due_undetermined.empty()) return;
  o.lit(",\"due_undetermined\":[");
  for (std::size_t i = 0; i < due_undetermined.size(); ++i) {
    const Undetermined& u = due_undetermined[i];
    if (i > 0) o.lit(",");
    o.lit("{\"flag\":");
    o.str(u.id);
    o.lit(",\"reason\":");
    o.str(u.reason);
    o.lit(",\"path\":");
    o.str(u.path);
    o.lit(",\"message\":");
    o.str(u.message);
    if (!u.at.empty()) {
      o.lit(",\"at\":");
      o.str(u.at);
    }
    o.lit("}");
  }
  o.lit("]");
}

void write_action(Out& o, const Action& a) {
  o.lit("{\"id\":");
  o.str(a.id);
  o.lit(",\"text\":");
  o.str(a.text);
  o.lit(",\"owner\":");
  o.str(a.owner);
  o.lit(",\"due\":");
  if (a.due.empty()) {
    o.lit("null");
  } else {
    o.str(a.due);
  }
  o.lit(",\"flags\":[");
  o.strings(a.flags);
  o.lit("]");
  write_due_undetermined(o, a.due_undetermined);
  o.lit("}");
}

void write_undetermined(Out& o, const Undetermined& u) {
  o.lit("{\"id\":");
  o.str(u.id);
  o.lit(",\"kind\":");
  o.str(u.kind);
  o.lit(",\"reason\":");
  o.str(u.reason);
  o.lit(",\"path\":");
  o.str(u.path);
  o.lit(",\"message\":");
  o.str(u.message);
  if (!u.depends_on.empty()) {
    o.lit(",\"depends_on\":");
    o.str(u.depends_on);
  }
  if (!u.at.empty()) {
    o.lit(",\"at\":");
    o.str(u.at);
  }
  o.lit("}");
}

void write_violation(Out& o, const Violation& v) {
  o.lit("{\"path\":");
  o.str(v.path);
  o.lit(",\"code\":");
  o.str(v.code);
  o.lit(",\"expected\":");
  o.str(v.expected);
  o.lit(",\"message\":");
  o.str(v.message);
  o.lit("}");
}

// Each element of `items` written by `write`, with ',' between them.
template <typename T, typename Write>
void write_all(Out& o, const std::vector<T>& items, Write write) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) o.lit(",");
    write(o, items[i]);
  }
}

// From the end of the actions to the start of the rule set: the undetermined entries in
// their order, or in that of the indexes `order` when given.
void write_middle(Out& o, const std::vector<Undetermined>& undetermined,
                  const std::vector<std::uint32_t>* order,
                  const std::vector<Violation>& violations) {
  o.lit("],\"undetermined\":[");
  if (order == nullptr) {
    write_all(o, undetermined, write_undetermined);
  } else {
    for (std::size_t i = 0; i < order->size(); ++i) {
      if (i > 0) o.lit(",");
      write_undetermined(o, undetermined[(*order)[i]]);
    }
  }
  o.lit("],\"violations\":[");
  write_all(o, violations, write_violation);
  o.lit("],");
}

// From the rule set's calendars to the end.
void write_end(Out& o, const std::string& calendars, const std::string& as_of) {
  o.str(calendars);
  o.lit("},\"as_of\":");
  o.str(as_of);
  o.lit("}");
}

}  // namespace

bool compact_applies(const Result& result) {
  if (!result.evaluated || !result.level.explain.empty()) return false;
  for (const Flag& f : result.flags) {
    if (!f.explain.empty()) return false;
  }
  for (const Undetermined& u : result.undetermined) {
    if (!u.explain.empty()) return false;
  }
  return true;
}

void append_compact_json(const Result& r, std::string& out) {
  Out o(thread_storage());
  o.lit("{\"level\":{\"id\":");
  o.str(r.level.id);
  o.lit(",\"reasons\":[");
  o.strings(r.level.reasons);
  o.lit("]},\"flags\":[");
  write_all(o, r.flags, write_flag);
  o.lit("],\"actions\":[");
  write_all(o, r.actions, write_action);
  write_middle(o, r.undetermined, nullptr, r.violations);
  o.lit("\"ruleset\":{\"name\":");
  o.str(r.ruleset.name);
  o.lit(",\"version\":");
  o.str(r.ruleset.version);
  o.lit(",\"fingerprint\":");
  o.str(r.ruleset.fingerprint);
  o.lit(",\"calendars\":");
  write_end(o, r.ruleset.calendars, r.as_of);
  o.append_to(out);
}

ResultTexts result_texts(const ruleset::CompiledRuleSet& rs, const RuleSetInfo& info) {
  ResultTexts t;
  const auto quoted = [](const std::string& s) {
    std::string out;
    base::append_json_string(out, s);
    return out;
  };
  for (const ruleset::CompiledRule& rule : rs.rules) {
    t.rule_id.push_back(quoted(rule.id));
    t.flag_head.push_back("{\"id\":" + t.rule_id.back() + ",\"severity\":" + quoted(rule.severity) +
                          ",\"category\":" + quoted(rule.category) +
                          ",\"title\":" + quoted(rule.title) + ",\"message\":");
    std::string tail = ",\"actions\":[";
    t.fact_name.emplace_back();
    t.fact_key.emplace_back();
    for (const auto& fact : rule.facts) {
      t.fact_name.back().push_back(quoted(fact.first));
      t.fact_key.back().push_back((t.fact_key.back().empty() ? "" : ",") +
                                  t.fact_name.back().back() + ":");
    }
    t.action_head.emplace_back();
    for (std::size_t j = 0; j < rule.actions.size(); ++j) {
      const ruleset::CompiledAction& a = rule.actions[j];
      if (j > 0) tail += ",";
      tail += quoted(a.id);
      t.action_head.back().push_back("{\"id\":" + quoted(a.id) + ",\"text\":" + quoted(a.text) +
                                     ",\"owner\":" + quoted(a.owner) + ",\"due\":");
    }
    tail += "],\"source\":" + quoted(rule.source) + ",\"rule_file\":" + quoted(rule.file) +
            ",\"rule_line\":" + std::to_string(rule.line);
    t.flag_tail.push_back(std::move(tail));
  }
  for (const ruleset::CompiledThreshold& threshold : rs.thresholds) {
    t.threshold_id.push_back(quoted(threshold.id));
  }
  for (const std::string& level : rs.levels) t.level_id.push_back(quoted(level));
  t.ruleset_head = "\"ruleset\":{\"name\":" + quoted(info.name) +
                   ",\"version\":" + quoted(info.version) +
                   ",\"fingerprint\":" + quoted(info.fingerprint) + ",\"calendars\":";
  return t;
}

void append_direct_json(const DirectResult& r, std::string& out) {
  Out o(thread_storage());
  const ResultTexts& t = *r.texts;
  const std::vector<ruleset::CompiledThreshold>& thresholds = r.rs->thresholds;
  o.lit("{\"level\":{\"id\":");
  if (r.has_level) {
    o.raw(t.level_id[r.level]);
  } else {
    o.lit("\"\"");
  }
  o.lit(",\"reasons\":[");
  bool first = true;
  for (const std::uint32_t m : *r.matched) {
    // As Result::level.reasons: none when the rule set has no levels.
    if (!r.has_level || thresholds[m].level != r.level) continue;
    if (!first) o.lit(",");
    o.raw(t.threshold_id[m]);
    first = false;
  }
  o.lit("]},\"flags\":[");
  for (std::size_t i = 0; i < r.flags.size(); ++i) {
    const DirectFlag& f = r.flags[i];
    if (i > 0) o.lit(",");
    o.raw(t.flag_head[f.rule]);
    o.str(r.text.view(f.message_begin, f.message_end));
    o.lit(",\"facts\":{");
    o.raw(r.text.view(f.facts_begin, f.facts_end));
    o.lit("}");
    if (f.undetermined_begin != f.undetermined_end) {
      o.lit(",\"facts_undetermined\":[");
      for (std::uint32_t k = f.undetermined_begin; k < f.undetermined_end; ++k) {
        if (k > f.undetermined_begin) o.lit(",");
        o.raw(t.fact_name[f.rule][r.undetermined_facts[k]]);
      }
      o.lit("]");
    }
    o.raw(t.flag_tail[f.rule]);
    o.lit("}");
  }
  o.lit("],\"actions\":[");
  const ruleset::CompiledRule* rules = r.rs->rules.data();
  for (std::size_t i = 0; i < r.actions.size(); ++i) {
    const DirectAction& a = r.actions[i];
    if (i > 0) o.lit(",");
    o.raw(t.action_head[a.rule][a.action]);
    if (a.due == kNoDue) {
      o.lit("null");
    } else {
      o.date(a.due);
    }
    o.lit(",\"flags\":[");
    for (std::size_t j = 0; j < a.flags->size(); ++j) {
      if (j > 0) o.lit(",");
      o.raw(t.rule_id[static_cast<std::size_t>((*a.flags)[j] - rules)]);
    }
    o.lit("]");
    write_due_undetermined(o, *a.due_undetermined);
    o.lit("}");
  }
  write_middle(o, *r.undetermined, &r.undetermined_order, *r.violations);
  o.raw(t.ruleset_head);
  write_end(o, *r.calendars, *r.as_of);
  o.append_to(out);
}

}  // namespace safeguard::engine
