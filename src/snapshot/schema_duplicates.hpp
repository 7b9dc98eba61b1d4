// Object keys written more than once. JSON allows them and lookups find the first, so a
// snapshot carrying `"outcome"` twice would be read one way here and perhaps the other
// way by the system that wrote it: a safeguarding tool must not pick one silently.
//
// Schema validation finds them while it walks each object anyway (see check_object in
// schema_validate.cpp): each key sets one bit of a 64-bit filter from its length and
// first eight bytes, and only a key whose bit was already set is compared with the
// earlier keys. The functions here cover what that walk does not: large objects (sorted
// instead, so a hostile object is not quadratic), subtrees no schema describes, and
// snapshots of rule sets without a schema.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "cel/value/json.hpp"
#include "snapshot/schema_keys.hpp"

namespace safeguard::snapshot::schema {

// The message of the error a duplicated key's values are marked with.
inline constexpr const char* kDuplicateKeyError =
    "does not match the schema: its key appears more than once in the same object";

// Objects with more members than this are checked by sorting their keys.
inline constexpr std::uint32_t kFilterMembers = 32;

struct DuplicateKey {
  std::uint32_t object;     // tape index of the object
  std::uint32_t first_key;  // the key's first occurrence (its value follows it)
  std::uint32_t key;        // a later occurrence
};

// A key of the snapshot reduced to what tells keys apart quickly.
struct KeyProbe {
  std::uint32_t tape;
  std::uint32_t size;
  std::uint64_t prefix;  // tape_key_prefix()
  const char* text;
};

inline KeyProbe probe_key(const cel::JsonDoc* d, std::uint32_t k) noexcept {
  const char* p = cel::json_string_ptr(d, k);
  std::uint32_t n;
  std::memcpy(&n, p - 4, 4);
  return KeyProbe{k, n, tape_key_prefix(p, n), p};
}

inline bool same_key(const KeyProbe& a, const KeyProbe& b) noexcept {
  if (a.size != b.size || a.prefix != b.prefix) return false;
  return a.size <= 8 || std::memcmp(a.text + 8, b.text + 8, a.size - 8) == 0;
}

inline std::uint64_t filter_bit(std::uint64_t hash) noexcept {
  return std::uint64_t{1} << (hash >> 58);
}

// The first occurrence of the key at `k` among the members of `object` before it, or
// kNoTape when there is none.
std::uint32_t earlier_key(const cel::JsonDoc* d, std::uint32_t object,
                          const KeyProbe& key) noexcept;

// Every later occurrence of a key within one object, in document order, up to `limit`.
void find_duplicates_in_object(const cel::JsonDoc* d, std::uint32_t object,
                               std::vector<DuplicateKey>& out, std::size_t limit);

// The same for every object in the subtree at tape index `root`.
void find_duplicate_keys(const cel::JsonDoc* d, std::uint32_t root, std::vector<DuplicateKey>& out,
                         std::size_t limit);

}  // namespace safeguard::snapshot::schema
