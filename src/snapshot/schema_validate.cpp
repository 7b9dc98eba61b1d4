// Validating a snapshot against the compiled schema.
//
// This runs on every snapshot of a batch, so the valid case does no allocation: the path
// to the current value is a chain of links on the stack (tape indexes of keys, array
// indexes), turned into a JSON pointer only when a violation is reported; properties and
// string enums are found in small hash tables (schema_keys.hpp); a 4-byte summary per
// node says which checks apply; members whose subschema has no applicators are checked
// without recursing; and duplicate keys are found during the same walk.
//
// Each property and array item also has a ValueCheck, worked out at load time
// (summarise_nodes): the common shapes (a plain string, a date, a date-time, a string
// enum, a flag, null, an object or array behind refs) are checked in place in the member
// loops, charging the same budget and frames validate() would have; a value that fails
// in place goes the general way, which finds and reports the same violation as before.
//
// anyOf/oneOf try each alternative in "probing" mode, which stops at the first failure and
// records nothing; the alternative that matched is then run again for real (to normalise
// its numbers). When none matches and exactly one alternative accepts the value's JSON
// type (the usual {"type": "null"} or {"$ref": ...} pair), its own violations are
// reported, so a bad date deep inside a nullable object is named as such rather than
// hiding the whole object behind "matches no alternative".
//
// A hostile schema cannot make this exponential or deep: the loader bounds chains and
// fan-out at one value (schema_graph.cpp), and here a step budget proportional to the
// snapshot's size and a frame limit end validation with "schema.too-complex" or
// "schema.too-deep", marking what could not be checked so rules reading it are
// undetermined rather than trusting it.
#include <cmath>
#include <cstring>

#include "base/utf8.hpp"
#include "cel/lib/regex.hpp"
#include "snapshot/schema_duplicates.hpp"
#include "snapshot/schema_json.hpp"
#include "snapshot/schema_validator.hpp"
#include "time/civil.hpp"
#include "time/date.hpp"

