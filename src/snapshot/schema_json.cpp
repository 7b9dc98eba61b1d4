#include "snapshot/schema_json.hpp"

#include <cmath>

#include "cel/lib/number_format.hpp"

namespace safeguard::snapshot::schema {

namespace {

constexpr double kTwo63 = 9223372036854775808.0;
constexpr double kTwo64 = 18446744073709551616.0;
constexpr int kMaxEqualDepth = 128;

int sign_of(bool less, bool greater) noexcept {
  return less ? -1 : (greater ? 1 : 0);
}

double tape_double(const cel::JsonDoc* d, std::uint32_t i) noexcept {
  double x;
  std::memcpy(&x, &d->tape[i + 1], sizeof x);
  return x;
}

bool is_number(char t) noexcept {
  return t == 'l' || t == 'u' || t == 'd';
}

bool numbers_equal(const cel::JsonDoc* a, std::uint32_t i, const cel::JsonDoc* b,
                   std::uint32_t j) noexcept {
  const char ta = cel::json_type(a, i);
  const char tb = cel::json_type(b, j);
  if (tb == 'd') return compare_number(a, i, tape_double(b, j)) == 0;
  if (ta == 'd') return compare_number(b, j, tape_double(a, i)) == 0;
  const std::uint64_t x = a->tape[i + 1];
  const std::uint64_t y = b->tape[j + 1];
  if (ta == tb) return x == y;
  // One signed, one unsigned: equal only when the signed one is non-negative.
  const std::uint64_t signed_bits = ta == 'l' ? x : y;
  return static_cast<std::int64_t>(signed_bits) >= 0 && x == y;
}

bool equal_at(const cel::JsonDoc* a, std::uint32_t i, const cel::JsonDoc* b, std::uint32_t j,
              int depth) noexcept {
  const char ta = cel::json_type(a, i);
  const char tb = cel::json_type(b, j);
  if (is_number(ta) && is_number(tb)) return numbers_equal(a, i, b, j);
  if (ta != tb) return false;
  if (depth > kMaxEqualDepth) return false;
  switch (ta) {
    case '"':
      return cel::json_string(a, i) == cel::json_string(b, j);
    case '[': {
      if (cel::json_container_size(a, i) != cel::json_container_size(b, j)) return false;
      const std::uint32_t end = cel::json_after(a, i) - 1;
      std::uint32_t k = i + 1;
      std::uint32_t m = j + 1;
      for (; k < end; k = cel::json_after(a, k), m = cel::json_after(b, m)) {
        if (!equal_at(a, k, b, m, depth + 1)) return false;
      }
      return true;
    }
    case '{': {
      if (cel::json_container_size(a, i) != cel::json_container_size(b, j)) return false;
      const std::uint32_t end = cel::json_after(a, i) - 1;
      for (std::uint32_t k = i + 1; k < end; k = cel::json_after(a, k + 1)) {
        std::uint32_t other = 0;
        if (!cel::json_find(b, j, cel::json_string(a, k), &other)) return false;
        if (!equal_at(a, k + 1, b, other, depth + 1)) return false;
      }
      return true;
    }
    default:
      return true;  // 't', 'f', 'n'
  }
}

}  // namespace

int compare_number(const cel::JsonDoc* d, std::uint32_t i, double bound) noexcept {
  switch (cel::json_type(d, i)) {
    case 'd': {
      const double x = tape_double(d, i);
      return sign_of(x<bound, x> bound);
    }
    case 'l': {
      const auto x = static_cast<std::int64_t>(d->tape[i + 1]);
      if (bound >= kTwo63) return -1;
      if (bound < -kTwo63) return 1;
      const double floor_bound = std::floor(bound);
      const auto whole = static_cast<std::int64_t>(floor_bound);
      if (x != whole) return sign_of(x<whole, x> whole);
      return floor_bound == bound ? 0 : -1;
    }
    case 'u': {
      const std::uint64_t x = d->tape[i + 1];
      if (bound < 0) return 1;
      if (bound >= kTwo64) return -1;
      const double floor_bound = std::floor(bound);
      const auto whole = static_cast<std::uint64_t>(floor_bound);
      if (x != whole) return sign_of(x<whole, x> whole);
      return floor_bound == bound ? 0 : -1;
    }
    default:
      return 0;
  }
}

bool json_equal(const cel::JsonDoc* a, std::uint32_t i, const cel::JsonDoc* b,
                std::uint32_t j) noexcept {
  return equal_at(a, i, b, j, 0);
}

bool fits_int64(double x) noexcept {
  return std::floor(x) == x && x >= -kTwo63 && x < kTwo63;
}

std::string format_number(double x) {
  return cel::format_double(x);
}

void describe_json(std::string& out, const cel::JsonDoc* d, std::uint32_t i, bool quote) {
  switch (cel::json_type(d, i)) {
    case '"':
      if (quote) out += '"';
      out += cel::json_string(d, i);
      if (quote) out += '"';
      break;
    case 'l':
      out += std::to_string(static_cast<std::int64_t>(d->tape[i + 1]));
      break;
    case 'u':
      out += std::to_string(d->tape[i + 1]);
      break;
    case 'd':
      out += format_number(tape_double(d, i));
      break;
    case 't':
      out += "true";
      break;
    case 'f':
      out += "false";
      break;
    case '{':
      out += "an object";
      break;
    case '[':
      out += "a list";
      break;
    default:
      out += "null";
      break;
  }
}

}  // namespace safeguard::snapshot::schema
