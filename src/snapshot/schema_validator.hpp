// The state of one validation (internal to Schema::validate): the walk over the snapshot
// (schema_validate.cpp) and the reporting of what it finds (schema_violations.cpp).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cel/value/json.hpp"
#include "snapshot/schema.hpp"
#include "snapshot/schema_duplicates.hpp"
#include "snapshot/schema_report.hpp"
#include "snapshot/schema_tree.hpp"
#include "time/civil.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace safeguard::snapshot::schema {

// The payload of a tape word (below its type byte): a string's offset in the string buffer.
inline constexpr std::uint64_t kPayloadMask = 0x00FFFFFFFFFFFFFFULL;

// Nesting of validate() calls (values and the subschemas applied to them) before a value
// is "schema.too-deep".
inline constexpr std::uint32_t kMaxFrames = 600;

// time::parse_date's verdict without computing the day number: every date of every
// snapshot comes through here, and only whether it is a real YYYY-MM-DD date matters. With
// SSE2, the ten bytes' digits and dashes are tested at once in a 16-byte load, so sixteen
// bytes from `p` must be readable (a snapshot string: the string buffer is padded); without
// it, eight at a time: "YYYY-MM-" as one word, "DD" as another.
inline bool is_tape_date(const char* p, std::uint32_t size) {
  if (size != 10) return false;
  std::uint64_t head;
  std::memcpy(&head, p, 8);
  std::uint16_t tail;
  std::memcpy(&tail, p + 8, 2);
  std::uint64_t word = head;
#if defined(__SSE2__) && !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
  {
    // All ten bytes in one test: byte - '0' (or - '-') at most 9 (or 0); the six bytes
    // after the date (the string buffer is padded) pass whatever they hold.
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i offsets =
        _mm_setr_epi8('0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 0, 0, 0, 0, 0, 0);
    const __m128i limits = _mm_setr_epi8(9, 9, 9, 9, 0, 9, 9, 0, 9, 9, -1, -1, -1, -1, -1, -1);
    const __m128i d = _mm_sub_epi8(bytes, offsets);
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, limits), d)) != 0xFFFF) return false;
    // The digits known, "MM" and "DD" compare as big-endian numbers: a year other than
    // 0000, months "01" to "12" and days "01" to "28" pass without their values.
    std::uint16_t mm;
    std::memcpy(&mm, p + 5, 2);
    if ((head & 0x0F0F0F0FULL) != 0 && __builtin_bswap16(mm) - 0x3031u <= 0x0101u &&
        __builtin_bswap16(tail) - 0x3031u <= 0x0207u) {
      return true;
    }
  }
  const unsigned d8 = static_cast<unsigned>(tail & 0xF);
  const unsigned d9 = static_cast<unsigned>(tail >> 8 & 0xF);
#else
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  word = __builtin_bswap64(word);
  tail = static_cast<std::uint16_t>(tail >> 8 | tail << 8);
#endif
  // Bytes 0-3 and 5-6 digits, 4 and 7 '-' (byte i is bits 8i..8i+7).
  constexpr std::uint64_t kDigits = 0x00FFFF00FFFFFFFFULL;
  constexpr std::uint64_t kDashes = 0x2D00002D00000000ULL;
  constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ULL;
  constexpr std::uint64_t kZeros = 0x3030303030303030ULL;
  constexpr std::uint64_t kSixes = 0x0606060606060606ULL;
  if ((word & ~kDigits) != kDashes || (word & kHigh & kDigits) != (kZeros & kDigits) ||
      ((word + kSixes) & kHigh & kDigits) != (kZeros & kDigits)) {
    return false;
  }
  const unsigned d8 = static_cast<unsigned>(tail & 0xFF) - '0';
  const unsigned d9 = static_cast<unsigned>(tail >> 8) - '0';
  if (d8 > 9 || d9 > 9) return false;
