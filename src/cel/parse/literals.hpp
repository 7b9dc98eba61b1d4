// Decoding of CEL literal tokens: numbers with their range checks, strings and bytes
// with their escapes (cel-spec langdef, "String and Bytes Values").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cel/ast/ast.hpp"

namespace safeguard::cel {

// Why a literal does not decode. `offset` is relative to the start of the token text.
struct LiteralError {
  std::uint32_t offset = 0;
  std::uint32_t length = 1;
  std::string message;
  std::string hint;
};

// `text` is the token text (digits, optional 0x prefix, optional u suffix). `negative`
// folds a unary minus written before the literal, so that -9223372036854775808 fits.
bool decode_int(std::string_view text, bool negative, std::int64_t& value, LiteralError& error);
bool decode_uint(std::string_view text, std::uint64_t& value, LiteralError& error);
// Overflow is an error; underflow gives zero (or a subnormal), as in other CEL parsers.
bool decode_double(std::string_view text, bool negative, double& value, LiteralError& error);

// A string or bytes token, prefix and quotes included, to a kString or kBytes constant.
// The token text must be valid UTF-8 (the parser checks the whole expression first).
bool decode_string(std::string_view text, Constant& value, LiteralError& error);

}  // namespace safeguard::cel
