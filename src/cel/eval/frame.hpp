// Per-evaluation state.
//
// A compiled program never changes; everything one evaluation needs lives here: the
// variable slots (globals, comprehension variables, function parameters, cached
// invariant sub-expressions), the arena for computed values, the cost budget and the
// evaluation's inputs (as-of date, calendars). One frame per thread, reset per call.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/arena.hpp"
#include "cel/value/error.hpp"
#include "cel/value/json.hpp"
#include "cel/value/value.hpp"

namespace safeguard::time {
class WorkingCalendar;
}

namespace safeguard::cel {

struct EvalLimits {
  // Comprehension steps (one per list element or map key visited) per evaluation.
  std::uint64_t max_iterations = 5'000'000;
  // Bytes of computed values (lists, strings) per evaluation.
  std::size_t max_memory_bytes = 64u << 20;
  // Bytes of a regular expression built at run time.
  std::size_t max_regex_bytes = 4096;
};

// Resolves calendar names used with the 3-argument calendar functions at run time.
class CalendarLookup {
 public:
  virtual ~CalendarLookup() = default;
  virtual const time::WorkingCalendar* find(std::string_view name) const noexcept = 0;
};

// Records how boolean sub-expressions turned out, for `explain`.
class Trace {
 public:
  virtual ~Trace() = default;
  virtual void record(std::uint32_t expr_id, const Value& value) = 0;
};

enum class SlotState : std::uint8_t { kEmpty, kReady };

class Frame {
 public:
  Frame() : arena_(EvalLimits{}.max_memory_bytes) {}
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  // Prepares for one evaluation of a program with `slot_count` slots, of which the first
  // `clear_count` (the global variables, which a host may leave unset) read as null until
  // written. The other slots are always written before they are read (parameters,
  // comprehension and bind variables) or are guarded by their state (cached values), so
  // they keep whatever they held: clearing ~1,000 slots cost more than many evaluations'
  // conditions. Cached values are forgotten by moving to a new epoch, not by clearing.
  void reset(std::uint32_t slot_count, const EvalLimits& limits,
             std::uint32_t clear_count = UINT32_MAX) {
    arena_.reset();
    arena_.set_budget(limits.max_memory_bytes);
    if (slots_.size() < slot_count) {
      slots_.resize(slot_count, Value::null());
      marks_.resize(slot_count, 0);
    }
    std::fill_n(slots_.begin(), std::min(clear_count, slot_count), Value::null());
    // Every mark written before now, cached values' and loops' alike, is below epoch_.
    epoch_ = clock_ + 2;
    clock_ = epoch_ + 1;
    // A host's "unlimited" (UINT64_MAX) must not wrap to a negative, spent budget.
    max_regex_bytes_ = limits.max_regex_bytes;
    iterations_left_ =
        static_cast<std::int64_t>(std::min<std::uint64_t>(limits.max_iterations, INT64_MAX));
    doc = nullptr;
    trace = nullptr;
    ++memo_generation_;  // forgets every remembered call without touching the table
    memo_used_ = 0;
    object_functions_ = 0;  // Program::prepare sets its count after this
    object_memo_doc_ = nullptr;
    object_memo_used_ = 0;
    spare_errors_used_ = 0;
    for (FieldSlot& slot : fields_) slot.doc = nullptr;
  }

  base::Arena& arena() noexcept { return arena_; }

  // Room to locate an error once the arena is spent. The memory-exceeded error itself is
  // static (nothing could be allocated for it), and a located copy needs memory: without
  // this, a rule that ran out of memory could not say where. A few per evaluation, none
  // handed out twice, so a copy that a cached value holds keeps its location.
  ErrorData* spare_error() noexcept {
    return spare_errors_used_ < kSpareErrors ? &spare_errors_[spare_errors_used_++] : nullptr;
  }
  std::size_t max_regex_bytes() const noexcept { return max_regex_bytes_; }
  Value* slots() noexcept { return slots_.data(); }