#endif
  const auto digit = [word](unsigned i) { return static_cast<unsigned>(word >> (8 * i) & 0xF); };
  const unsigned month = digit(5) * 10 + digit(6);
  const unsigned day = d8 * 10 + d9;
  // Year 0000 is not a date; the year matters otherwise only for 29 February.
  if ((word & 0x0F0F0F0FULL) == 0 || month - 1 > 11 || day - 1 > 27) {
    if ((word & 0x0F0F0F0FULL) == 0 || month - 1 > 11 || day == 0) return false;
    const unsigned year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
    return day <= time::days_in_month(year, month);
  }
  return true;
}

// Whether the eight bytes of `word` (in memory order) are ASCII digits where `digits` has
// 0xFF bytes and equal `literals` elsewhere.
inline bool digits_and_literals(std::uint64_t word, std::uint64_t digits,
                                std::uint64_t literals) noexcept {
  constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ULL;
  constexpr std::uint64_t kZeros = 0x3030303030303030ULL;
  constexpr std::uint64_t kSixes = 0x0606060606060606ULL;
  // Adding six carries out of no byte once the literals and the digits' high nibbles hold.
  return (word & ~digits) == literals && (word & kHigh & digits) == (kZeros & digits) &&
         ((word + kSixes) & kHigh & digits) == (kZeros & digits);
}

// The common shapes of a valid RFC 3339 date-time, YYYY-MM-DDThh:mm:ss with an optional
// fraction and Z or +hh:mm, tested in place; false for anything else, valid or not, which
// time::date_of_datetime then decides. Never true where it would say no.
inline bool is_plain_date_time(const char* p, std::uint32_t size) noexcept {
  if (size < 20) return false;
#if defined(__SSE2__) && !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
  {
    // "YYYY-MM-DDThh:mm" in one 16-byte test, as is_tape_date tests a date (the 'T' folded
    // to 't'; hours' tens at most 2, minutes' at most 5), then the date's fields and the
    // hour as big-endian pairs, and ":ss".
    const __m128i bytes =
        _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)),
                     _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0));
    const __m128i offsets = _mm_setr_epi8('0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 't',
                                          '0', '0', ':', '0', '0');
    const __m128i limits = _mm_setr_epi8(9, 9, 9, 9, 0, 9, 9, 0, 9, 9, 0, 2, 9, 0, 5, 9);
    const __m128i d = _mm_sub_epi8(bytes, offsets);
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, limits), d)) != 0xFFFF) return false;
    std::uint64_t head;
    std::memcpy(&head, p, 8);
    std::uint16_t mm, dd, hh;
    std::memcpy(&mm, p + 5, 2);
    std::memcpy(&dd, p + 8, 2);
    std::memcpy(&hh, p + 11, 2);
    if (!((head & 0x0F0F0F0FULL) != 0 && __builtin_bswap16(mm) - 0x3031u <= 0x0101u &&
          __builtin_bswap16(dd) - 0x3031u <= 0x0207u) &&
        !is_tape_date(p, 10)) {
      return false;
    }
    if (__builtin_bswap16(hh) > 0x3233u || p[16] != ':' || static_cast<unsigned>(p[17]) - '0' > 5 ||
        static_cast<unsigned>(p[18]) - '0' > 9) {
      return false;
    }
  }
