// A small immutable set of strings, looked up without allocation: property names of an
// object schema and the strings of an enum. Validation looks up every key of every object
// and every enum-typed string of every snapshot, so each entry keeps the length and the
// first eight bytes as integers; most probes compare those and never touch the text.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace safeguard::snapshot::schema {

// The first eight bytes of a key as an integer, in memory order (fewer, zero-filled, for
// short keys): together with the length, it tells most keys apart without reading the rest.
inline std::uint64_t key_prefix(std::string_view key) noexcept {
  std::uint64_t x = 0;
  std::memcpy(&x, key.data(), key.size() < 8 ? key.size() : 8);
  return x;
}

// key_prefix() of a string in the parsed snapshot: simdjson pads its string buffer
// (SIMDJSON_PADDING bytes after the last string), so eight bytes can always be loaded and
// the bytes past the key masked off, instead of copying byte by byte.
// The masks that keep the first n bytes of a word loaded in memory order, n = 0 to 8.
struct PrefixMasks {
  std::uint64_t of[9] = {};
  constexpr PrefixMasks() {
    for (unsigned n = 1; n <= 8; ++n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      of[n] = ~std::uint64_t{0} << (64 - 8 * n);
#else
      of[n] = n == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
#endif
    }
  }
};
inline constexpr PrefixMasks kPrefixMasks;

inline std::uint64_t tape_key_prefix(const char* p, std::size_t n) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x & kPrefixMasks.of[n < 8 ? n : 8];
}

// Mixes a key's length and prefix; the top bits index hash tables and filters.
inline std::uint64_t key_hash(std::uint64_t prefix, std::uint32_t size) noexcept {
  return (prefix ^ size) * 0x9E3779B97F4A7C15ULL;
}

class KeySet {
 public:
  // `keys` must be distinct; find() answers with positions in it.
  void assign(const std::vector<std::string>& keys);

  // Position of `key` in the vector given to assign(), or -1.
  int find(std::string_view key) const noexcept {
    const std::uint64_t prefix = key_prefix(key);
    return find_hashed(key, prefix, key_hash(prefix, static_cast<std::uint32_t>(key.size())),
                       false);
  }

  // find() for a string of the parsed snapshot (see tape_key_prefix).
  int find_tape_string(const char* p, std::uint32_t n) const noexcept {
    const std::uint64_t prefix = tape_key_prefix(p, n);
    return find_padded(p, n, prefix, key_hash(prefix, n));
  }

  // find() when the caller has the key's prefix and key_hash() already; `padded`: eight
  // bytes past the key may be read (a snapshot string, see tape_key_prefix).
  int find_hashed(std::string_view key, std::uint64_t prefix, std::uint64_t hash,
                  bool padded) const noexcept {
    if (padded)
      return find_padded(key.data(), static_cast<std::uint32_t>(key.size()), prefix, hash);
    if (slots_.empty()) return -1;
    const auto size = static_cast<std::uint32_t>(key.size());
    for (std::size_t i = hash >> shift_;; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[i];
      if (slot.index == 0) return -1;
      if (slot.size == size && slot.prefix == prefix &&
          (size <= 8 ||
           same_tail(key.data() + 8, keys_[slot.index - 1].data() + 8, size - 8, false))) {
        return static_cast<int>(slot.index - 1);
      }
    }
  }

  // find_tape_string() >= 0, for string enums: when no two keys have the same length and
  // first sixteen bytes (unique16_), the first slot that matches those is the only key the
  // string can be, so the rest is compared once, out of line, and the probe keeps few values.
  bool contains_tape_string(const char* p, std::uint32_t n) const noexcept {
    if (!unique16_) return has_tape_string(p, n);
    const std::uint64_t prefix = tape_key_prefix(p, n);
    const Slot* const slots = slots_.data();
    const std::size_t last = slots_.size() - 1;
    for (std::size_t i = key_hash(prefix, n) >> shift_;; i = (i + 1) & last) {
      const Slot& slot = slots[i];
      if (slot.index == 0) return false;
      if (slot.size != n || slot.prefix != prefix) continue;
      if (n <= 8) return true;
      std::uint64_t word;
      std::memcpy(&word, p + 8, 8);
      if ((word & slot.mask2) != slot.prefix2) continue;
      return n <= 16 || same_long_tail(p, slot.index - 1, n);
    }
  }

