#include "base/arena.hpp"

#include <algorithm>
#include <new>

namespace safeguard::base {

void* Arena::allocate_slow(std::size_t bytes, std::size_t align) {
  if (bytes > budget_ || bytes_used() + bytes > budget_) return nullptr;
  std::size_t want = std::max(kDefaultChunk, bytes + align);
  if (!chunks_.empty())
    want = std::max(want, std::min<std::size_t>(chunks_.back().size * 2, 1 << 20));
  want = std::min(want, std::max(bytes + align, budget_ - bytes_used()));
  used_ = bytes_used();
  auto* data = new (std::nothrow) char[want];
  if (data == nullptr) return nullptr;
  chunks_.push_back(Chunk{std::unique_ptr<char[]>(data), want});
  begin_ = cursor_ = data;
  end_ = data + want;
  return allocate(bytes, align);
}

void Arena::reset() noexcept {
  if (chunks_.empty()) return;
  chunks_.resize(1);
  begin_ = cursor_ = chunks_[0].data.get();
  end_ = begin_ + chunks_[0].size;
  used_ = 0;
}

}  // namespace safeguard::base