#else
  if (!is_tape_date(p, 10) || (p[10] | 0x20) != 't') return false;
  std::uint64_t word;
  std::memcpy(&word, p + 11, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  word = __builtin_bswap64(word);
#endif
  // "hh:mm:ss"
  if (!digits_and_literals(word, 0xFFFF00FFFF00FFFFULL, 0x00003A00003A0000ULL)) return false;
  const auto digit = [word](unsigned i) { return static_cast<unsigned>(word >> (8 * i) & 0xF); };
  if (digit(0) * 10 + digit(1) > 23 || digit(3) > 5 || digit(6) > 5) return false;
#endif
  std::uint32_t i = 19;
  if (p[i] == '.') {
    const std::uint32_t start = ++i;
    while (i < size && static_cast<unsigned>(p[i]) - '0' <= 9) ++i;
    if (i == start) return false;
  }
  if (i >= size) return false;
  if ((p[i] | 0x20) == 'z') return i + 1 == size;
  if ((p[i] != '+' && p[i] != '-') || i + 6 != size || p[i + 3] != ':') return false;
  const unsigned h1 = static_cast<unsigned>(p[i + 1]) - '0',
                 h2 = static_cast<unsigned>(p[i + 2]) - '0';
  const unsigned m1 = static_cast<unsigned>(p[i + 4]) - '0',
                 m2 = static_cast<unsigned>(p[i + 5]) - '0';
  return h1 <= 9 && h2 <= 9 && m1 <= 5 && m2 <= 9 && h1 * 10 + h2 <= 23;
}

// What a violation is about; kKinds in schema_violations.cpp gives each its code and text.
enum class Kind : std::uint8_t {
  kType,
  kInteger64,
  kFormat,
  kEnum,
  kConst,
  kRange,
  kLength,
  kPattern,
  kItemCount,
  kRequired,
  kAdditional,
  kNoAlternative,
  kSeveralAlternatives,
  kFalse,
  kTooDeep,
};

// Where the value being checked sits: a chain of links on the stack, one per level.
struct PathLink {
  const PathLink* up;
  std::uint32_t key;    // tape index of the member name; kNoNode for an array element
  std::uint32_t index;  // array index
  bool declared;        // the key is in "properties" (not data that may be personal)
};

class Validator {
 public:
  Validator(const Tree& tree, ParsedJson& json, std::size_t max_violations);

  std::vector<Violation> run() { return run_at(t_.root); }

  // The same against the subschema at node `index` (a property's default, at load).
  std::vector<Violation> run_at(std::uint32_t index) {
    json_.start_layouts();
    notes_ = json_.layout_index();
    descend(index, d_->root, nullptr);
    json_.finish_layouts();
    apply_marks(json_, marks_);
    return finish_violations(found_);
  }