  // The state of a cached slot in this evaluation.
  SlotState state(std::uint32_t slot) const noexcept {
    const std::uint64_t m = marks_[slot];
    return m == ready_mark() ? SlotState::kReady : SlotState::kEmpty;
  }
  void set_state(std::uint32_t slot, SlotState state) noexcept {
    marks_[slot] = state == SlotState::kReady ? ready_mark() : 0;
  }
  // The same, raw, for CachedNode's hot path: a slot is ready when its mark is
  // ready_mark(), empty when below (no node is reached again while it is computed: the
  // planner proves it, so there is no busy state).
  std::uint64_t* marks() noexcept { return marks_.data(); }
  std::uint64_t ready_mark() const noexcept { return epoch_ + 1; }
  // A mark for one run of a loop, above every mark written before (see LoopCachedNode).
  std::uint64_t next_run() noexcept { return ++clock_; }

  std::int64_t steps_left() const noexcept { return iterations_left_ < 0 ? 0 : iterations_left_; }

  // Charges one comprehension step; false once the budget is spent.
  bool charge(std::int64_t steps = 1) noexcept {
    iterations_left_ -= steps;
    return iterations_left_ >= 0;
  }

  // --- remembered calls of functions written in CEL ----------------------------------
  // A rule pack calls the same function with the same arguments many times in one
  // evaluation (the level of need at a date, asked for by several thresholds and for
  // each contact's receipt date); a function's result depends only on its arguments and
  // the evaluation's inputs, so the first result is remembered for the rest of the
  // evaluation. `function` identifies the function (its compiled body); arguments match
  // when they are the same 16 bytes, which for values that point (strings, lists, maps)
  // means the same object: never a false match, sometimes a missed one.
  // Where a memo_find that found nothing stopped: memo_store starts there.
  struct MemoProbe {
    std::size_t index = 0;
    std::size_t mask = 0;  // the table's mask then: if it grew since, the index means nothing
  };
  const Value* memo_find(const void* function, const Value* args, std::size_t n, std::uint64_t hash,
                         MemoProbe* probe) const noexcept {
    const std::size_t mask = memo_mask_;
    probe->mask = mask;
    if (mask == 0) return nullptr;  // no table yet
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const MemoSlot& slot = memo_[i];
      if (slot.generation != memo_generation_) {
        probe->index = i;
        return nullptr;
      }
      if (slot.hash == hash && slot.function == function && slot.argc == n &&
          same_values(slot.arguments(), args, n)) {
        return &slot.result;
      }
    }
  }
  // Remembers a call memo_find did not find. Every slot before the probe's index on the
  // call's probe sequence was in use then and still is (nothing is removed within an
  // evaluation), so the first free slot from there is where a later search for the same
  // call will stop, unless the table has grown (and been rehashed) since.
  void memo_store(const void* function, const Value* args, std::size_t n, std::uint64_t hash,
                  const MemoProbe& probe, const Value& result) {
    // The table lives outside the arena's budget (and in a thread's frame for good), so
    // it stops growing at kMaxMemoEntries: a rule file whose functions call themselves
    // with ever new arguments must not take hundreds of MiB here.
    if (memo_used_ + object_memo_used_ >= kMaxMemoEntries) return;
    if (2 * (memo_used_ + 1) > memo_mask_ + 1) memo_grow();
    std::size_t i = probe.mask == memo_mask_ ? probe.index : hash & memo_mask_;
    const Value* copy = nullptr;
    if (n > kInlineArgs) {
      Value* more = arena_.allocate_array<Value>(n);
      if (more == nullptr) return;  // out of evaluation memory: just do not remember
      std::memcpy(more, args, n * sizeof(Value));
      copy = more;
    }
    const std::size_t mask = memo_mask_;
    while (memo_[i].generation == memo_generation_) i = (i + 1) & mask;
    MemoSlot& slot = memo_[i];
    slot.generation = memo_generation_;
    slot.argc = static_cast<std::uint32_t>(n);
    slot.function = function;
    slot.hash = hash;
    slot.args = copy;
    for (std::size_t k = 0; k < n && k < kInlineArgs; ++k) slot.inline_args[k] = args[k];
    slot.result = result;
    ++memo_used_;
  }

