// The CEL encoders extension, as cel-go's ext.Encoders() defines it:
//
//   base64.encode(bytes) -> string   standard alphabet, with '=' padding
//   base64.decode(string) -> bytes   standard alphabet, padded or not (as cel-go, which
//                                    tries the padded form and then the unpadded one)
//
// Line breaks are skipped and unused bits after the last character ignored, as Go's
// decoder does; anything else (a character outside the alphabet, misplaced padding, a
// length no encoding produces) is an invalid argument.
#include <cstdint>
#include <string>
#include <string_view>

#include "cel/lib/arena_text.hpp"
#include "cel/lib/registry.hpp"
#include "cel/value/ops.hpp"

namespace safeguard::cel {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Each result is built in the arena at its final size (arena_text.hpp), so no temporary
// copy outside the memory budget exists.
Value encode(Frame& f, const Value* a) {
  const std::string_view in = a[0].str();
  return build_text(f, (std::uint64_t{in.size()} + 2) / 3 * 4, ValueKind::kString, [&](char* out) {
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
      const std::uint32_t n = static_cast<std::uint8_t>(in[i]) << 16 |
                              static_cast<std::uint8_t>(in[i + 1]) << 8 |
                              static_cast<std::uint8_t>(in[i + 2]);
      *out++ = kAlphabet[n >> 18 & 63];
      *out++ = kAlphabet[n >> 12 & 63];
      *out++ = kAlphabet[n >> 6 & 63];
      *out++ = kAlphabet[n & 63];
    }
    const std::size_t rest = in.size() - i;
    if (rest > 0) {
      std::uint32_t n = static_cast<std::uint8_t>(in[i]) << 16;
      if (rest == 2) n |= static_cast<std::uint8_t>(in[i + 1]) << 8;
      *out++ = kAlphabet[n >> 18 & 63];
      *out++ = kAlphabet[n >> 12 & 63];
      *out++ = rest == 2 ? kAlphabet[n >> 6 & 63] : '=';
      *out = '=';
    }
  });
}

// Line breaks are skipped, as Go's decoder skips them.
bool line_break(char c) noexcept {
  return c == '\r' || c == '\n';
}

// How many of `in`'s characters, line breaks skipped, carry data (padded to a multiple of
// four or not padded at all), or -1 if `in` is not base64.
std::int64_t data_length(std::string_view in) {
  std::size_t count = 0;
  char last = 0;
  char before_last = 0;
  for (const char c : in) {
    if (line_break(c)) continue;
    ++count;
    before_last = last;
    last = c;
  }
  std::size_t data = count;
  if (count % 4 == 0 && count > 0) {
    if (last == '=') --data;
    if (last == '=' && before_last == '=') --data;
  }
  if (data % 4 == 1) return -1;  // no encoding ends with a single character
  // Padding is all or nothing: a padded text's length is a multiple of four.
  if (data != count && count % 4 != 0) return -1;
  std::size_t seen = 0;
  for (const char c : in) {
    if (line_break(c)) continue;
    if (seen++ == data) break;
    if (sextet(c) < 0) return -1;
  }
  return static_cast<std::int64_t>(data);
}

Value decode(Frame& f, const Value* a) {
  const std::string_view in = a[0].str();
  const std::int64_t data = data_length(in);
  if (data < 0) {
    return make_error(f, ErrorCode::kInvalidArgument, "base64.decode(): the text is not base64");
  }
  // Every character carries six bits; left-over bits are ignored, as Go's (non-strict)
  // decoder ignores them.
  const std::uint64_t size = static_cast<std::uint64_t>(data) * 6 / 8;
  return build_text(f, size, ValueKind::kBytes, [&](char* out) {
    std::uint32_t acc = 0;
    int bits = 0;
    std::int64_t left = data;
    for (std::size_t i = 0; left > 0; ++i) {
      if (line_break(in[i])) continue;
      --left;
      acc = (acc << 6 | static_cast<std::uint32_t>(sextet(in[i]))) & 0xFFFFFF;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        *out++ = static_cast<char>(acc >> bits & 0xFF);
      }
    }
  });
}

}  // namespace

void register_encoders(FunctionRegistry& r) {
  r.add("base64_encode_bytes", "base64.encode", "bytes -> string", encode);
  r.add("base64_decode_string", "base64.decode", "string -> bytes", decode);
}

}  // namespace safeguard::cel
