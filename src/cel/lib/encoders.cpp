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

Value encode(Frame& f, const Value* a) {
  const std::string_view in = a[0].str();
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t n = static_cast<std::uint8_t>(in[i]) << 16 |
                            static_cast<std::uint8_t>(in[i + 1]) << 8 |
                            static_cast<std::uint8_t>(in[i + 2]);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += kAlphabet[n >> 6 & 63];
    out += kAlphabet[n & 63];
  }
  const std::size_t rest = in.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint8_t>(in[i]) << 16;
    if (rest == 2) n |= static_cast<std::uint8_t>(in[i + 1]) << 8;
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += rest == 2 ? kAlphabet[n >> 6 & 63] : '=';
    out += '=';
  }
  return make_string(f, out);
}

// Decodes `in`, padded to a multiple of four or not padded at all; false if malformed.
bool decode_base64(std::string_view in, std::string& out) {
  std::size_t data = in.size();
  if (in.size() % 4 == 0 && !in.empty()) {
    if (in[data - 1] == '=') --data;
    if (in[data - 1] == '=') --data;
  }
  if (data % 4 == 1) return false;  // no encoding ends with a single character
  // Padding is all or nothing: a padded text's length is a multiple of four.
  if (data != in.size() && in.size() % 4 != 0) return false;
  out.reserve(data / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < data; ++i) {
    const int v = sextet(in[i]);
    if (v < 0) return false;
    acc = (acc << 6 | static_cast<std::uint32_t>(v)) & 0xFFFFFF;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>(acc >> bits & 0xFF);
    }
  }
  // Left-over bits are ignored, as Go's (non-strict) decoder ignores them.
  return true;
}

Value decode(Frame& f, const Value* a) {
  // Line breaks are skipped, as Go's decoder skips them.
  std::string text;
  for (const char c : a[0].str()) {
    if (c != '\r' && c != '\n') text += c;
  }
  std::string out;
  if (!decode_base64(text, out)) {
    return make_error(f, ErrorCode::kInvalidArgument, "base64.decode(): the text is not base64");
  }
  return make_bytes(f, out);
}

}  // namespace

void register_encoders(FunctionRegistry& r) {
  r.add("base64_encode_bytes", "base64.encode", "bytes -> string", encode);
  r.add("base64_decode_string", "base64.decode", "string -> bytes", decode);
}

}  // namespace safeguard::cel
