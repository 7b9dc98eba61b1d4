#include "cel/value/to_json.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "base/json_plain.hpp"
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

namespace {

// append_date into a std::string or a base::TextBuffer.
template <typename Out>
void append_date_to(Out& out, std::int64_t days, bool quoted) {
  if (days < time::kMinDay || days > time::kMaxDay) {  // outside CEL's range: the general formatter
    if (quoted) out.push_back('"');
    out.append(time::format_date(days));
    if (quoted) out.push_back('"');
    return;
  }
  const auto write = [&](char* p) {
    if (quoted) *p++ = '"';
    p = write_date(p, days);
    if (quoted) *p++ = '"';
    return p;
  };
  if constexpr (std::is_same_v<Out, base::TextBuffer>) {
    out.commit(write(out.tail(12)));  // in place
  } else {
    char buf[12];
    out.append(buf, static_cast<std::size_t>(write(buf) - buf));
  }
}

}  // namespace

void append_date(std::string& out, std::int64_t days, bool quoted) {
  append_date_to(out, days, quoted);
}
void append_date(base::TextBuffer& out, std::int64_t days, bool quoted) {
  append_date_to(out, days, quoted);
}

char* write_date(char* out, std::int64_t days) noexcept {
  const time::CivilDate c = time::civil_from_days(days);
  const auto y = static_cast<std::uint32_t>(c.year);
  char* p = out;
  p = put_pair(p, y / 100);
  p = put_pair(p, y % 100);
  *p++ = '-';
  p = put_pair(p, c.month);
  *p++ = '-';
  return put_pair(p, c.day);
}

namespace {

// The writer's output: a std::string (to_json, append_json) or a base::TextBuffer
// (append_json into a raised flag's text, RuleSet::evaluate_json), the same bytes.
void append_string(std::string& out, std::string_view s) {
  base::append_json_string(out, s);
}
void append_string(base::TextBuffer& out, std::string_view s) {
  char* const end = base::plain::write_plain_json_string(
      out.tail(s.size() + base::plain::kPlainJsonStringRoom), s);
  if (end != nullptr) {
    out.commit(end);
    return;
  }
  // Text to escape or check as UTF-8 (rare in facts): the general escaping.
  std::string text;
  base::append_json_string(text, s);
  out.append(text);
}

template <typename Out>
void append_integer(Out& out, std::int64_t v) {
  if (v >= 0 && v < 10) {  // counts, mostly
    out.push_back(static_cast<char>('0' + v));
    return;
  }
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

// Appends `v` as compact JSON (what base::JsonWriter writes without pretty printing, written
// straight into `out`: facts are rendered for every raised flag); false, with the text partly
// written, as soon as the text passes `max_bytes`. The check is per element, so a value whose
// elements are small is never written far past the limit.
template <typename Out>
bool write_json(Out& out, const Value& v, std::size_t max_bytes) {
  switch (v.kind) {
    case ValueKind::kNull:
    case ValueKind::kError:
      out += "null";
      break;
    case ValueKind::kBool:
      out += v.b ? "true" : "false";
      break;
    case ValueKind::kInt:
      if (v.i > kMaxSafeInteger || v.i < -kMaxSafeInteger) {
        append_string(out, std::to_string(v.i));
      } else {
        append_integer(out, v.i);
      }
      break;
    case ValueKind::kUint:
      if (v.u > static_cast<std::uint64_t>(kMaxSafeInteger)) {
        append_string(out, std::to_string(v.u));
      } else {
        append_integer(out, static_cast<std::int64_t>(v.u));
      }
      break;
    case ValueKind::kDouble:
      if (std::isnan(v.d)) {
        out += "\"NaN\"";
      } else if (std::isinf(v.d)) {
        out += v.d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
      } else {
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v.d);
        out.append(buf, static_cast<std::size_t>(r.ptr - buf));
      }
      break;
    case ValueKind::kString:
      append_string(out, v.str());
      break;
    case ValueKind::kBytes:
      append_string(out, base64(v.str()));
      break;
    case ValueKind::kList: {
      out.push_back('[');
      bool first = true;
      if (!for_each_element(v, [&](const Value& item) {
            if (!first) out.push_back(',');
            first = false;
            return write_json(out, item, max_bytes);
          })) {
        return false;
      }
      out.push_back(']');
      break;
    }
    case ValueKind::kMap:
      out.push_back('{');
      if (v.is_json()) {
        const JsonDoc* d = v.doc;
        const std::uint32_t end = static_cast<std::uint32_t>(d->tape[v.aux]) - 1;
        for (std::uint32_t k = v.aux + 1; k < end; k = json_after(d, k + 1)) {
          if (k != v.aux + 1) out.push_back(',');
          append_string(out, json_string(d, k));
          out.push_back(':');
          if (!write_json(out, json_value(d, k + 1), max_bytes)) return false;
        }
      } else {
        for (std::uint32_t i = 0; i < v.map->size; ++i) {
          if (i != 0) out.push_back(',');
          append_string(out, key_text(v.map->keys[i]));
          out.push_back(':');
          if (!write_json(out, v.map->values[i], max_bytes)) return false;
        }
      }
      out.push_back('}');
      break;
    case ValueKind::kTimestamp:
      append_string(out, time::format_timestamp(v.i, v.nanos()));
      break;
    case ValueKind::kDuration:
      append_string(out, time::format_duration(v.i, v.nanos()));
      break;
    case ValueKind::kDate:
      append_date(out, v.i, true);  // a date needs no escaping
      break;
    case ValueKind::kType:
      append_string(out, v.type->name);
      break;
    case ValueKind::kOptional:
      // JSON has no optional: the value held, or null for none.
      if (v.inner == nullptr) {
        out += "null";
      } else if (!write_json(out, *v.inner, max_bytes)) {
        return false;
      }
      break;
  }
  return out.size() <= max_bytes;
}

}  // namespace

std::string to_json(const Value& v) {
  std::string s;
  to_json(v, SIZE_MAX, s);
  return s;
}

bool to_json(const Value& v, std::size_t max_bytes, std::string& out) {
  out.clear();
  return write_json(out, v, max_bytes);
}

bool append_json(const Value& v, std::size_t max_bytes, std::string& out) {
  const std::size_t start = out.size();
  return write_json(out, v, max_bytes > SIZE_MAX - start ? SIZE_MAX : start + max_bytes);
}

bool append_json(const Value& v, std::size_t max_bytes, base::TextBuffer& out) {
  const std::size_t start = out.size();
  return write_json(out, v, max_bytes > SIZE_MAX - start ? SIZE_MAX : start + max_bytes);
}

}  // namespace safeguard::cel
