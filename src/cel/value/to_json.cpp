#include "cel/value/to_json.hpp"

#include <cmath>
#include <cstring>

#include "cel/lib/number_format.hpp"
#include "cel/value/ops.hpp"
#include "time/civil.hpp"
#include "time/date.hpp"
#include "time/duration.hpp"
#include "time/timestamp.hpp"

namespace safeguard::cel {

namespace {

constexpr std::int64_t kMaxSafeInteger = 9007199254740992;  // 2^53

std::string key_text(const Value& k) {
  switch (k.kind) {
    case ValueKind::kString:
      return std::string(k.str());
    case ValueKind::kInt:
      return std::to_string(k.i);
    case ValueKind::kUint:
      return std::to_string(k.u);
    case ValueKind::kBool:
      return k.b ? "true" : "false";
    default:
      return runtime_type_name(k);
  }
}

}  // namespace

std::string base64(std::string_view data) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const std::uint32_t n = (static_cast<unsigned char>(data[i]) << 16) |
                            (static_cast<unsigned char>(data[i + 1]) << 8) |
                            static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < data.size()) {
    std::uint32_t n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

namespace {

// "00" to "99": a date's digits are read two at a time instead of divided out one by one.
struct DigitPairs {
  char text[200] = {};
  constexpr DigitPairs() {
    for (int i = 0; i < 100; ++i) {
      text[2 * i] = static_cast<char>('0' + i / 10);
      text[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
  }
};
constexpr DigitPairs kDigitPairs;

char* put_pair(char* p, std::uint32_t n) {
  std::memcpy(p, kDigitPairs.text + 2 * n, 2);
  return p + 2;
}

}  // namespace

void append_date(std::string& out, std::int64_t days, bool quoted) {
  if (days < time::kMinDay || days > time::kMaxDay) {  // outside CEL's range: the general formatter
    if (quoted) out += '"';
    out += time::format_date(days);
    if (quoted) out += '"';
    return;
  }
  const time::CivilDate c = time::civil_from_days(days);
  const auto y = static_cast<std::uint32_t>(c.year);
  char buf[12];
  char* p = buf;
  if (quoted) *p++ = '"';
  p = put_pair(p, y / 100);
  p = put_pair(p, y % 100);
  *p++ = '-';
  p = put_pair(p, c.month);
  *p++ = '-';
  p = put_pair(p, c.day);
  if (quoted) *p++ = '"';
  out.append(buf, static_cast<std::size_t>(p - buf));
}

namespace {

// Writes `v` to `out` (which appends to `text`); false, with the text partly written, as
// soon as the text passes `max_bytes`. The check is per element, so a value whose
// elements are small is never written far past the limit.
bool write_json(base::JsonWriter& out, const std::string& text, const Value& v,
                std::size_t max_bytes) {
  switch (v.kind) {
    case ValueKind::kNull:
      out.null();
      break;
    case ValueKind::kBool:
      out.boolean(v.b);
      break;
    case ValueKind::kInt:
      if (v.i > kMaxSafeInteger || v.i < -kMaxSafeInteger) {
        out.string(std::to_string(v.i));
      } else {
        out.integer(v.i);
      }
      break;
    case ValueKind::kUint:
      if (v.u > static_cast<std::uint64_t>(kMaxSafeInteger)) {
        out.string(std::to_string(v.u));
      } else {
        out.uinteger(v.u);
      }
      break;
    case ValueKind::kDouble:
      if (std::isnan(v.d)) {
        out.string("NaN");
      } else if (std::isinf(v.d)) {
        out.string(v.d > 0 ? "Infinity" : "-Infinity");
      } else {
        out.number(v.d);
      }
      break;
    case ValueKind::kString:
      out.string(v.str());
      break;
    case ValueKind::kBytes:
      out.string(base64(v.str()));
      break;
    case ValueKind::kList:
      out.begin_array();
      if (!for_each_element(
              v, [&](const Value& item) { return write_json(out, text, item, max_bytes); })) {
        return false;
      }
      out.end_array();
      break;
    case ValueKind::kMap:
      out.begin_object();
      if (v.is_json()) {
        const JsonDoc* d = v.doc;
        const std::uint32_t end = static_cast<std::uint32_t>(d->tape[v.aux]) - 1;
        for (std::uint32_t k = v.aux + 1; k < end; k = json_after(d, k + 1)) {
          out.key(json_string(d, k));
          if (!write_json(out, text, json_value(d, k + 1), max_bytes)) return false;
        }
      } else {
        for (std::uint32_t i = 0; i < v.map->size; ++i) {
          out.key(key_text(v.map->keys[i]));
          if (!write_json(out, text, v.map->values[i], max_bytes)) return false;
        }
      }
      out.end_object();
      break;
    case ValueKind::kTimestamp:
      out.string(time::format_timestamp(v.i, v.nanos()));
      break;
    case ValueKind::kDuration:
      out.string(time::format_duration(v.i, v.nanos()));
      break;
    case ValueKind::kDate: {
      // A date needs no escaping.
      std::string date_text;
      append_date(date_text, v.i, true);
      out.raw(date_text);
      break;
    }
    case ValueKind::kType:
      out.string(v.type->name);
      break;
    case ValueKind::kError:
      out.null();
      break;
  }
  return text.size() <= max_bytes;
}

}  // namespace

std::string to_json(const Value& v) {
  std::string s;
  to_json(v, SIZE_MAX, s);
  return s;
}

bool to_json(const Value& v, std::size_t max_bytes, std::string& out) {
  out.clear();
  base::JsonWriter w(out);
  return write_json(w, out, v, max_bytes);
}

}  // namespace safeguard::cel
