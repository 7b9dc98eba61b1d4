#include "engine/refill.hpp"

namespace safeguard::engine {

static_assert(sizeof(Fact) == sizeof(shape::Fact), "a Fact field is not cleared");
static_assert(sizeof(Undetermined) == sizeof(shape::Undetermined),
              "an Undetermined field is not cleared");
static_assert(sizeof(Flag) == sizeof(shape::Flag), "a Flag field is not cleared");
static_assert(sizeof(Action) == sizeof(shape::Action), "an Action field is not cleared");
static_assert(sizeof(Violation) == sizeof(shape::Violation), "a Violation field is not cleared");
static_assert(sizeof(LevelOfNeed) == sizeof(shape::LevelOfNeed),
              "a LevelOfNeed field is not cleared");
static_assert(sizeof(RuleSetInfo) == sizeof(shape::RuleSetInfo),
              "a RuleSetInfo field is not cleared");
static_assert(sizeof(Result) == sizeof(shape::Result), "a Result field is not cleared");

Spares& thread_spares() {
  thread_local Spares spares;
  return spares;
}

void clear(Fact& fact, Spares&) {
  fact.name.clear();
  fact.value_json.clear();
  fact.determined = true;
}

void clear(Undetermined& undetermined, Spares&) {
  undetermined.id.clear();
  undetermined.kind.clear();
  undetermined.reason.clear();
  undetermined.path.clear();
  undetermined.message.clear();
  undetermined.depends_on.clear();
  undetermined.explain.clear();
  undetermined.at.clear();
}

void clear(Violation& violation, Spares&) {
  violation.path.clear();
  violation.code.clear();
  violation.expected.clear();
  violation.message.clear();
}

void reset(Flag& flag, std::size_t facts, std::size_t actions, Spares& spares) {
  flag.id.clear();
  flag.severity.clear();
  flag.category.clear();
  flag.title.clear();
  flag.message.clear();
  refill(flag.facts, facts, spares);
  refill(flag.actions, actions, spares);
  flag.source.clear();
  flag.file.clear();
  flag.line = 0;
  flag.explain.clear();
}

void prepare(Flag& flag, std::size_t facts, std::size_t actions, Spares& spares) {
  resize(flag.facts, facts, spares);
  resize(flag.actions, actions, spares);
  flag.explain.clear();
}

void prepare(Action& action, std::size_t flags, Spares& spares) {
  resize(action.flags, flags, spares);
}

void clear(Flag& flag, Spares& spares) {
  reset(flag, 0, 0, spares);
}

void reset(Action& action, std::size_t flags, Spares& spares) {
  action.id.clear();
  action.text.clear();
  action.owner.clear();
  action.due.clear();
  refill(action.flags, flags, spares);
  refill(action.due_undetermined, 0, spares);
}

void clear(Action& action, Spares& spares) {
  reset(action, 0, spares);
}

void reset(LevelOfNeed& level, std::size_t reasons, Spares& spares) {
  level.id.clear();
  refill(level.reasons, reasons, spares);
  level.explain.clear();
}

void clear(Result& result, Spares& spares) {
  result.evaluated = false;
  result.errors.clear();
  result.as_of.clear();
  result.ruleset.name.clear();
  result.ruleset.version.clear();
  result.ruleset.fingerprint.clear();
  result.ruleset.calendars.clear();
  reset(result.level, 0, spares);
  refill(result.flags, 0, spares);
  refill(result.actions, 0, spares);
  refill(result.undetermined, 0, spares);
  refill(result.violations, 0, spares);
}

}  // namespace safeguard::engine