  // --- remembered calls of one-parameter functions on a snapshot object ----------------
  // Most calls of CEL functions pass one object of the snapshot (`lv_dated(c)` for each
  // contact c). Those are remembered in a table indexed by the object's tape index (halved)
  // and the function (0 to the program's count of one-parameter functions, less one), laid
  // out for the evaluation's document at its first such call, instead of in the hash table
  // above: no hash, no probe. Each call goes to the one table or the other for the whole
  // evaluation (an argument is such an object of `doc` or not; the table is laid out or
  // not), and both remember every call they are asked to until kMaxMemoEntries between
  // them, so a call is found again exactly when the hash table alone would find it.
  struct ObjectMemoSlot {
    std::uint64_t generation = 0;  // remembered when it equals memo_generation_
    Value result{};
  };
  // The count of one-parameter functions of the program this frame was prepared for.
  void set_object_functions(std::uint32_t count) noexcept { object_functions_ = count; }
  // The slot of `function` for `arg`, when arg is an object of this evaluation's document,
  // the table is laid out for it (or can be now: not while explaining, as the memo, nor
  // for a document too large) and no host says otherwise; else null (the hash table).
  ObjectMemoSlot* object_memo_slot(const Value& arg, std::uint32_t function) noexcept {
    if (arg.kind != ValueKind::kMap || arg.flags != kFromJson || arg.reserved != 0) return nullptr;
    if (arg.doc != object_memo_doc_ && !object_memo_layout(arg.doc)) return nullptr;
    // Half the tape index: an object takes two tape words at least (its braces), and one
    // inside another starts after a key, so no two objects share it.
    const std::size_t i = std::size_t{arg.aux / 2} * object_functions_ + function;
    return i < object_memo_size_ ? &object_memo_[i] : nullptr;
  }
  // Whether `slot` (object_memo_slot's) holds a call of this evaluation.
  bool object_memo_known(const ObjectMemoSlot& slot) const noexcept {
    return slot.generation == memo_generation_;
  }
  // Remembers a call object_memo_slot gave `slot` for and that was not known there.
  void object_memo_store(ObjectMemoSlot& slot, const Value& result) noexcept {
    if (memo_used_ + object_memo_used_ >= kMaxMemoEntries) return;
    slot.generation = memo_generation_;
    slot.result = result;
    ++object_memo_used_;
  }
  // At most this many entries (24 bytes each) in the table, which a thread's frame keeps: a
  // document whose tape words (halved) times the functions exceed it uses the hash table.
  // Tests lower it to compare the two tables.
  void set_object_memo_limit(std::size_t entries) noexcept { object_memo_limit_ = entries; }
  // Calls remembered there in this evaluation (for tests).
  std::size_t object_memo_count() const noexcept { return object_memo_used_; }

  // Day numbers of date strings already converted by date() in this evaluation, by the
  // text's address: rules convert the same snapshot dates many times (each contact's
  // receipt date once per level asked about). Strings are immutable and neither the
  // snapshot nor the arena frees or reuses memory before reset(), which forgets them all,
  // so within an evaluation an address names one text. Direct-mapped: a collision only
  // costs a conversion.
  bool date_find(const char* text, std::int64_t* day) const noexcept {
    const DateSlot& slot = dates_[date_slot(text)];
    if (slot.generation != memo_generation_ || slot.text != text) return false;
    *day = slot.day;
    return true;
  }
  void date_store(const char* text, std::int64_t day) noexcept {
    dates_[date_slot(text)] = DateSlot{memo_generation_, text, day};
  }

