#include "cel/value/json.hpp"

#include <algorithm>

namespace safeguard::cel {

std::uint32_t json_container_size_by_walking(const JsonDoc* d, std::uint32_t i) noexcept {
  const bool object = json_type(d, i) == '{';
  const std::uint32_t end = static_cast<std::uint32_t>(d->tape[i]) - 1;
  std::uint32_t n = 0;
  for (std::uint32_t k = i + 1; k < end; ++n) {
    if (object) k = json_after(d, k);  // skip the key
    k = json_after(d, k);
  }
  return n;
}

const ErrorData* json_invalid_error(const JsonDoc* d, std::uint32_t i) noexcept {
  if (i >= d->invalid_end || ((d->invalid_bits[i >> 6] >> (i & 63)) & 1) == 0) return nullptr;
  const std::uint32_t* end = d->invalid + d->invalid_count;
  const std::uint32_t* it = std::lower_bound(d->invalid, end, i);
  if (it != end && *it == i) return &d->invalid_errors[it - d->invalid];
  return nullptr;
}

bool json_find(const JsonDoc* d, std::uint32_t obj, std::string_view key,
               std::uint32_t* value_index) noexcept {
  const std::uint32_t end = static_cast<std::uint32_t>(d->tape[obj]) - 1;
  const auto size = static_cast<std::uint32_t>(key.size());
  std::uint32_t k = obj + 1;
  while (k < end) {
    const char* p = json_string_ptr(d, k);
    std::uint32_t n;
    std::memcpy(&n, p - 4, 4);
    // Most keys differ in length or first byte: check those before the whole key.
    if (n == size && (n == 0 || (p[0] == key[0] && same_key_bytes(p, key.data(), n)))) {
      *value_index = k + 1;
      return true;
    }
    k = json_after(d, k + 1);
  }
  return false;
}

namespace {

void append_pointer_token(std::string& out, std::string_view token) {
  out.push_back('/');
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

std::string json_pointer(const JsonDoc* d, std::uint32_t target) {
  std::string out;
  std::uint32_t at = d->root;
  while (at != target) {
    const char type = json_type(d, at);
    if (type != '{' && type != '[') return out;  // target not inside: give what we have
    const std::uint32_t end = static_cast<std::uint32_t>(d->tape[at]) - 1;
    std::uint32_t k = at + 1;
    std::uint32_t index = 0;
    bool descended = false;
    while (k < end) {
      std::uint32_t value = k;
      std::string_view key;
      if (type == '{') {
        key = json_string(d, k);
        value = k + 1;
      }
      const std::uint32_t next = json_after(d, value);
      if (target >= value && target < next) {
        if (type == '{') {
          append_pointer_token(out, key);
        } else {
          append_pointer_token(out, std::to_string(index));
        }
        at = value;
        descended = true;
        break;
      }
      k = next;
      ++index;
    }
    if (!descended) return out;
  }
  return out;
}

}  // namespace safeguard::cel
