// A small streaming JSON writer: deterministic output, correct escaping, no allocation
// beyond the output string. Used for results, diagnostics and CEL values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace safeguard::base {

// Appends `text` as a JSON string literal (with quotes). Invalid UTF-8 bytes are
// replaced by U+FFFD so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view text);

// When `text` is printable ASCII other than '"' and '\\' (which append_json_string writes
// as it is between the quotes), copies it to `out` and gives true; otherwise (text to
// escape, or UTF-8 to check) gives false, with `out` holding anything. `out` needs room
// for text.size() + 16 bytes (whole 16-byte blocks are stored). For writers of JSON into a
// raw buffer.
bool copy_plain_json_text(char* out, std::string_view text) noexcept;

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, bool pretty = false) : out_(out), pretty_(pretty) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void key(std::string_view k);
  // A key that needs no escape (printable ASCII without '"' or '\\', such as the literal
  // keys of a fixed format): written without the scan key() makes.
  void plain_key(std::string_view k);
  void string(std::string_view s);
  void integer(std::int64_t v);
  void uinteger(std::uint64_t v);
  void number(double v);  // finite only; callers map NaN/Inf themselves
  void boolean(bool v);
  void null();
  // Inserts pre-serialised JSON as a value.
  void raw(std::string_view json);

 private:
  void value_prefix();
  void open(char c);
  void close(char c);
  void newline();

  std::string& out_;
  bool pretty_;
  int depth_ = 0;
  bool first_ = true;  // no element yet at this depth
  bool after_key_ = false;
};

}  // namespace safeguard::base
