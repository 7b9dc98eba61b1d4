// A growing text whose appends are inline: std::string's append is a call into the
// library for every piece, and a raised flag's facts and message are built from many short
// ones (keys, separators, dates, the message's literal parts: about 180 per case).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace safeguard::base {

class TextBuffer {
 public:
  TextBuffer() = default;
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;

  // Never null, even before the first append or after release(): callers copy from it
  // with memcpy, whose source must not be null even for no bytes.
  const char* data() const noexcept { return data_ ? data_.get() : ""; }
  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }
  bool empty() const noexcept { return size_ == 0; }
  std::string_view view() const noexcept { return {data(), size_}; }
  std::string_view view(std::size_t begin, std::size_t end) const noexcept {
    return {data() + begin, end - begin};
  }

  void clear() noexcept { size_ = 0; }
  // Drops what was appended after the first `size` bytes.
  void truncate(std::size_t size) noexcept { size_ = size; }
  // Frees the storage (a huge text must not stay with the thread).
  void release() noexcept {
    data_.reset();
    size_ = 0;
    capacity_ = 0;
  }

  void append(const char* s, std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    char* to = data_.get() + size_;
    if (n <= 16) {
      copy_short(to, s, n);
    } else {
      std::memcpy(to, s, n);
    }
    size_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  template <std::size_t N>
  void append(const char (&s)[N]) {
    append(s, N - 1);
  }
  TextBuffer& operator+=(std::string_view s) {
    append(s);
    return *this;
  }
  void push_back(char c) {
    if (capacity_ == size_) grow(1);
    data_[size_++] = c;
  }

  // Room for `n` more bytes at the end, written through the pointer and then counted with
  // commit(end).
  char* tail(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  void commit(const char* end) noexcept { size_ = static_cast<std::size_t>(end - data_.get()); }

 private:
  // 0 to 16 bytes, in at most two overlapping loads and stores.
  static void copy_short(char* to, const char* s, std::size_t n) noexcept {
    if (n >= 8) {
      copy_two_words<std::uint64_t>(to, s, n);
    } else if (n >= 4) {
      copy_two_words<std::uint32_t>(to, s, n);
    } else if (n > 0) {
      to[0] = s[0];
      to[n / 2] = s[n / 2];
      to[n - 1] = s[n - 1];
    }
  }
  // One to two words of `Word`'s size: the first and the last word, overlapping.
  template <typename Word>
  static void copy_two_words(char* to, const char* s, std::size_t n) noexcept {
    Word head;
    Word last;
    std::memcpy(&head, s, sizeof head);
    std::memcpy(&last, s + n - sizeof last, sizeof last);
    std::memcpy(to, &head, sizeof head);
    std::memcpy(to + n - sizeof last, &last, sizeof last);
  }

  [[gnu::noinline]] void grow(std::size_t n) {
    std::size_t capacity = capacity_ == 0 ? 256 : capacity_ * 2;
    while (capacity - size_ < n) capacity *= 2;
    std::unique_ptr<char[]> data(new char[capacity]);
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace safeguard::base