  // find_hashed() of a snapshot string: bytes 9 to 16 are compared as one word loaded
  // whole and masked to the key's length, as the member loop compares its guess.
  // `kShort`: the caller knows the string is at most sixteen bytes (no tail to compare).
  template <bool kShort = false>
  int find_padded(const char* key, std::uint32_t size, std::uint64_t prefix,
                  std::uint64_t hash) const noexcept {
    if (slots_.empty()) return -1;
    for (std::size_t i = hash >> shift_;; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[i];
      if (slot.index == 0) return -1;
      if (slot.size != size || slot.prefix != prefix) continue;
      if (size <= 8) return static_cast<int>(slot.index - 1);
      std::uint64_t word;
      std::memcpy(&word, key + 8, 8);
      if ((word & slot.mask2) == slot.prefix2 &&
          (kShort || size <= 16 ||
           same_tail(key + 16, keys_[slot.index - 1].data() + 16, size - 16, true))) {
        return static_cast<int>(slot.index - 1);
      }
    }
  }

  // Whether a snapshot string (padded) of `size` > 8 bytes, whose length and first eight
  // bytes match the key at `position`, is that key: the bytes past the eighth. Validation
  // tests its guess of the property expected next with this (schema_validate.cpp).
  bool same_tail_at(std::uint32_t position, const char* key, std::uint32_t size) const noexcept {
    return same_tail(key + 8, keys_[position].data() + 8, size - 8, true);
  }

  std::size_t size() const noexcept { return keys_.size(); }
  // Whether contains_tape_string() may stop at the first slot matching sixteen bytes.
  bool unique16() const noexcept { return unique16_; }
  bool empty() const noexcept { return keys_.empty(); }

 private:
  // contains_tape_string()'s rarer paths, out of line (see there).
  [[gnu::noinline]] bool has_tape_string(const char* p, std::uint32_t n) const noexcept {
    return find_tape_string(p, n) >= 0;
  }
  [[gnu::noinline]] bool same_long_tail(const char* key, std::uint32_t position,
                                        std::uint32_t size) const noexcept {
    return same_tail(key + 16, keys_[position].data() + 16, size - 16, true);
  }
  // Compares the bytes after the prefix a word at a time: keys here are mostly 9 to 24
  // bytes, where a call to memcmp costs more than the comparison. Stored keys are padded
  // with eight NULs (see assign); the probe may be read past its end only when `padded`.
  static bool same_tail(const char* a, const char* b, std::size_t n, bool padded) noexcept {
    for (; n >= 8; n -= 8, a += 8, b += 8) {
      std::uint64_t x, y;
      std::memcpy(&x, a, 8);
      std::memcpy(&y, b, 8);
      if (x != y) return false;
    }
    if (n == 0) return true;
    if (!padded) return std::memcmp(a, b, n) == 0;
    return tape_key_prefix(a, n) == tape_key_prefix(b, n);
  }

  // Open addressing with linear probing, at most half full, so a lookup mostly reads one
  // slot: the linear scan it replaced mispredicted its exit on nearly every key.
  struct Slot {
    std::uint64_t prefix = 0;
    std::uint64_t prefix2 = 0;  // key_prefix() of the bytes after the eighth
    std::uint64_t mask2 = 0;    // kPrefixMasks of as many bytes as prefix2 has
    std::uint32_t size = 0;
    std::uint32_t index = 0;  // position + 1; 0: empty
  };
  std::vector<Slot> slots_;  // a power of two
  unsigned shift_ = 64;      // 64 - log2(slots_.size())
  bool unique16_ = false;    // no two keys share their length and first sixteen bytes
  std::vector<std::string> keys_;
};

}  // namespace safeguard::snapshot::schema
