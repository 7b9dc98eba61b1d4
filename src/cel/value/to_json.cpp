#include "cel/value/to_json.hpp"

#include <cmath>

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
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
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

void append_date(std::string& out, std::int64_t days, bool quoted) {
  const time::CivilDate c = time::civil_from_days(days);
  if (c.year < 1 || c.year > 9999) {  // outside CEL's range: the general formatter
    if (quoted) out += '"';
    out += time::format_date(days);
    if (quoted) out += '"';
    return;
  }
  const auto y = static_cast<std::uint32_t>(c.year);
  char buf[12];
  char* p = buf;
  if (quoted) *p++ = '"';
  *p++ = static_cast<char>('0' + y / 1000);
  *p++ = static_cast<char>('0' + y / 100 % 10);
  *p++ = static_cast<char>('0' + y / 10 % 10);
  *p++ = static_cast<char>('0' + y % 10);
  *p++ = '-';
  *p++ = static_cast<char>('0' + c.month / 10);
  *p++ = static_cast<char>('0' + c.month % 10);
  *p++ = '-';
  *p++ = static_cast<char>('0' + c.day / 10);
  *p++ = static_cast<char>('0' + c.day % 10);
  if (quoted) *p++ = '"';
  out.append(buf, static_cast<std::size_t>(p - buf));
}

void write_json(base::JsonWriter& out, const Value& v) {
  switch (v.kind) {
    case ValueKind::kNull:
      out.null();
      return;
    case ValueKind::kBool:
      out.boolean(v.b);
      return;
    case ValueKind::kInt:
      if (v.i > kMaxSafeInteger || v.i < -kMaxSafeInteger) {
        out.string(std::to_string(v.i));
      } else {
        out.integer(v.i);
      }
      return;
    case ValueKind::kUint:
      if (v.u > static_cast<std::uint64_t>(kMaxSafeInteger)) {
        out.string(std::to_string(v.u));
      } else {
        out.uinteger(v.u);
      }
      return;
    case ValueKind::kDouble:
      if (std::isnan(v.d)) {
        out.string("NaN");
      } else if (std::isinf(v.d)) {
        out.string(v.d > 0 ? "Infinity" : "-Infinity");
      } else {
        out.number(v.d);
      }
      return;
    case ValueKind::kString:
      out.string(v.str());
      return;
    case ValueKind::kBytes:
      out.string(base64(v.str()));
      return;
    case ValueKind::kList:
      out.begin_array();
      for_each_element(v, [&](const Value& item) {
        write_json(out, item);
        return true;
      });
      out.end_array();
      return;
    case ValueKind::kMap:
      out.begin_object();
      if (v.is_json()) {
        const JsonDoc* d = v.doc;
        const std::uint32_t end = static_cast<std::uint32_t>(d->tape[v.aux]) - 1;
        for (std::uint32_t k = v.aux + 1; k < end; k = json_after(d, k + 1)) {
          out.key(json_string(d, k));
          write_json(out, json_value(d, k + 1));
        }
      } else {
        for (std::uint32_t i = 0; i < v.map->size; ++i) {
          out.key(key_text(v.map->keys[i]));
          write_json(out, v.map->values[i]);
        }
      }
      out.end_object();
      return;
    case ValueKind::kTimestamp:
      out.string(time::format_timestamp(v.i, v.nanos()));
      return;
    case ValueKind::kDuration:
      out.string(time::format_duration(v.i, v.nanos()));
      return;
    case ValueKind::kDate: {
      // A date needs no escaping.
      std::string text;
      append_date(text, v.i, true);
      out.raw(text);
      return;
    }
    case ValueKind::kType:
      out.string(v.type->name);
      return;
    case ValueKind::kError:
      out.null();
      return;
  }
}

std::string to_json(const Value& v) {
  std::string s;
  if (v.kind == ValueKind::kDate) {
    append_date(s, v.i, true);
    return s;
  }
  base::JsonWriter w(s);
  write_json(w, v);
  return s;
}

}  // namespace safeguard::cel
