// The test and copy of a text that JSON takes as it is (printable ASCII other than '"' and
// '\\'), inline for writers of JSON into a raw buffer: base::copy_plain_json_text's body,
// which the result writer calls about 70 times per result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#else
#include "base/json_writer.hpp"
#endif

namespace safeguard::base::plain {

#if defined(__SSE2__)
// A bit for each of the 16 bytes of v that must be escaped or checked as UTF-8: a control
// character, '"', '\\', DEL or a byte above it. (SSE2 is part of x86-64, so no check of
// the processor is needed.)
inline unsigned escape_mask(__m128i v) noexcept {
  // One signed compare of each byte plus one: a control character gives 0x01 to 0x20, DEL
  // wraps to -128 and a byte from 0x80 up to -127 to 0, all below 0x21; printable ASCII
  // gives 0x21 to 0x7F.
  const __m128i outside = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(1)), _mm_set1_epi8(0x21));
  const __m128i flagged = _mm_or_si128(
      outside,
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
  return static_cast<unsigned>(_mm_movemask_epi8(flagged));
}

// The two words (8 or 4 bytes) as one block of 16, repeated: every byte one of theirs.
inline __m128i both_words(std::uint64_t head, std::uint64_t tail) noexcept {
  return _mm_set_epi64x(static_cast<long long>(tail), static_cast<long long>(head));
}
inline __m128i both_words(std::uint32_t head, std::uint32_t tail) noexcept {
  return _mm_set_epi32(static_cast<int>(tail), static_cast<int>(head), static_cast<int>(tail),
                       static_cast<int>(head));
}

// A text of one to two words of `Word`'s size: its first and its last word, overlapping.
template <typename Word>
inline bool copy_two_words(char* out, const char* s, std::size_t n) noexcept {
  Word head;
  Word tail;
  std::memcpy(&head, s, sizeof head);
  std::memcpy(&tail, s + n - sizeof tail, sizeof tail);
  if (escape_mask(both_words(head, tail)) != 0) return false;
  std::memcpy(out, &head, sizeof head);
  std::memcpy(out + n - sizeof tail, &tail, sizeof tail);
  return true;
}

// See base::copy_plain_json_text (json_writer.hpp). A text shorter than 16 bytes (ids,
// codes, dates: half of a result's texts) is read and written in two overlapping words,
// every byte of the tested block one of the text's own, so nothing is padded or masked and
// nothing outside the text is read.
inline bool copy_plain_json_text(char* out, std::string_view text) noexcept {
  const char* s = text.data();
  const std::size_t n = text.size();
  if (n >= 16) {
    // Each block is tested and stored as it is loaded: no second pass to copy.
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      if (escape_mask(v) != 0) return false;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), v);
    }
    if (i < n) {
      // The last 16 bytes, overlapping bytes already found plain.
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
      if (escape_mask(v) != 0) return false;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n - 16), v);
    }
    return true;
  }
  if (n >= 8) return copy_two_words<std::uint64_t>(out, s, n);
  if (n >= 4) return copy_two_words<std::uint32_t>(out, s, n);
  if (n == 0) return true;
  // One to three bytes: the first, the middle and the last are all of them.
  const char first = s[0];
  const char middle = s[n / 2];
  const char last = s[n - 1];
  const __m128i v = _mm_setr_epi8(first, middle, last, first, middle, last, first, middle, last,
                                  first, middle, last, first, middle, last, first);
  if (escape_mask(v) != 0) return false;
  out[0] = first;
  out[n / 2] = middle;
  out[n - 1] = last;
  return true;
}
#else
inline bool copy_plain_json_text(char* out, std::string_view text) noexcept {
  return base::copy_plain_json_text(out, text);
}
#endif

// Room `write_plain_json_string` needs at `out` past the text itself: the quotes, and the
// 16 bytes copy_plain_json_text may store past the text.
inline constexpr std::size_t kPlainJsonStringRoom = 2 + 16;

// `text` as a JSON string ('"', the text, '"') at `out`, which has the text's size plus
// kPlainJsonStringRoom bytes of room, when it needs no escaping: returns the end, or nullptr
// (what was stored is not to be used) when it does.
inline char* write_plain_json_string(char* out, std::string_view text) noexcept {
  if (!copy_plain_json_text(out + 1, text)) return nullptr;
  out[0] = '"';
  out[text.size() + 1] = '"';
  return out + text.size() + 2;
}

}  // namespace safeguard::base::plain
