// A bump allocator for per-evaluation scratch memory.
//
// Everything an evaluation creates (intermediate lists, concatenated strings, error
// records) lives in the frame's arena and is released in one step when the frame is
// reset. Values therefore need no reference counting and copy as plain 16-byte words.
// The arena enforces a byte budget so that a hostile expression cannot exhaust memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

namespace safeguard::base {

class Arena {
 public:
  static constexpr std::size_t kDefaultChunk = 16 * 1024;

  explicit Arena(std::size_t budget_bytes = SIZE_MAX) : budget_(budget_bytes) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Returns nullptr when the budget would be exceeded (callers turn that into an error
  // value) and never throws for that reason.
  void* allocate(std::size_t bytes, std::size_t align = alignof(std::max_align_t)) {
    std::uintptr_t p = (reinterpret_cast<std::uintptr_t>(cursor_) + align - 1) & ~(align - 1);
    if (cursor_ != nullptr && p + bytes <= reinterpret_cast<std::uintptr_t>(end_)) {
      cursor_ = reinterpret_cast<char*>(p + bytes);
      return reinterpret_cast<void*>(p);
    }
    return allocate_slow(bytes, align);
  }

  template <typename T>
  T* allocate_array(std::size_t count) {
    if (count > SIZE_MAX / sizeof(T)) return nullptr;
    return static_cast<T*>(allocate(sizeof(T) * count, alignof(T)));
  }

  // Copies `size` bytes and a terminating NUL.
  char* copy_string(const char* data, std::size_t size) {
    auto* out = static_cast<char*>(allocate(size + 1, 1));
    if (out == nullptr) return nullptr;
    if (size > 0) std::memcpy(out, data, size);
    out[size] = '\0';
    return out;
  }

  // Frees everything at once; keeps the first chunk for reuse.
  void reset() noexcept;

  std::size_t bytes_used() const noexcept {
    return used_ + static_cast<std::size_t>(cursor_ - begin_);
  }
  std::size_t budget() const noexcept { return budget_; }

  // Whether `p` points into memory this arena handed out since its last reset.
  bool owns(const void* p) const noexcept {
    const auto* c = static_cast<const char*>(p);
    for (const Chunk& chunk : chunks_) {
      const char* data = chunk.data.get();
      if (std::less_equal<const char*>()(data, c) &&
          std::less<const char*>()(c, data + chunk.size)) {
        return true;
      }
    }
    return false;
  }
  void set_budget(std::size_t bytes) noexcept { budget_ = bytes; }

 private:
  void* allocate_slow(std::size_t bytes, std::size_t align);

  struct Chunk {
    std::unique_ptr<char[]> data;
    std::size_t size;
  };
  std::vector<Chunk> chunks_;
  char* begin_ = nullptr;
  char* cursor_ = nullptr;
  char* end_ = nullptr;
  std::size_t used_ = 0;  // bytes in chunks before the current one
  std::size_t budget_;
};

}  // namespace safeguard::base