  // --- recent field lookups in the snapshot ------------------------------------------
  // json_find() for a field selection, remembering the last few lookups: rules test a
  // field and then read it (`has(c.x) && c.x != null ? c.x : []`), so a quarter of the
  // lookups repeat the one just before. Keys match by address: the planner gives all
  // selections of one name the same constant (another copy of the text only misses);
  // `key` must outlive the evaluation, as a program constant does. Two entries measured
  // best on the shipped pack (four or eight cost more to search).
  // The value is json_value()'s (an error for a value validation rejected).
  bool find_field(const JsonDoc* d, std::uint32_t obj, std::string_view key, Value* out) noexcept {
    for (const FieldSlot& slot : fields_) {
      if (slot.key == key.data() && slot.obj == obj && slot.doc == d) {
        *out = slot.value;
        return slot.found;
      }
    }
    std::uint32_t at;
    const bool found = json_find(d, obj, key, &at);
    FieldSlot& slot = fields_[field_next_++ & (kFieldSlots - 1)];
    slot.doc = d;
    slot.obj = obj;
    slot.found = found;
    slot.key = key.data();
    if (found) slot.value = json_value(d, at);
    *out = slot.value;
    return found;
  }

  // --- evaluation inputs ------------------------------------------------------------
  const JsonDoc* doc = nullptr;                     // the snapshot, if any
  std::int64_t as_of = 0;                           // days since 1970-01-01
  const time::WorkingCalendar* calendar = nullptr;  // default working-day calendar
  const CalendarLookup* calendars = nullptr;        // named calendars
  Trace* trace = nullptr;                           // set only when explaining

 private:
  base::Arena arena_;
  std::vector<Value> slots_;
  std::vector<std::uint64_t> marks_;  // per slot; see state()
  std::uint64_t epoch_ = 2;           // 64 bits: a few per evaluation never wrap
  std::uint64_t clock_ = 3;           // the last mark handed out
  std::int64_t iterations_left_ = 0;
  std::size_t max_regex_bytes_ = EvalLimits{}.max_regex_bytes;