namespace safeguard::snapshot::schema {

namespace {

constexpr std::uint64_t kBudgetPerTapeWord = 64;
constexpr std::uint64_t kBudgetBase = 10000;

bool type_matches(std::uint8_t types, const cel::JsonDoc* d, char t, std::uint32_t v) {
  switch (t) {
    case 'n':
      return (types & kTypeNull) != 0;
    case 't':
    case 'f':
      return (types & kTypeBoolean) != 0;
    case '{':
      return (types & kTypeObject) != 0;
    case '[':
      return (types & kTypeArray) != 0;
    case '"':
      return (types & kTypeString) != 0;
    case 'l':
    case 'u':
      return (types & (kTypeNumber | kTypeInteger)) != 0;
    case 'd': {
      if ((types & kTypeNumber) != 0) return true;
      if ((types & kTypeInteger) == 0) return false;
      double x;
      std::memcpy(&x, &d->tape[v + 1], sizeof x);
      return std::floor(x) == x;
    }
    default:
      return false;
  }
}

// An integer the schema declares "integer" becomes a CEL int, so it must fit 64 bits.
bool fits_cel_int(const cel::JsonDoc* d, char t, std::uint32_t v) {
  if (t == 'u') return false;
  if (t != 'd') return true;
  double x;
  std::memcpy(&x, &d->tape[v + 1], sizeof x);
  return fits_int64(x);
}

// Whether the snapshot key `text` of `size` bytes is the property `m` (at `position` of
// `keys`): by length, then the first sixteen bytes as two words loaded whole (the string
// buffer is padded) and masked to the name's length, then the rest of a longer name.
inline bool is_member(const MemberCheck& m, const char* text, std::uint32_t size,
                      const KeySet& keys, std::uint32_t position) {
  if (m.size != size) return false;
  std::uint64_t word;
  std::memcpy(&word, text, 8);
  if ((word & m.mask) != m.prefix) return false;
  if (size <= 8) return true;
  std::memcpy(&word, text + 8, 8);
  if ((word & m.mask2) != m.prefix2) return false;
  return size <= 16 || keys.same_tail_at(position, text, size);
}

}  // namespace

Validator::Validator(const Tree& tree, ParsedJson& json, std::size_t max_violations)
    : t_(tree),
      json_(json),
      d_(json.doc()),
      tape_(json.mutable_tape()),
      string_base_(std::uint64_t{reinterpret_cast<std::uintptr_t>(d_->strings)} + 4 -
                   (std::uint64_t{'"'} << 56)),
      max_(max_violations) {
  budget_ = kBudgetBase + kBudgetPerTapeWord * cel::json_after(d_, d_->root);
}

bool Validator::validate(std::uint32_t index, std::uint32_t v, const PathLink* path) {
  if (aborted_) return false;
  // A node that is only a $ref (array items, mostly) hands over to its target within this
  // call, paying the step and the frame that a call of its own would have cost.
  std::uint32_t hops = 0;
  NodeSummary summary;
  for (;;) {
    if (budget_ == 0) {  // stays 0, so no check in place (can_step) gets past it either
      frames_ -= hops;
      return abort();
    }
    --budget_;
    if (frames_ >= kMaxFrames) {
      frames_ -= hops;
      return fail(Kind::kTooDeep, t_.nodes[index], v, path);
    }
    summary = t_.summaries[index];
    if ((summary.checks & kCheckOnlyRef) == 0) break;
    ++frames_;
    ++hops;
    index = t_.nodes[index].ref;
  }
  const Node& n = t_.nodes[index];  // read only for the checks the summary says it has
  struct FrameGuard {
    std::uint32_t& frames;
    std::uint32_t count;
    FrameGuard(std::uint32_t& f, std::uint32_t hops) : frames(f), count(hops + 1) { ++frames; }
    ~FrameGuard() { frames -= count; }
  } guard(frames_, hops);

  const std::uint8_t checks = summary.checks;
  if ((checks & kCheckNever) != 0) return fail(Kind::kFalse, n, v, path);
  const char t = cel::json_type(d_, v);
  bool ok = true;
  if (t == '{') {
    if (summary.types != 0 && (summary.types & kTypeObject) == 0) {
      return fail(Kind::kType, n, v, path);
    }
    if ((checks & kCheckObject) != 0) ok = check_object(n, v, path);
  } else if (t == '[') {
    if (summary.types != 0 && (summary.types & kTypeArray) == 0) {
      return fail(Kind::kType, n, v, path);
    }
    if ((checks & kCheckItems) != 0) ok = check_array(n, v, path);
  } else {
    // A value of the wrong type gets that one violation, not one per keyword.
    if (summary.types != 0 && !type_matches(summary.types, d_, t, v)) {
      return fail(Kind::kType, n, v, path);
    }
    ok = check_scalar(summary, index, t, v, path);
  }
  if (!ok && probing_) return false;
  if ((checks & kCheckEnum) != 0 && (t == '{' || t == '[') && !check_enum(n, t, v, path)) {
    ok = false;
    if (probing_) return false;
  }
  if ((checks & kCheckApplicators) == 0) return ok && !aborted_;
  if (n.ref != kNoNode && !validate(n.ref, v, path)) {
    ok = false;
    if (probing_) return false;
  }
  for (std::uint32_t s : n.all_of) {
    if (!validate(s, v, path)) {
      ok = false;
      if (probing_) return false;
    }
  }
  if (!n.any_of.empty() && !check_alternatives(n, false, t, v, path)) ok = false;
  if (!n.one_of.empty() && !check_alternatives(n, true, t, v, path)) ok = false;
  return ok && !aborted_;
}

// The node's own checks on a scalar (type, format, bounds, enum): no applicators. Called
// directly for the members and items of a walked container when their subschema has no
// applicators, which spares most values the recursion.
bool Validator::check_scalar(NodeSummary summary, std::uint32_t index, char t, std::uint32_t v,
                             const PathLink* path) {
  const Node& n = t_.nodes[index];
  const std::uint8_t checks = summary.checks;
  bool ok = true;
  switch (t) {
    case '"':
      if (summary.types != 0 && (summary.types & kTypeString) == 0) {
        return fail(Kind::kType, n, v, path);
      }
      if ((checks & kCheckString) != 0) ok = check_string(n, v, path);
      break;
    case 'l':
    case 'u':
    case 'd':
      if (summary.types != 0) {
        if (!type_matches(summary.types, d_, t, v)) return fail(Kind::kType, n, v, path);
        if ((summary.types & (kTypeInteger | kTypeNumber)) == kTypeInteger &&
            !fits_cel_int(d_, t, v)) {
          return fail(Kind::kInteger64, n, v, path);
        }
        if (!probing_) normalise(summary.types, t, v);
      }
      if ((checks & kCheckNumber) != 0) ok = check_number(n, v, path);
      break;
    default:
      if (summary.types != 0 && !type_matches(summary.types, d_, t, v)) {
        return fail(Kind::kType, n, v, path);
      }
      break;
  }
  if (!ok && probing_) return false;
  if ((checks & kCheckEnum) != 0 && !check_enum(n, t, v, path)) return false;
  return ok;
}

bool Validator::check_string(const Node& n, std::uint32_t v, const PathLink* path) {
  const std::string_view s = cel::json_string(d_, v);
  bool ok = true;
  if (n.format == Format::kDate || n.format == Format::kDateTime) {
    if (n.format == Format::kDate ? is_tape_date(s.data(), static_cast<std::uint32_t>(s.size()))
                                  : time::date_of_datetime(s).has_value()) {
      notes_[v] = cel::kCheckedDate;
    } else {
      ok = fail(Kind::kFormat, n, v, path);
    }
  }
  if (n.min_length > 0 || n.max_length != kNoNode) {
    const std::size_t length = base::count_code_points(s);
    if (length < n.min_length || (n.max_length != kNoNode && length > n.max_length)) {
      ok = fail(Kind::kLength, n, v, path);
    }
  }
  if (n.pattern && !cel::regex_search(*n.pattern, s)) ok = fail(Kind::kPattern, n, v, path);
  return ok;
}

bool Validator::check_number(const Node& n, std::uint32_t v, const PathLink* path) {
  if ((n.minimum.set && compare_number(d_, v, n.minimum.value) < 0) ||
      (n.maximum.set && compare_number(d_, v, n.maximum.value) > 0) ||
      (n.exclusive_minimum.set && compare_number(d_, v, n.exclusive_minimum.value) <= 0) ||
      (n.exclusive_maximum.set && compare_number(d_, v, n.exclusive_maximum.value) >= 0)) {
    return fail(Kind::kRange, n, v, path);
  }
  return true;
}

// date_time_passes() for a date-time is_plain_date_time does not take: the RFC 3339 parser
// decides.
bool Validator::date_time_parses(const ValueCheck& c, const char* s, std::uint32_t size,
                                 std::uint32_t v) {
  if (!time::date_of_datetime(std::string_view(s, size)) || (c.steps != 0 && !charge(c.steps))) {
    return false;
  }
  notes_[v] = cel::kCheckedDate;
  return true;
}

bool Validator::check_array(const Node& n, std::uint32_t v, const PathLink* path) {
  bool ok = true;
  if (n.min_items > 0 || n.max_items != kNoNode) {
    const std::uint32_t size = cel::json_container_size(d_, v);
    if (size < n.min_items || (n.max_items != kNoNode && size > n.max_items)) {
      ok = fail(Kind::kItemCount, n, v, path);
      if (probing_) return false;
    }
  }
  if (n.items == kNoNode) return ok;
  if (!probing_) covered_ = true;
  if (n.items_check.container == '{' && !probing_ && n.items_check.target->has_properties) {
    return check_object_items(n, v, path) && ok;
  }
  return walk_items<false>(n, v, path) && ok;
}

bool Validator::check_object(const Node& n, std::uint32_t v, const PathLink* path) {
  return walk_object<false>(n, v, path, 0, n.members.data(), tape_, string_base_);
}

// check_array() for items whose check walks objects (ValueCheck::container '{') of a node
// with properties, not probing: each such item of at most kFilterMembers members is
// walked by walk_object<true>, inlined here, instead of a call of check_object each.
bool Validator::check_object_items(const Node& n, std::uint32_t v, const PathLink* path) {
  return walk_items<true>(n, v, path);
}

// check_array's loop over the items of the array at `v`; kObjects: check_object_items'.
template <bool kObjects>
inline bool Validator::walk_items(const Node& n, std::uint32_t v, const PathLink* path) {
  bool ok = true;
  const std::uint64_t* const tape = tape_;
  const auto end = static_cast<std::uint32_t>(tape[v]) - 1;  // the container's word: its end
  const ValueCheck& check = n.items_check;
  // What walk_object reads for every item, read once.
  const Node* const item = kObjects ? check.target : nullptr;
  const MemberCheck* const members = kObjects ? item->members.data() : nullptr;
  const std::uint64_t string_base = string_base_;
  // One link for every item, its index set as the walk gets there (a path is built from
  // the links only while an item is checked).
  PathLink link{path, kNoNode, 0, true};
  for (std::uint32_t k = v + 1, next; k < end; k = next, ++link.index) {
    // The item's type and where the next one starts, read once from the tape.
    const std::uint64_t word = tape[k];
    const char t = static_cast<char>(word >> 56);
    const std::uint32_t scalar_words = kValueClasses.words[static_cast<unsigned char>(t)];
    next = scalar_words != 0 ? k + scalar_words : static_cast<std::uint32_t>(word);
    bool item_ok;
    if (t == check.container && can_step(check.container_steps)) {
      if (kObjects && (word >> 32 & 0xFFFFFF) <= kFilterMembers) {
        // What walk_container() does, with check_object's body inlined (the tape's member
        // count is saturated for a huge object, which goes through the call).
        item_ok = framed(
            check, [&]() __attribute__((always_inline)) {
              return walk_object<true>(*item, k, &link, next - 1, members, tape, string_base);
            });
      } else {
        item_ok = walk_container(check, k, &link);
      }
    } else if (passes_in_place(check, word, k)) {
      continue;
    } else {
      item_ok = check_member(n.items, k, &link);
    }
    if (!item_ok) {
      ok = false;
      if (probing_ || aborted_) return false;
    }
  }
  return ok;
}

// check_object's body; kItem: called by check_object_items, which guarantees that the
// node has properties, that validation is not probing and that the object is not large.
template <bool kItem>
inline bool Validator::walk_object(const Node& n, std::uint32_t v, const PathLink* path,
                                   std::uint32_t item_end, const MemberCheck* const members,
                                   const std::uint64_t* const tape,
                                   const std::uint64_t string_base) {
  bool ok = true;
  bool extra = false;
  std::uint64_t seen = 0;
  // Duplicate keys: found with a filter during this loop (see schema_duplicates.hpp),
  // or, for a large object, by sorting its keys first.
  // A schema without properties or additionalProperties leaves the members to rules (the
  // object is a map to them); descend() then checks the whole subtree for duplicates.
  const bool walks = kItem || n.has_properties || n.additional != Additional::kAllow;
  const bool commit = kItem || (walks && !probing_);
  // The tape's member count (saturated for a huge object, which is large too).
  const bool large = !kItem && commit && (tape_[v] >> 32 & 0xFFFFFF) > kFilterMembers;
  if (commit) covered_ = true;
  if (large) report_duplicates(n, v, path);
  // Where each property is, for rules to read by position (cel::JsonDoc::layout_at). Also
  // recorded when probing, and then not published, so that a matched member's word can be
  // written without a test.
  const bool record = kItem || n.has_properties;
  const std::uint32_t layout = record ? json_.add_layout(n.self, n.property_count) : cel::kNoTape;
  // Refreshed after anything that may add layouts (and so move the words).
  std::uint32_t* words = record ? json_.layout_properties(layout) : nullptr;
  std::uint64_t filter = 0;  // of keys not counted in `seen`
  // The property expected next (snapshots mostly follow the schema), whose position and
  // `seen` bit it carries.
  const MemberCheck* guess = members;
  const std::uint32_t end = kItem   ? item_end
                            : walks ? static_cast<std::uint32_t>(tape[v]) - 1
                                    : v + 1;
  for (std::uint32_t k = v + 1; k < end;) {
    // The key (a string's tape word: see tape_string), from the tape and string buffer this
    // loop keeps at hand (match_key, which needs its probe_key(), works it out again).
    const char* const key =
        reinterpret_cast<const char*>(static_cast<std::uintptr_t>(string_base + tape[k]));
    std::uint32_t key_size;
    std::memcpy(&key_size, key - 4, 4);
    // The member's value and where the next member starts, read once from the tape.
    const std::uint64_t word = tape[k + 1];
    const char t = static_cast<char>(word >> 56);
    const std::uint32_t scalar_words = kValueClasses.words[static_cast<unsigned char>(t)];
    const std::uint32_t next =
        scalar_words != 0 ? k + 1 + scalar_words : static_cast<std::uint32_t>(word);
    const MemberCheck* member = nullptr;  // the member's property, if it is declared
    if (is_member(*guess, key, key_size, n.property_keys, guess->position) &&
        (seen & guess->bit) == 0) {
      // The property the schema lists next (one of the first 64: no other is a member's
      // guess, see summarise_nodes), for the first time: it cannot repeat a key, and its
      // layout word is still unset.
      member = guess;
      seen |= guess->bit;
      words[guess->position] = k + 1;
      ++guess;
    } else if (const int p = match_key(n, v, k, commit && !large, seen, filter, path); p >= 0) {
      if (p < 64) seen |= std::uint64_t{1} << p;
      // The first of duplicate keys is the one a key search finds.
      if (words[p] == cel::kNoTape) words[p] = k + 1;
      member = &members[p];
      guess = member + 1;
    }
    std::uint32_t child = kNoNode;
    bool declared = true;
    if (member != nullptr) {
      // Most members are scalars of a plain shape (ids, dates, codes, flags).
      if (passes_in_place(member->check, word, k + 1)) {
        k = next;
        continue;
      }
      if (t == member->check.container && can_step(member->check.container_steps)) {
        const PathLink link{path, k, 0, true};
        if (!walk_container(member->check, k + 1, &link)) {
          ok = false;
          if (probing_ || aborted_) return false;
        }
        if (record) words = json_.layout_properties(layout);
        k = next;
        continue;
      }
      child = member->node;
    } else if (n.additional == Additional::kDeny) {
      extra = true;
      if (probing_) return false;
    } else if (n.additional == Additional::kSchema) {
      child = n.additional_node;
      declared = false;
    }
    // A member the schema does not describe is not validated: rules cannot read it.
    if (child != kNoNode) {
      const PathLink link{path, k, 0, declared};
      if (!check_member(child, k + 1, &link)) {
        ok = false;
        if (probing_ || aborted_) return false;
      }
      if (record) words = json_.layout_properties(layout);
    }
    k = next;
  }
  // Published through the layout index kept at hand (notes_, ParsedJson::layout_index).
  if (record && commit) notes_[v] = layout;
  if (extra) ok = fail(Kind::kAdditional, n, v, path);
  if (((n.required_mask & ~seen) != 0 || !n.required_other.empty()) &&
      !check_required(n, v, seen, path)) {
    return false;
  }
  return ok;
}

// A large object's duplicate keys, found by sorting its keys.
void Validator::report_duplicates(const Node& n, std::uint32_t v, const PathLink* path) {
  std::vector<DuplicateKey> duplicates;
  find_duplicates_in_object(d_, v, duplicates, static_cast<std::size_t>(-1));
  for (const DuplicateKey& dup : duplicates) duplicate(n, v, dup.first_key, dup.key, path);
}

// Whether the object at `v` has n's required properties (the first 64 by their `seen`
// bits), reporting each one missing; when probing, false at the first.
bool Validator::check_required(const Node& n, std::uint32_t v, std::uint64_t seen,
                               const PathLink* path) {
  bool ok = true;
  if (const std::uint64_t missing = n.required_mask & ~seen; missing != 0) {
    for (std::size_t p = 0; p < n.properties.size() && p < 64; ++p) {
      if ((missing >> p & 1) == 0) continue;
      ok = fail(Kind::kRequired, n, v, path, n.properties[p].name, n.properties[p].node);
      if (probing_) return false;
    }
  }
  for (const std::string& name : n.required_other) {
    std::uint32_t ignored = 0;
    if (cel::json_find(d_, v, name, &ignored)) continue;
    const int p = find_property(n, name);
    ok = fail(Kind::kRequired, n, v, path, name,
              p >= 0 ? n.properties[static_cast<std::size_t>(p)].node : kNoNode);
    if (probing_) return false;
  }
  return ok;
}

namespace {

// Whether a key of an object may repeat an earlier one (then compared with them): a
// declared one (`p` among the first 64 properties) by its `seen` bit, others through
// `filter` (see schema_duplicates.hpp), which it joins.
bool may_repeat(int p, std::uint64_t hash, std::uint64_t seen, std::uint64_t& filter) {
  if (p >= 0 && p < 64) return (seen >> p & 1) != 0;
  const std::uint64_t bit = filter_bit(hash);
  const bool suspect = (filter & bit) != 0;
  filter |= bit;
  return suspect;
}

}  // namespace

// The key at tape index `k` among n's properties (or -1) when it is not simply the one
// expected next, and, when `duplicates`, whether an earlier key of the object is the same
// (then reported): only a suspect (may_repeat) is compared with the earlier keys. Out of
// the member loop, which it would otherwise crowd; its own rarer paths (a key longer than
// sixteen bytes, whose tail is compared in a loop, and the report) are tail calls, so that
// it keeps few values across calls.
int Validator::match_key(const Node& n, std::uint32_t v, std::uint32_t k, bool duplicates,
                         std::uint64_t seen, std::uint64_t& filter, const PathLink* path) {
  const KeyProbe key = probe_key(d_, k);
  if (key.size > 16) return match_key_general(n, v, k, duplicates, seen, filter, path);
  const std::uint64_t hash = key_hash(key.prefix, key.size);
  const int p = n.property_keys.find_padded<true>(key.text, key.size, key.prefix, hash);
  if (duplicates && may_repeat(p, hash, seen, filter)) {
    return report_repeated_key(n, v, k, path, p);
  }
  return p;
}

// match_key() for a key of any length.
int Validator::match_key_general(const Node& n, std::uint32_t v, std::uint32_t k, bool duplicates,
                                 std::uint64_t seen, std::uint64_t& filter, const PathLink* path) {
  const KeyProbe key = probe_key(d_, k);
  const std::uint64_t hash = key_hash(key.prefix, key.size);
  const int p = n.property_keys.find_padded(key.text, key.size, key.prefix, hash);
  if (duplicates && may_repeat(p, hash, seen, filter)) {
    return report_repeated_key(n, v, k, path, p);
  }
  return p;
}

// match_key's report of the key at `k` if an earlier key of the object is the same;
// gives back `p`.
int Validator::report_repeated_key(const Node& n, std::uint32_t v, std::uint32_t k,
                                   const PathLink* path, int p) {
  const KeyProbe key = probe_key(d_, k);
  const std::uint32_t first = earlier_key(d_, v, key);
  if (first != cel::kNoTape) duplicate(n, v, first, key.tape, path);
  return p;
}

bool Validator::check_enum(const Node& n, char t, std::uint32_t v, const PathLink* path) {
  if (t == '"') {
    const char* s = cel::json_string_ptr(d_, v);
    std::uint32_t size;
    std::memcpy(&size, s - 4, 4);
    if (n.enum_keys.find_tape_string(s, size) >= 0) return true;
  } else {
    const cel::JsonDoc* schema_doc = t_.document->doc();
    for (std::uint32_t e : n.enum_values) {
      if (json_equal(d_, v, schema_doc, e)) return true;
    }
  }
  return fail(n.is_const ? Kind::kConst : Kind::kEnum, n, v, path);
}

bool Validator::check_alternatives(const Node& n, bool one_of, char t, std::uint32_t v,
                                   const PathLink* path) {
  const std::vector<std::uint32_t>& branches = one_of ? n.one_of : n.any_of;
  const bool outer = probing_;
  probing_ = true;
  std::uint32_t chosen = kNoNode;
  int matches = 0;
  for (std::uint32_t b : branches) {
    if (!validate(b, v, path)) continue;
    if (matches++ == 0) chosen = b;
    if (!one_of || matches > 1) break;
  }
  probing_ = outer;
  if (aborted_) return false;
  if (matches == 1 || (!one_of && matches > 0)) {
    return outer || validate(chosen, v, path);
  }
  if (outer) return false;
  if (matches > 1) return fail(Kind::kSeveralAlternatives, n, v, path);
  std::uint32_t best = kNoNode;
  for (std::uint32_t b : branches) {
    if (!accepts_type(b, t, v, 0)) continue;
    if (best != kNoNode) return fail(Kind::kNoAlternative, n, v, path);
    best = b;
  }
  if (best == kNoNode) return fail(Kind::kNoAlternative, n, v, path);
  validate(best, v, path);
  return false;
}

// Whether the subschema could take a value of this JSON type at all, looking through
// $ref chains (which the loader keeps shorter than kMaxDepth).
bool Validator::accepts_type(std::uint32_t index, char t, std::uint32_t v,
                             std::uint32_t depth) const {
  const Node& n = t_.nodes[index];
  if (n.never) return false;
  if (n.types != 0) return type_matches(n.types, d_, t, v);
  if (n.ref != kNoNode && depth < kMaxDepth) return accepts_type(n.ref, t, v, depth + 1);
  return true;
}

// A snapshot field declared "number" is always a double in CEL, and one declared
// "integer" always an int: JSON does not distinguish 3 from 3.0, so neither may rules.
void Validator::normalise(std::uint8_t types, char t, std::uint32_t v) {
  const std::uint64_t payload = tape_[v] & kPayloadMask;
  if ((types & kTypeNumber) != 0) {
    if (t != 'l' && t != 'u') return;
    const double x = t == 'l' ? static_cast<double>(static_cast<std::int64_t>(tape_[v + 1]))
                              : static_cast<double>(tape_[v + 1]);
    tape_[v] = (std::uint64_t{'d'} << 56) | payload;
    std::memcpy(&tape_[v + 1], &x, sizeof x);
  } else if ((types & kTypeInteger) != 0 && t == 'd') {
    double x;
    std::memcpy(&x, &tape_[v + 1], sizeof x);
    tape_[v] = (std::uint64_t{'l'} << 56) | payload;
    tape_[v + 1] = static_cast<std::uint64_t>(static_cast<std::int64_t>(x));
  }
}

}  // namespace safeguard::snapshot::schema

namespace safeguard::snapshot {

std::vector<Violation> Schema::validate(ParsedJson& json, std::size_t max_violations) const {
  return schema::Validator(*tree_, json, max_violations).run();
}

}  // namespace safeguard::snapshot
