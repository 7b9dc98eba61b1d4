// Evaluating one snapshot: validate, run every rule and threshold, then gather facts,
// messages and actions for the rules that were raised.
#include <algorithm>
#include <charconv>
#include <optional>

#include "cel/value/describe.hpp"
#include "cel/value/ops.hpp"
#include "cel/value/to_json.hpp"
#include "engine/explain.hpp"
#include "engine/fill.hpp"
#include "engine/impl.hpp"
#include "engine/refill.hpp"
#include "engine/render.hpp"
#include "time/date.hpp"

namespace safeguard::engine {

namespace {

// A snapshot that cannot be evaluated: the as-of date and the rule set, and why.
void input_error(Result& r, const RuleSet::Impl& impl, const EvalOptions& options, std::string code,
                 std::string message) {
  clear(r, thread_spares());
  r.as_of = options.as_of;
  r.ruleset = impl.info;
  Diagnostic d;
  d.code = std::move(code);
  d.file = "<snapshot>";
  d.message = std::move(message);
  r.errors.push_back(std::move(d));
}

// Sets `out` to "file:line:col" of the error site `id` of `program`, or "" when unknown:
// written into `out`'s own storage (an entry reused from an earlier case has some), not
// joined from temporary strings.
void site_text(std::string& out, const ruleset::CompiledRuleSet& rs, const cel::Program& program,
               std::uint32_t id) {
  out.clear();
  const cel::ErrorSite* site = program.error_site(id);
  if (site == nullptr || site->source >= rs.sources.size()) return;
  const ruleset::ExprText* text = rs.sources[site->source];
  if (text == nullptr || site->offset >= text->offsets.size() ||
      text->file >= rs.source.files.size()) {
    return;
  }
  const ruleset::SourceFile& file = rs.source.files[text->file];
  const base::Position pos = file.text.position(text->offsets[site->offset]);
  char line[12];
  char column[12];
  char* line_end = std::to_chars(line, line + sizeof line, pos.line).ptr;
  char* column_end = std::to_chars(column, column + sizeof column, pos.column).ptr;
  out.reserve(file.path.size() + 2 + static_cast<std::size_t>(line_end - line) +
              static_cast<std::size_t>(column_end - column));
  out.append(file.path);
  out += ':';
  out.append(line, line_end);
  out += ':';
  out.append(column, column_end);
}

// Why rule or threshold `id` gave `v`, neither true nor false: an error, or a value of
// another type. `u` is reset (refill.hpp).
void undetermined_from(Undetermined& u, const std::string& id, const char* kind,
                       const cel::Value& v, const ruleset::CompiledRuleSet& rs,
                       const cel::Program& program) {
  u.id = id;
  u.kind = kind;
  if (!v.is_error()) {
    u.reason = "no-matching-overload";
    u.message = "the condition did not give true or false";
    return;
  }
  const cel::ErrorData& error = *v.error;
  cel::ErrorDescription what = cel::describe(error);
  u.reason = std::move(what.kind);
  u.path = std::move(what.path);
  u.message = std::move(what.message);
  u.depends_on = std::move(what.rule);
  // The failure itself, past any raised() of an undetermined rule.
  const cel::ErrorData* cause = &error;
  while (cause->cause != nullptr) cause = cause->cause;
  site_text(u.at, rs, program, cause->expr_id);
}

Undetermined undetermined_from(const std::string& id, const char* kind, const cel::Value& v,
                               const ruleset::CompiledRuleSet& rs, const cel::Program& program) {
  Undetermined u;
  undetermined_from(u, id, kind, v, rs, program);
  return u;
}

// The `schema` a snapshot declares must be the one the rule set reads.
bool schema_mismatch(const cel::JsonDoc* doc, const std::string& expected, std::string* declared) {
  if (expected.empty()) return false;
  std::uint32_t at;
  if (!cel::json_find(doc, doc->root, "schema", &at)) return false;  // validation reports it
  if (cel::json_type(doc, at) != '"') return false;
  const std::string_view value = cel::json_string(doc, at);
  if (value == expected) return false;
  // The declared id is metadata, not case data, but keep it short.
  *declared = std::string(value.substr(0, 64));
  return true;
}

// An action recommended by the raised rules, while they are gathered.
struct PendingAction {
  const ruleset::CompiledAction* def = nullptr;     // its first recommendation: id, text, owner
  std::uint32_t rule = 0;                           // the index of def's rule
  std::uint32_t action = 0;                         // and of def among its actions
  std::int64_t due_day = kNoDue;                    // the earliest due date given, as a day number
  std::vector<const ruleset::CompiledRule*> flags;  // the recommending rules
  std::vector<Undetermined> due_undetermined;
};

// Working storage of one thread's evaluations, kept between them so that its vectors and
// strings keep their capacity: none of it is part of a result.
struct Scratch {
  std::vector<std::size_t> raised;
  std::vector<std::uint32_t> matched;  // indexes of the thresholds that matched
  std::vector<std::uint32_t> order;
  std::vector<std::uint32_t> place;
  std::vector<PendingAction> actions;
  std::string text;
};

Scratch& thread_scratch() {
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace

bool due_text_before(std::int64_t a, std::int64_t b) {
  std::string x;
  std::string y;
  cel::append_date(x, a);
  cel::append_date(y, b);
  return x < y;
}

namespace {

template <typename Out>
void append_message_to(Out& text, const ruleset::CompiledRule& rule, const cel::Program& program,
                       cel::Frame& frame) {
  for (const auto& part : rule.message) {
    if (!part.is_expression) {
      text += part.text;
    } else {
      append_text(text, program.root(part.root)->eval(frame));
    }
  }
}

}  // namespace

void append_message(std::string& text, const ruleset::CompiledRule& rule,
                    const cel::Program& program, cel::Frame& frame) {
  append_message_to(text, rule, program, frame);
}

void append_message(base::TextBuffer& text, const ruleset::CompiledRule& rule,
                    const cel::Program& program, cel::Frame& frame) {
  append_message_to(text, rule, program, frame);
}

void fill(const RuleSet::Impl& impl, snapshot::ParsedJson& json, const EvalOptions& options,
          Result& result, DirectResult* direct) {
  const ruleset::CompiledRuleSet& rs = *impl.compiled;
  Spares& spares = thread_spares();
  const auto as_of = time::parse_date(options.as_of);
  if (!as_of) {
    return input_error(result, impl, options, "input.as-of",
                       "as-of date must be a real date written YYYY-MM-DD");
  }
  if (!json.root_is_object()) {
    return input_error(result, impl, options, "snapshot.not-object",
                       "the snapshot must be a JSON object");
  }
  std::string declared;
  if (schema_mismatch(json.doc(), rs.snapshot_schema, &declared)) {
    return input_error(result, impl, options, "snapshot.schema",
                       "the snapshot declares schema '" + declared + "', but the rule set reads '" +
                           rs.snapshot_schema + "'");
  }
  result.evaluated = false;
  result.errors.clear();
  if (direct) {
    direct->as_of = &options.as_of;
    direct->calendars = &impl.info.calendars;
  } else {
    result.as_of = options.as_of;
    result.ruleset = impl.info;
  }

  // Validation marks bad values so that the rules reading them become undetermined.
  std::vector<snapshot::Violation> violations;
  if (rs.schema && options.validate) {
    violations = rs.schema->validate(json);
  } else {
    violations = snapshot::check_duplicate_keys(json, 100);
  }
  refill(result.violations, violations.size(), spares);
  for (std::size_t k = 0; k < violations.size(); ++k) {
    snapshot::Violation& v = violations[k];
    Violation& to = result.violations[k];
    to.path = std::move(v.path);
    to.code = std::move(v.code);
    to.expected = std::move(v.expected);
    to.message = std::move(v.message);
  }

  const cel::Program& program = *rs.program;
  thread_local cel::Frame frame;
  const std::uint64_t steps = rs.limits.max_evaluation_steps;
  program.prepare(
      frame, cel::EvalLimits{steps, rs.limits.max_evaluation_bytes, rs.limits.max_regex_bytes});
  frame.doc = json.doc();
  frame.as_of = *as_of;
  std::shared_ptr<const time::WorkingCalendar> calendar =
      options.calendar ? working_calendar(*options.calendar) : rs.default_calendar;
  frame.calendar = calendar.get();
  frame.calendars = &impl.calendars;
  if (options.calendar && calendar != rs.default_calendar) {
    // Another default calendar: the result names the calendars it was worked out with.
    // Hashing them costs about as much as an evaluation, and a batch gives every case the
    // same one, so each thread remembers the last: keyed by the calendar (held, so its
    // address is not reused) and by the rule set's own calendars digest (by content, as a
    // rule set loaded later may sit at the address of a freed one).
    thread_local std::shared_ptr<const time::WorkingCalendar> last_default;
    thread_local std::string last_rule_set_digest;
    thread_local std::string last_digest;
    if (calendar != last_default || last_rule_set_digest != impl.info.calendars) {
      last_digest = impl.calendars.digest(calendar.get());
      last_default = calendar;
      last_rule_set_digest = impl.info.calendars;
    }
    if (direct) {
      direct->calendars = &last_digest;
    } else {
      result.ruleset.calendars = last_digest;
    }
  }
  frame.slots()[rs.case_slot] = cel::json_value(json.doc(), json.doc()->root);
  frame.slots()[rs.as_of_slot] = cel::Value::date(*as_of);

  const ExplainOptions explain{options.explain, options.show_values};
  // Explaining a rule runs its condition again, alone, on a fresh frame. In the run above,
  // a definition is computed once, for whichever rule read it first, and a function is
  // called by many rules (the pack's conditions are mostly one call each): only a run of
  // its own says what the definitions and functions a rule reaches did for that rule.
  // The traced program may cost more than the plain one (it does not hoist or skip as
  // much), and each explained rule runs again, so explaining gets a larger budget, but a
  // bounded one, shared by all the explanations of this evaluation: a rule that would run
  // for hours, or a definition that every rule reads, must not hang a request for them.
  const std::uint64_t explain_budget = steps > UINT64_MAX / 16 ? steps : steps * 4;
  std::uint64_t explain_steps_left = explain_budget;
  // `outcome` is what the evaluation found; an explanation that does not reach the same
  // (the budget ran out at another point, or only in the run above) would explain
  // something else, so the rule is left unexplained.
  const auto explain_alone = [&](std::uint32_t root, std::uint32_t source,
                                 const cel::Value& outcome) -> std::vector<ExplainStep> {
    if (explain_steps_left == 0) return {};
    const cel::Program& traced = rs.explain_program();
    thread_local cel::Frame alone;
    traced.prepare(alone, cel::EvalLimits{explain_steps_left, rs.limits.max_evaluation_bytes,
                                          rs.limits.max_regex_bytes});
    thread_local Recorder recorder;
    recorder.reset(traced.trace_sites().size());
    alone.trace = &recorder;
    alone.doc = frame.doc;
    alone.as_of = frame.as_of;
    alone.calendar = frame.calendar;
    alone.calendars = frame.calendars;
    alone.slots()[rs.case_slot] = frame.slots()[rs.case_slot];
    alone.slots()[rs.as_of_slot] = frame.slots()[rs.as_of_slot];
    // raised("x") reads x's outcome as the run above found it: running x again would list
    // the definitions and functions x reaches as this rule's, and could even disagree
    // with the outcome this rule was judged on (x's budget there was shared).
    for (std::size_t j = 0; j < program.rule_count() && j < traced.rule_count(); ++j) {
      const std::uint32_t from = program.rule_slot(j);
      const std::uint32_t to = traced.rule_slot(j);
      if (traced.rule(j) == traced.root(root) || frame.state(from) != cel::SlotState::kReady) {
        continue;
      }
      alone.slots()[to] = frame.slots()[from];
      alone.set_state(to, cel::SlotState::kReady);
    }
    const cel::Value again = traced.root(root)->eval(alone);
    const auto left = static_cast<std::uint64_t>(alone.steps_left());
    explain_steps_left = left < explain_steps_left ? left : explain_steps_left;
    const bool same = again.is_error()
                          ? outcome.is_error()
                          : again.kind == cel::ValueKind::kBool &&
                                outcome.kind == cel::ValueKind::kBool && again.b == outcome.b;
    if (!same) return {};
    return explain_condition(traced, recorder, source, rs.source_labels, explain);
  };

  // Rules.
  Scratch& scratch = thread_scratch();
  std::vector<std::size_t>& raised = scratch.raised;
  raised.clear();
  refill(result.undetermined, 0, spares);
  if (direct) direct->undetermined_ids.clear();
  for (std::size_t i = 0; i < rs.rules.size(); ++i) {
    const ruleset::CompiledRule& rule = rs.rules[i];
    const cel::Value v = program.root(rule.root)->eval(frame);
    if (v.kind == cel::ValueKind::kBool) {
      if (v.b) raised.push_back(i);
      continue;
    }
    Undetermined& u = append(result.undetermined, spares);
    undetermined_from(u, rule.id, "rule", v, rs, program);
    if (direct) direct->undetermined_ids.push_back(&rule.id);
    if (explain.enabled) u.explain = explain_alone(rule.root, rule.source_id, v);
  }

  // Thresholds: the highest level with a match wins; undetermined thresholds above it
  // could have lifted the level, so they are reported. Only the winning level's ids are
  // copied into the result.
  std::vector<std::uint32_t>& matched = scratch.matched;
  matched.clear();
  std::vector<std::vector<ExplainStep>> matched_explain;              // with explain, per match
  std::vector<std::pair<std::size_t, Undetermined>> open_thresholds;  // by threshold index
  std::size_t level = 0;
  for (std::size_t i = 0; i < rs.thresholds.size(); ++i) {
    const ruleset::CompiledThreshold& t = rs.thresholds[i];
    const cel::Value v = program.root(t.root)->eval(frame);
    if (v.kind == cel::ValueKind::kBool) {
      if (v.b) {
        matched.push_back(static_cast<std::uint32_t>(i));
        if (explain.enabled) matched_explain.push_back(explain_alone(t.root, t.source_id, v));
        if (t.level > level) level = t.level;
      }
      continue;
    }
    Undetermined u = undetermined_from(t.id, "threshold", v, rs, program);
    if (explain.enabled) u.explain = explain_alone(t.root, t.source_id, v);
    open_thresholds.emplace_back(i, std::move(u));
  }
  if (direct) {
    direct->has_level = !rs.levels.empty();
    direct->level = static_cast<std::uint32_t>(level);
    direct->matched = &matched;
  } else {
    std::size_t reasons = 0;
    if (!rs.levels.empty()) {
      for (const std::uint32_t m : matched) reasons += rs.thresholds[m].level == level ? 1 : 0;
    }
    reset(result.level, reasons, spares);
  }
  if (!direct && !rs.levels.empty()) {
    result.level.id = rs.levels[level];
    std::size_t reason = 0;
    for (std::size_t k = 0; k < matched.size(); ++k) {
      const ruleset::CompiledThreshold& t = rs.thresholds[matched[k]];
      if (t.level != level) continue;
      result.level.reasons[reason++] = t.id;
      if (explain.enabled) result.level.explain.push_back(std::move(matched_explain[k]));
    }
  }
  for (auto& [i, u] : open_thresholds) {
    if (rs.thresholds[i].level <= level) continue;
    append(result.undetermined, spares) = std::move(u);
    if (direct) direct->undetermined_ids.push_back(&rs.thresholds[i].id);
  }

  // Deterministic order: severity, then id (the rules' flag_rank, set at load). Each raised rule's
  // flag is built in rule order (facts and messages are evaluated in the same order whatever the
  // sort) straight into its sorted place, so flags are never moved.
  std::vector<std::uint32_t>& order = scratch.order;
  order.resize(raised.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::uint32_t>(k);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return rs.rules[raised[a]].flag_rank < rs.rules[raised[b]].flag_rank;
  });
  std::vector<std::uint32_t>& place = scratch.place;
  place.resize(raised.size());
  for (std::size_t k = 0; k < order.size(); ++k) place[order[k]] = static_cast<std::uint32_t>(k);
  if (direct) {
    direct->text.clear();
    direct->flags.resize(raised.size());
    direct->undetermined_facts.clear();
  } else {
    resize(result.flags, raised.size(), spares);  // each prepared and set below
  }

  // Facts, messages and actions of raised rules. Texts are built in the thread's scratch
  // string and copied once, so a result's string gets one allocation of its final size
  // rather than one per doubling. A pack recommends few distinct actions, so they are
  // gathered in scratch by a linear search, and each becomes an Action only once, in its
  // sorted place.
  std::string& text = scratch.text;
  std::vector<PendingAction>& pending = scratch.actions;
  std::size_t pending_count = 0;
  for (std::size_t k = 0; k < raised.size(); ++k) {
    const ruleset::CompiledRule& rule = rs.rules[raised[k]];
    Flag* flag = nullptr;
    if (direct) {
      record_flag(*direct, rs, raised[k], place[k], program, frame, impl.texts);
    } else {
      flag = &result.flags[place[k]];
      prepare(*flag, rule.facts.size(), rule.actions.size(), spares);  // every field set below
      flag->id = rule.id;
      flag->severity = rule.severity;
      flag->category = rule.category;
      flag->title = rule.title;
      flag->source = rule.source;
      flag->file = rule.file;
      flag->line = rule.line;
      for (std::size_t j = 0; j < rule.facts.size(); ++j) {
        const auto& [name, root] = rule.facts[j];
        const cel::Value v = program.root(root)->eval(frame);
        Fact& fact = flag->facts[j];
        fact.name = name;
        // A fact is a computed value, so its text is held to the evaluation memory limit.
        // A reused fact's text (heap storage from an earlier case) takes the JSON directly; a
        // new one gets it from the scratch text in one allocation of its final size.
        std::string& into = fact.value_json.capacity() > 15 ? fact.value_json : text;
        fact.determined = !v.is_error() && cel::to_json(v, rs.limits.max_evaluation_bytes, into);
        if (!fact.determined) {
          fact.value_json = "null";
        } else if (&into == &text) {
          fact.value_json = text;
        }
      }
      text.clear();
      append_message(text, rule, program, frame);
      flag->message = text;
    }
    for (std::size_t j = 0; j < rule.actions.size(); ++j) {
      const ruleset::CompiledAction& a = rule.actions[j];
      // As a day number: the text is written once per action, after the earliest is found.
      std::int64_t due = kNoDue;
      std::optional<Undetermined> unknown_due;
      if (a.due_root >= 0) {
        const cel::Value v = program.root(static_cast<std::size_t>(a.due_root))->eval(frame);
        if (v.kind == cel::ValueKind::kDate) {
          due = v.i;
        } else {
          // Missing data must not read as "no deadline", nor hide an earlier one.
          unknown_due = undetermined_from(rule.id, "due", v, rs, program);
          if (!v.is_error()) unknown_due->message = "the due date expression did not give a date";
        }
      }
      if (flag) flag->actions[j] = a.id;
      std::size_t at = 0;
      while (at < pending_count && pending[at].def->id_rank != a.id_rank) ++at;
      if (at == pending_count) {
        if (pending_count == pending.size()) pending.emplace_back();
        PendingAction& p = pending[pending_count++];
        p.def = &a;
        p.rule = static_cast<std::uint32_t>(raised[k]);
        p.action = static_cast<std::uint32_t>(j);
        p.due_day = due;
        p.flags.clear();
        p.due_undetermined.clear();
      } else if (due_before(due, pending[at].due_day)) {
        pending[at].due_day = due;
      }
      pending[at].flags.push_back(&rule);
      if (unknown_due) pending[at].due_undetermined.push_back(std::move(*unknown_due));
    }
    if (explain.enabled && flag)
      flag->explain = explain_alone(rule.root, rule.source_id, cel::Value::boolean(true));
  }

  // Ids are unique, so this order is total and any sort gives what a stable one would.
  order.resize(pending_count);
  for (std::size_t k = 0; k < pending_count; ++k) order[k] = static_cast<std::uint32_t>(k);
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const PendingAction& a = pending[x];
    const PendingAction& b = pending[y];
    // Undated actions last.
    if (a.due_day != b.due_day) return due_before(a.due_day, b.due_day);
    return a.def->id_rank < b.def->id_rank;
  });
  if (direct) {
    direct->actions.resize(pending_count);
  } else {
    resize(result.actions, pending_count, spares);  // each prepared and set below
  }
  for (std::size_t k = 0; k < pending_count; ++k) {
    PendingAction& p = pending[order[k]];
    std::sort(p.flags.begin(), p.flags.end(),
              [](const ruleset::CompiledRule* x, const ruleset::CompiledRule* y) {
                return x->id_rank < y->id_rank;
              });
    std::sort(p.due_undetermined.begin(), p.due_undetermined.end(),
              [](const Undetermined& x, const Undetermined& y) { return x.id < y.id; });
    if (direct) {
      direct->actions[k] = DirectAction{p.rule, p.action, p.due_day, &p.flags, &p.due_undetermined};
      continue;
    }
    Action& action = result.actions[k];
    prepare(action, p.flags.size(), spares);  // every field set below
    action.id = p.def->id;
    action.text = p.def->text;
    action.owner = p.def->owner;
    action.due.clear();
    if (p.due_day != kNoDue) cel::append_date(action.due, p.due_day);
    for (std::size_t j = 0; j < p.flags.size(); ++j) action.flags[j] = p.flags[j]->id;
    action.due_undetermined = std::move(p.due_undetermined);
  }
  if (direct) {
    // The entries stay in the order they were found; the JSON and the outline take them by
    // id through indexes, so that the sort moves no entry and its strings (ids are unique,
    // so this is the order the sort below gives).
    const std::vector<const std::string*>& ids = direct->undetermined_ids;
    std::vector<std::uint32_t>& by_id = direct->undetermined_order;
    by_id.resize(ids.size());
    for (std::size_t k = 0; k < by_id.size(); ++k) by_id[k] = static_cast<std::uint32_t>(k);
    std::sort(by_id.begin(), by_id.end(),
              [&](std::uint32_t x, std::uint32_t y) { return *ids[x] < *ids[y]; });
  } else {
    std::sort(result.undetermined.begin(), result.undetermined.end(),
              [](const Undetermined& a, const Undetermined& b) { return a.id < b.id; });
  }
  result.evaluated = true;
}

void evaluate(const RuleSet::Impl& impl, snapshot::ParsedJson& json, const EvalOptions& options,
              Result& result) {
  try {
    fill(impl, json, options, result, nullptr);
  } catch (...) {
    // Never a mix of this case and the one before (and nothing that could throw again).
    result = Result();
    throw;
  }
}

void clear_result(Result& result) {
  clear(result, thread_spares());
}

}  // namespace safeguard::engine