  // The 16 bytes of each value, word by word: a call to memcmp costs more than the compare
  // for the one or two arguments a function usually takes.
  static bool same_values(const Value* a, const Value* b, std::size_t n) noexcept {
    static_assert(sizeof(Value) == 16, "a Value is two words");
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t x[2], y[2];
      std::memcpy(x, &a[i], sizeof x);
      std::memcpy(y, &b[i], sizeof y);
      if (((x[0] ^ y[0]) | (x[1] ^ y[1])) != 0) return false;
    }
    return true;
  }

  static constexpr std::size_t kSpareErrors = 16;
  ErrorData spare_errors_[kSpareErrors];
  std::size_t spare_errors_used_ = 0;

  static constexpr std::size_t kMaxMemoEntries = 1u << 16;  // table of at most 11 MiB
  // Most functions take one or two arguments: those are kept in the slot itself, which
  // spares a miss the arena allocation and the copy through memcpy.
  static constexpr std::size_t kInlineArgs = 2;
  struct MemoSlot {
    std::uint64_t generation = 0;  // the slot is in use when it equals memo_generation_
    std::uint32_t argc = 0;
    const void* function = nullptr;
    std::uint64_t hash = 0;
    const Value* args = nullptr;  // more than kInlineArgs: in the arena, reset with the table
    Value inline_args[kInlineArgs]{};
    Value result{};
    const Value* arguments() const noexcept { return argc <= kInlineArgs ? inline_args : args; }
  };
  // Out of line: it runs a few times per thread, and inlined into every call node it made
  // each call save more registers and stack.
  [[gnu::noinline]] void memo_grow() {
    std::vector<MemoSlot> old;
    old.swap(memo_);
    memo_.assign(old.empty() ? 64 : old.size() * 2, MemoSlot{});
    const std::size_t mask = memo_.size() - 1;
    memo_mask_ = mask;
    for (const MemoSlot& slot : old) {
      if (slot.generation != memo_generation_) continue;
      std::size_t i = slot.hash & mask;
      while (memo_[i].generation == memo_generation_) i = (i + 1) & mask;
      memo_[i] = slot;
    }
  }
  struct DateSlot {
    std::uint64_t generation = 0;  // valid when it equals memo_generation_
    const char* text = nullptr;
    std::int64_t day = 0;
  };
  static constexpr std::size_t kDateSlots = 256;
  static std::size_t date_slot(const char* text) noexcept {
    return static_cast<std::size_t>(
               (reinterpret_cast<std::uintptr_t>(text) * 0x9E3779B97F4A7C15ULL) >> 56) &
           (kDateSlots - 1);
  }
  DateSlot dates_[kDateSlots];
  struct FieldSlot {
    const JsonDoc* doc = nullptr;  // null: empty
    std::uint32_t obj = 0;
    bool found = false;  // the key is present, with `value`
    const char* key = nullptr;
    Value value{};
  };
  static constexpr std::size_t kFieldSlots = 2;
  FieldSlot fields_[kFieldSlots];
  std::uint32_t field_next_ = 0;
  std::vector<MemoSlot> memo_;
  std::size_t memo_mask_ = 0;  // memo_.size() - 1 (a power of two, at least 64), 0 before
  std::uint64_t memo_generation_ = 1;
  std::size_t memo_used_ = 0;

  // Lays the object table out for `d` if it is this evaluation's document and the table
  // was not tried in this evaluation yet; true when it is laid out for `d`.
  [[gnu::noinline]] bool object_memo_layout(const JsonDoc* d) {
    if (d != doc || object_memo_tried_ == memo_generation_) return false;
    object_memo_tried_ = memo_generation_;
    if (trace != nullptr || object_functions_ == 0) return false;
    // tape[0] is the root marker; its payload is the index of the closing root marker.
    const std::size_t objects = (static_cast<std::size_t>(json_payload(d, 0)) + 1) / 2 + 1;
    if (objects > object_memo_limit_ / object_functions_) return false;
    const std::size_t size = objects * object_functions_;
    if (object_memo_capacity_ < size) {
      // Nothing in it is of this evaluation yet. Zeroed by calloc, which for a table this
      // large takes fresh pages that are zero already: clearing megabytes for a thread that
      // may evaluate a few cases would cost more than they save. Grown at least twofold,
      // as documents' lengths creep up.
      const std::size_t capacity =
          std::max(size, std::min(object_memo_limit_, 2 * object_memo_capacity_));
      object_memo_.reset(
          static_cast<ObjectMemoSlot*>(std::calloc(capacity, sizeof(ObjectMemoSlot))));
      object_memo_capacity_ = object_memo_ == nullptr ? 0 : capacity;
      if (object_memo_ == nullptr) return false;
    }
    object_memo_doc_ = d;
    object_memo_size_ = size;
    return true;
  }
  static constexpr std::size_t kMaxObjectMemo = std::size_t{1} << 18;  // 6 MiB
  struct Free {
    void operator()(void* p) const noexcept { std::free(p); }
  };
  static_assert(std::is_trivially_copyable_v<ObjectMemoSlot>, "a zeroed slot is an empty one");
  std::unique_ptr<ObjectMemoSlot[], Free> object_memo_;  // calloc'd
  std::size_t object_memo_capacity_ = 0;
  const JsonDoc* object_memo_doc_ = nullptr;  // laid out for it in this evaluation; or null
  std::size_t object_memo_size_ = 0;          // entries laid out
  std::size_t object_memo_used_ = 0;          // remembered in this evaluation
  std::size_t object_memo_limit_ = kMaxObjectMemo;
  std::uint64_t object_memo_tried_ = 0;  // the memo generation it was last laid out in
  std::uint32_t object_functions_ = 0;
};

}  // namespace safeguard::cel
