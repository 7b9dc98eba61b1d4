// Filling a Result again in place (RuleSet::evaluate_into): the elements of its vectors are
// reused where they are, so their strings and vectors keep their storage, but each is
// cleared before it is filled, so no field keeps a value of the case before. A cleared
// element reads as a value-initialised one; elements a result no longer needs are kept
// aside (Spares) as they are, with what they hold, for the next result that needs more,
// which clears them when it takes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "safeguard/result.hpp"

namespace safeguard::engine {

// The fields of each result type reset in place, in order: a field added to a type changes
// its size (unless it fits in padding), and the static_asserts in refill.cpp then ask for it
// to be reset there. Explain steps and diagnostics are never reset: they are built anew.
namespace shape {
struct Fact {
  std::string name, value_json;
  bool determined;
};
struct Undetermined {
  std::string id, kind, reason, path, message, depends_on;
  std::vector<safeguard::ExplainStep> explain;
  std::string at;
};
struct Flag {
  std::string id, severity, category, title, message;
  std::vector<safeguard::Fact> facts;
  std::vector<std::string> actions;
  std::string source, file;
  std::uint32_t line;
  std::vector<safeguard::ExplainStep> explain;
};
struct Action {
  std::string id, text, owner, due;
  std::vector<std::string> flags;
  std::vector<safeguard::Undetermined> due_undetermined;
};
struct Violation {
  std::string path, code, expected, message;
};
struct RuleSetInfo {
  std::string name, version, fingerprint, calendars;
};
struct LevelOfNeed {
  std::string id;
  std::vector<std::string> reasons;
  std::vector<std::vector<safeguard::ExplainStep>> explain;
};
struct Result {
  bool evaluated;
  std::vector<Diagnostic> errors;
  std::string as_of;
  RuleSetInfo ruleset;
  safeguard::LevelOfNeed level;
  std::vector<safeguard::Flag> flags;
  std::vector<safeguard::Action> actions;
  std::vector<safeguard::Undetermined> undetermined;
  std::vector<safeguard::Violation> violations;
};
}  // namespace shape

// Elements taken out of results, kept with their storage (and their elements: a flag keeps
// its facts) for the next result that needs one: a case with fewer flags (or facts,
// actions...) than the one before must not free what the next case will allocate again.
// Never read: whoever takes one clears it. One per thread (thread_spares()).
struct Spares {
  std::vector<std::string> strings;
  std::vector<Fact> facts;
  std::vector<Flag> flags;
  std::vector<Action> actions;
  std::vector<Undetermined> undetermined;
  std::vector<Violation> violations;

  std::vector<std::string>& of(const std::string*) { return strings; }
  std::vector<Fact>& of(const Fact*) { return facts; }
  std::vector<Flag>& of(const Flag*) { return flags; }
  std::vector<Action>& of(const Action*) { return actions; }
  std::vector<Undetermined>& of(const Undetermined*) { return undetermined; }
  std::vector<Violation>& of(const Violation*) { return violations; }
};

Spares& thread_spares();

// More is freed: a case with hundreds of violations must not leave a thread holding them.
constexpr std::size_t kMaxSpares = 256;

// Sets every field as in a value-initialised one; the elements of its vectors go to
// `spares`.
inline void clear(std::string& s, Spares&) {
  s.clear();
}
void clear(Fact& fact, Spares& spares);
void clear(Undetermined& undetermined, Spares& spares);
void clear(Violation& violation, Spares& spares);
void clear(Flag& flag, Spares& spares);
void clear(Action& action, Spares& spares);
void clear(Result& result, Spares& spares);

// What an element keeps while it is a spare: its storage, but not an explanation, which
// can be large and is built anew anyway.
inline void stash(std::string&) {}
inline void stash(Fact&) {}
inline void stash(Violation&) {}
inline void stash(Action&) {}
inline void stash(Flag& flag) {
  flag.explain.clear();
}
inline void stash(Undetermined& undetermined) {
  undetermined.explain.clear();
}

// Makes `v` hold `n` elements: those past `n` go to `spares` as they are, new ones come
// from `spares` (holding an earlier result's values) or are value-initialised. The caller
// resets all `n` (a spare is not cleared when it is put aside, where most would be cleared
// only to be cleared again when taken: a flag's facts would go to the spares one by one).
// Gives how many of the first elements may hold values (the others are value-initialised).
template <typename T>
std::size_t resize(std::vector<T>& v, std::size_t n, Spares& spares) {
  std::vector<T>& spare = spares.of(static_cast<const T*>(nullptr));
  while (v.size() > n) {
    if (spare.size() < kMaxSpares) {
      stash(v.back());
      spare.push_back(std::move(v.back()));
    }
    v.pop_back();
  }
  if (v.size() < n) {
    if (n > v.capacity()) v.reserve(n > 2 * v.capacity() ? n : 2 * v.capacity());
    while (v.size() < n && !spare.empty()) {
      v.push_back(std::move(spare.back()));
      spare.pop_back();
    }
    const std::size_t used = v.size();
    v.resize(n);
    return used;
  }
  return n;
}

// Makes `v` hold `n` cleared elements, keeping the storage of those it has.
template <typename T>
void refill(std::vector<T>& v, std::size_t n, Spares& spares) {
  const std::size_t used = resize(v, n, spares);
  for (std::size_t i = 0; i < used; ++i) clear(v[i], spares);
}

// A cleared element added at the end of `v`.
template <typename T>
T& append(std::vector<T>& v, Spares& spares) {
  const std::size_t n = v.size() + 1;
  if (resize(v, n, spares) == n) clear(v.back(), spares);
  return v.back();
}

// For a caller that sets every other field itself right after (fill(), which sets each
// one from the rule set or the evaluation): `flag` with `facts` facts and `actions` action
// ids whose fields hold anything, and no explanation. Clearing the texts first would only
// be undone (a field added to Flag, Fact or Action must be set there too).
void prepare(Flag& flag, std::size_t facts, std::size_t actions, Spares& spares);
// The same for an action with `flags` flag ids (its due_undetermined is assigned whole).
void prepare(Action& action, std::size_t flags, Spares& spares);
// Every field as in a value-initialised one, with `facts` cleared facts and `actions`
// empty action ids.
void reset(Flag& flag, std::size_t facts, std::size_t actions, Spares& spares);
// The same with `flags` empty flag ids.
void reset(Action& action, std::size_t flags, Spares& spares);
// The same with `reasons` empty threshold ids.
void reset(LevelOfNeed& level, std::size_t reasons, Spares& spares);

}  // namespace safeguard::engine