 private:
  // Validates a value reached from its parent (or the root). Containers that no subschema
  // walked into (a free-form object, an array without "items") are rules' to read as maps
  // and lists, so their objects are still checked for duplicate keys here.
  bool descend(std::uint32_t index, std::uint32_t v, const PathLink* path) {
    const char t = cel::json_type(d_, v);
    if (t != '{' && t != '[') return validate(index, v, path);
    const bool outer = covered_;
    covered_ = false;
    const bool ok = validate(index, v, path);
    if (!covered_ && !probing_ && !aborted_) check_subtree(v, path);
    covered_ = outer;
    return ok;
  }
  bool validate(std::uint32_t index, std::uint32_t v, const PathLink* path);
  bool check_scalar(NodeSummary summary, std::uint32_t index, char t, std::uint32_t v,
                    const PathLink* path);
  bool check_member(std::uint32_t index, std::uint32_t v, const PathLink* path) {
    const char t = cel::json_type(d_, v);
    const NodeSummary summary = t_.summaries[index];
    if (t == '{' || t == '[' || (summary.checks & (kCheckApplicators | kCheckNever)) != 0) {
      return descend(index, v, path);
    }
    // Most members are strings the schema allows, checked for a format at most (ids,
    // dates), or booleans and nulls it allows: those skip check_scalar's dispatch.
    if (t == '"' && (summary.checks & ~kCheckString) == 0 &&
        (summary.types == 0 || (summary.types & kTypeString) != 0)) {
      return (summary.checks & kCheckString) == 0 || check_string(t_.nodes[index], v, path);
    }
    if (summary.checks == 0) {
      const std::uint8_t bit = t == 'n' ? kTypeNull : (t == 't' || t == 'f') ? kTypeBoolean : 0;
      if (bit != 0 && (summary.types == 0 || (summary.types & bit) != 0)) return true;
    }
    return check_scalar(summary, index, t, v, path);
  }
  // Whether the scalar at `v` (whose tape word, `word`, the caller has read) passes `c` in
  // place (see ValueCheck), charging the steps of its ref chain as validate() would. False
  // means "check it the general way", which reports what is wrong (or finds it right after
  // all); always for a container, whose type is never in `accept`.
  bool passes_in_place(const ValueCheck& c, std::uint64_t word, std::uint32_t v) {
    const auto type = static_cast<unsigned>(word >> 56);
    if ((c.accept >> (type & 63) & 1) != 0) return c.steps == 0 || charge(c.steps);
    if (type != '"' || c.string == StringCheck::kNone) return false;
    if (c.string != StringCheck::kDate) {
      return c.string == StringCheck::kEnum ? enum_passes(c, word) : date_time_passes(c, word, v);
    }
    const char* s = tape_string(word);
    std::uint32_t size;
    std::memcpy(&size, s - 4, 4);
    if (!is_tape_date(s, size) || (c.steps != 0 && !charge(c.steps))) return false;
    notes_[v] = cel::kCheckedDate;
    return true;
  }
  // passes_in_place() for a string enum and for a date-time, each a call of its own that
  // saves few registers or none (KeySet::contains_tape_string compares a long string's
  // tail out of line; a date-time of an uncommon shape goes to date_time_parses), where
  // one call for both saved six.
  [[gnu::noinline]] bool enum_passes(const ValueCheck& c, std::uint64_t word) {
    const char* s = tape_string(word);
    std::uint32_t size;
    std::memcpy(&size, s - 4, 4);
    return c.target->enum_keys.contains_tape_string(s, size) && (c.steps == 0 || charge(c.steps));
  }
  [[gnu::noinline]] bool date_time_passes(const ValueCheck& c, std::uint64_t word,
                                          std::uint32_t v) {
    const char* s = tape_string(word);
    std::uint32_t size;
    std::memcpy(&size, s - 4, 4);
    if (!is_plain_date_time(s, size)) return date_time_parses(c, s, size, v);
    if (c.steps != 0 && !charge(c.steps)) return false;
    notes_[v] = cel::kCheckedDate;  // the date written in it is what date() reads
    return true;
  }
  bool date_time_parses(const ValueCheck& c, const char* s, std::uint32_t size, std::uint32_t v);
  // What check_member does for a container `c` walks directly (c.container), without its
  // dispatch, descend() and validate(): the same steps, frames and result. Only once
  // can_step(c.container_steps) said validate() would get as far. covered_ needs no saving
  // here, unlike in descend(): the caller is a member or item loop, which runs only in a
  // walk that already set covered_ (or, probing, leaves it alone, as the walk below does).
  bool walk_container(const ValueCheck& c, std::uint32_t v, const PathLink* path) {
    return framed(
        c, [&]() __attribute__((always_inline)) {
          return c.container == '{' ? check_object(*c.target, v, path)
                                    : check_array(*c.target, v, path);
        });
  }
  // `walk()`, the walk into a container of check `c`, with the steps and frames it costs:
  // walk_container's, and walk_items' for an item object it walks inline.
  template <typename Walk>
  [[gnu::always_inline]] bool framed(const ValueCheck& c, Walk&& walk) {
    budget_ -= c.container_steps;
    frames_ += c.container_steps;
    const bool ok = walk();
    frames_ -= c.container_steps;
    return ok && !aborted_;
  }
  // The text of the string whose tape word (type '"') is `word`, after its length: the
  // word added to string_base_, which takes the type byte off.
  const char* tape_string(std::uint64_t word) const {
    return reinterpret_cast<const char*>(static_cast<std::uintptr_t>(string_base_ + word));
  }
  // Takes `steps` from the budget, unless validate() would stop at one of them (out of
  // budget, too deep): then it is left to validate().
  bool charge(std::uint32_t steps) {
    if (!can_step(steps)) return false;
    budget_ -= steps;
    return true;
  }
  bool can_step(std::uint32_t steps) const {
    // Once aborted, the budget is 0 (see validate()).
    return budget_ >= steps && frames_ + steps <= kMaxFrames;
  }
  bool check_string(const Node& n, std::uint32_t v, const PathLink* path);
  bool check_number(const Node& n, std::uint32_t v, const PathLink* path);
  bool check_array(const Node& n, std::uint32_t v, const PathLink* path);
  bool check_object(const Node& n, std::uint32_t v, const PathLink* path);
  [[gnu::noinline]] bool check_object_items(const Node& n, std::uint32_t v, const PathLink* path);
  template <bool kObjects>
  [[gnu::always_inline]] bool walk_items(const Node& n, std::uint32_t v, const PathLink* path);
  template <bool kItem>
  [[gnu::always_inline]] bool walk_object(const Node& n, std::uint32_t v, const PathLink* path,
                                          std::uint32_t item_end, const MemberCheck* members,
                                          const std::uint64_t* tape, std::uint64_t string_base);
  [[gnu::noinline]] int match_key(const Node& n, std::uint32_t v, std::uint32_t key,
                                  bool duplicates, std::uint64_t seen, std::uint64_t& filter,
                                  const PathLink* path);
  [[gnu::noinline, gnu::cold]] int match_key_general(const Node& n, std::uint32_t v,
                                                     std::uint32_t key, bool duplicates,
                                                     std::uint64_t seen, std::uint64_t& filter,
                                                     const PathLink* path);
  [[gnu::noinline, gnu::cold]] int report_repeated_key(const Node& n, std::uint32_t v,
                                                       std::uint32_t k, const PathLink* path,
                                                       int p);
  [[gnu::noinline, gnu::cold]] void report_duplicates(const Node& n, std::uint32_t v,
                                                      const PathLink* path);
  [[gnu::noinline, gnu::cold]] bool check_required(const Node& n, std::uint32_t v,
                                                   std::uint64_t seen, const PathLink* path);
  bool check_enum(const Node& n, char t, std::uint32_t v, const PathLink* path);
  bool check_alternatives(const Node& n, bool one_of, char t, std::uint32_t v,
                          const PathLink* path);
  bool accepts_type(std::uint32_t index, char t, std::uint32_t v, std::uint32_t depth) const;
  void normalise(std::uint8_t types, char t, std::uint32_t v);
  bool fail(Kind kind, const Node& n, std::uint32_t v, const PathLink* path,
            std::string_view missing = {}, std::uint32_t missing_node = kNoNode);
  bool abort();
  void duplicate(const Node& n, std::uint32_t object, std::uint32_t first, std::uint32_t key,
                 const PathLink* path);
  void check_subtree(std::uint32_t v, const PathLink* path);
  std::string build_path(const PathLink* path, bool* cut) const;

  const Tree& t_;
  ParsedJson& json_;
  const cel::JsonDoc* d_;
  std::uint64_t* tape_;  // d_->tape, kept at hand (and writable: see normalise)
  // d_->strings + 4 - ('"' << 56), modulo 2^64: with a string's tape word added, the
  // address of its text, without masking the type byte off (tape_string).
  std::uint64_t string_base_;
  // ParsedJson::layout_index(): a valid date's string is marked cel::kCheckedDate there, so
  // rules read its day number without checking the text again.
  std::uint32_t* notes_ = nullptr;
  std::size_t max_;
  std::vector<Found> found_;
  std::vector<Mark> marks_;
  std::uint64_t budget_;
  std::uint32_t frames_ = 0;
  bool probing_ = false;  // trying an alternative: stop at the first failure, record nothing
  bool aborted_ = false;
  bool covered_ = false;  // a subschema walked the members of the current container
};

}  // namespace safeguard::snapshot::schema
