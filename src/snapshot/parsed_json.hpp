// Parsing JSON (snapshots, --vars) into the tape the evaluator reads in place.
//
// simdjson (Debian's libsimdjson-dev) is used because parsing is most of the cost of a
// batch run: it parses a 4 KB case several times faster than Boost.JSON (see
// bench/README.md), and its tape is a compact, pointer-free DOM the evaluator can walk
// without copying values into a tree of its own.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cel/value/json.hpp"

namespace safeguard::snapshot {

struct JsonLimits {
  std::size_t max_bytes = 16u << 20;  // a case snapshot larger than 16 MiB is refused
  std::uint32_t max_depth = 64;       // deepest nesting of arrays and objects
};

struct JsonError {
  std::string message;     // never quotes the text
  std::uint32_t line = 0;  // 1-based; 0 when the position is unknown
  std::uint32_t column = 0;
};

// A parsed document. Owns its tape and string buffer; `doc()` stays valid while it lives.
class ParsedJson {
 public:
  ParsedJson();
  ~ParsedJson();
  ParsedJson(const ParsedJson&) = delete;
  ParsedJson& operator=(const ParsedJson&) = delete;

  const cel::JsonDoc* doc() const noexcept { return &doc_; }
  cel::JsonDoc* mutable_doc() noexcept { return &doc_; }
  // The tape doc() reads, for schema validation's number normalisation (schema.hpp),
  // which rewrites numbers in place; null before the first parse or copy.
  std::uint64_t* mutable_tape() noexcept;
  bool root_is_object() const noexcept { return cel::json_type(&doc_, doc_.root) == '{'; }

  // Makes this a copy of `other`'s tape that shares its string buffer (strings are never
  // modified), so validation can rewrite numbers without touching `other`. `other` must
  // outlive this copy's use.
  void copy_from(const ParsedJson& other);

  // Marks values that violate a schema (see src/snapshot/schema.hpp); sorted by tape index.
  void set_invalid(std::vector<std::uint32_t> indexes, std::vector<cel::ErrorData> errors);

  // Object layouts, recorded by schema validation (cel::JsonDoc::layout_at): start_layouts
  // forgets the previous document's, add_layout reserves the words of one object (the
  // node, then every property absent) and returns their offset, layout_properties gives
  // the words to fill in; an object's layout becomes visible to rules when its offset is
  // written at the object's entry of layout_index(), once all its members were seen.
  void start_layouts();
  std::uint32_t add_layout(std::uint32_t node, std::size_t properties) {
    // Grown by hand, not by push_back and resize: this runs for every object of every
    // snapshot, and the words of the last snapshot are reused.
    // Most objects have a few properties: those are marked absent with one fixed-size fill
    // (inline stores, where a fill of the exact size is a memset call), into room kept
    // past the end; words past the layout are the next one's.
    constexpr std::size_t kSmall = 16;
    const std::uint32_t offset = layout_used_;
    const std::size_t end = offset + 1 + properties;
    if (end + kSmall > layout_room_) grow_layouts(end + kSmall);
    std::uint32_t* words = layout_words_.data() + offset;
    words[0] = node;
    if (properties <= kSmall) {
      std::fill_n(words + 1, kSmall, cel::kNoTape);
    } else {
      std::fill_n(words + 1, properties, cel::kNoTape);
    }
    layout_used_ = static_cast<std::uint32_t>(end);
    return offset;
  }
  // The property words of the layout at `offset`, valid until the next add_layout (the
  // first of duplicate keys is to win, as a key search finds it).
  std::uint32_t* layout_properties(std::uint32_t offset) noexcept {
    return layout_words_.data() + offset + 1;
  }
  void finish_layouts() noexcept;

  // Gives back every buffer (tape, layouts, copies); doc() then reads an empty document
  // until the next parse or copy_from.
  void release_buffers() noexcept;
  // The bytes of JSON last parsed into this (or into the one copied from).
  std::size_t text_bytes() const noexcept { return text_bytes_; }
  // The bytes its buffers hold now (capacity, not use).
  std::size_t buffer_bytes() const noexcept;
  // cel::JsonDoc::layout_at of this document, one word per tape index, as start_layouts
  // cleared it: validation marks each valid date's string there (cel::kCheckedDate);
  // objects' entries are their layouts' offsets, once published.
  std::uint32_t* layout_index() noexcept { return layout_at_.data(); }

 private:
  friend class JsonParser;
  struct Storage;
  std::unique_ptr<Storage> storage_;
  cel::JsonDoc doc_;
  std::vector<std::uint64_t> tape_copy_;
  std::vector<std::uint32_t> invalid_;
  std::vector<cel::ErrorData> invalid_errors_;
  std::vector<std::uint64_t> invalid_bits_;  // cel::JsonDoc::invalid_bits
  std::vector<std::uint32_t> layout_at_;
  std::vector<std::uint32_t> layout_words_;
  std::size_t layout_room_ = 0;  // layout_words_.size(), kept at hand for add_layout
  std::uint32_t layout_used_ = 0;
  std::size_t text_bytes_ = 0;

  [[gnu::noinline]] void grow_layouts(std::size_t words);
  // cel::JsonDoc::invalid_bits for the marks of invalid_ (not empty).
  [[gnu::noinline]] void mark_invalid_bits();
};

// Reusable parser state (one per thread in batch runs).
class JsonParser {
 public:
  explicit JsonParser(JsonLimits limits = {});
  ~JsonParser();
  JsonParser(const JsonParser&) = delete;
  JsonParser& operator=(const JsonParser&) = delete;

  // Parses `text` into `out` (reusing its buffers). On failure returns false and fills
  // `error` with a located message.
  bool parse(std::string_view text, ParsedJson& out, JsonError* error);

  // Gives back the buffers sized for the largest text parsed (simdjson's index and the
  // padded copy: about 5 bytes per byte of JSON); the next parse allocates them again.
  void release_buffers() noexcept;
  // The bytes of JSON simdjson's buffers are sized for, plus the padded copy's bytes: 0
  // after release_buffers.
  std::size_t buffer_bytes() const noexcept;

  const JsonLimits& limits() const noexcept { return limits_; }
  void set_limits(const JsonLimits& limits) noexcept { limits_ = limits; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  JsonLimits limits_;
};

}  // namespace safeguard::snapshot
