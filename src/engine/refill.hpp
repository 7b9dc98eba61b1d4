// Filling a Result again in place (RuleSet::evaluate_into): the elements of its vectors are
// reused where they are, so their strings and vectors keep their storage, but each is
// cleared before it is filled, so no field keeps a value of the case before. A cleared
// element reads as a value-initialised one; elements a result no longer needs are cleared
// and kept aside (Spares) for the next result that needs more.
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

// Elements taken out of results, emptied, kept with their storage for the next result that
// needs one: a case with fewer flags (or facts, actions...) than the one before must not
// free what the next case will allocate again. One per thread (thread_spares()).
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

// Makes `v` hold `n` elements: those past `n` are cleared and go to `spares`, new ones
// come from `spares` (cleared) or are value-initialised; the first min(size, n) are left
// as they are, for the caller to reset.
template <typename T>
void resize(std::vector<T>& v, std::size_t n, Spares& spares) {
  std::vector<T>& spare = spares.of(static_cast<const T*>(nullptr));
  while (v.size() > n) {
    if (spare.size() < kMaxSpares) {
      clear(v.back(), spares);
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
    v.resize(n);
  }
}

// Makes `v` hold `n` cleared elements, keeping the storage of those it has.
template <typename T>
void refill(std::vector<T>& v, std::size_t n, Spares& spares) {
  const std::size_t kept = v.size() < n ? v.size() : n;
  resize(v, n, spares);
  for (std::size_t i = 0; i < kept; ++i) clear(v[i], spares);
}

// A cleared element added at the end of `v`.
template <typename T>
T& append(std::vector<T>& v, Spares& spares) {
  resize(v, v.size() + 1, spares);
  return v.back();
}

// Every field as in a value-initialised one, with `facts` cleared facts and `actions`
// empty action ids.
void reset(Flag& flag, std::size_t facts, std::size_t actions, Spares& spares);
// The same with `flags` empty flag ids.
void reset(Action& action, std::size_t flags, Spares& spares);
// The same with `reasons` empty threshold ids.
void reset(LevelOfNeed& level, std::size_t reasons, Spares& spares);

}  // namespace safeguard::engine
