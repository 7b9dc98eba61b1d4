#include "proto_value.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

#include "cel/lib/number_format.hpp"
#include "cel/lib/type_values.hpp"
#include "cel/value/describe.hpp"
#include "cel/value/ops.hpp"
#include "time/duration.hpp"
#include "time/timestamp.hpp"

namespace safeguard::conformance {

namespace json = boost::json;

namespace {

bool fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

// Protobuf JSON writes bytes as standard base64 (padding optional).
bool decode_base64(std::string_view text, std::string* out) {
  auto digit = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    const int d = digit(c);
    if (d < 0) return false;
    bits = (bits << 6) | static_cast<unsigned>(d);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out->push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return true;
}

// int64Value and uint64Value are decimal strings in protobuf JSON (numbers are accepted too).
template <typename T>
bool integer_of(const json::value& v, T* out) {
  if (v.is_string()) {
    const std::string text(v.as_string());
    bool range = false;
    if constexpr (std::is_signed_v<T>) {
      auto parsed = cel::parse_int(text, &range);
      if (!parsed) return false;
      *out = *parsed;
    } else {
      auto parsed = cel::parse_uint(text, &range);
      if (!parsed) return false;
      *out = *parsed;
    }
    return true;
  }
  if (v.is_int64())
    *out = static_cast<T>(v.as_int64());
  else if (v.is_uint64())
    *out = static_cast<T>(v.as_uint64());
  else
    return false;
  return true;
}

bool double_of(const json::value& v, double* out) {
  if (v.is_number()) {
    *out = v.to_number<double>();
    return true;
  }
  if (!v.is_string()) return false;
  const json::string& s = v.as_string();
  if (s == "NaN")
    *out = std::nan("");
  else if (s == "Infinity")
    *out = HUGE_VAL;
  else if (s == "-Infinity")
    *out = -HUGE_VAL;
  else
    return false;
  return true;
}

void quote(std::string& out, std::string_view text, bool bytes) {
  out += bytes ? "b\"" : "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7F || (bytes && c >= 0x80)) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void render_into(std::string& out, const cel::Value& v) {
  using cel::ValueKind;
  switch (v.kind) {
    case ValueKind::kNull:
      out += "null";
      return;
    case ValueKind::kBool:
      out += v.b ? "true" : "false";
      return;
    case ValueKind::kInt:
      out += std::to_string(v.i);
      return;
    case ValueKind::kUint:
      out += std::to_string(v.u) + "u";
      return;
    case ValueKind::kDouble: {
      std::string text = cel::format_double(v.d);
      // Keep doubles recognisable next to ints: 1 is shown as 1.0.
      if (text.find_first_of(".eIN") == std::string::npos) text += ".0";
      out += text;
      return;
    }
    case ValueKind::kString:
    case ValueKind::kBytes:
      quote(out, v.str(), v.kind == ValueKind::kBytes);
      return;
    case ValueKind::kList: {
      out += '[';
      bool first = true;
      cel::for_each_element(v, [&](const cel::Value& item) {
        if (!first) out += ", ";
        first = false;
        render_into(out, item);
        return true;
      });
      out += ']';
      return;
    }
    case ValueKind::kMap: {
      if (v.is_json()) {
        out += "{json map}";
        return;
      }
      out += '{';
      for (std::uint32_t k = 0; k < v.map->size; ++k) {
        if (k > 0) out += ", ";
        render_into(out, v.map->keys[k]);
        out += ": ";
        render_into(out, v.map->values[k]);
      }
      out += '}';
      return;
    }
    case ValueKind::kTimestamp:
      out += "timestamp(\"" + time::format_timestamp(v.i, v.nanos()) + "\")";
      return;
    case ValueKind::kDuration:
      out += "duration(\"" + time::format_duration(v.i, v.nanos()) + "\")";
      return;
    case ValueKind::kDate:
      out += "date(" + std::to_string(v.i) + " days)";
      return;
    case ValueKind::kType:
      out += std::string("type(") + v.type->name + ")";
      return;
    case ValueKind::kError: {
      const cel::ErrorDescription what = cel::describe(*v.error);
      out += "error(" + what.kind + ": " + what.message + ")";
      return;
    }
    case ValueKind::kOptional:
      if (v.inner == nullptr) {
        out += "optional.none()";
      } else {
        out += "optional.of(";
        render_into(out, *v.inner);
        out += ')';
      }
      return;
  }
  out += "?";
}

}  // namespace

bool to_value(const json::value& json, cel::ConstantPool& pool, cel::Value* out,
              std::string* error) {
  if (!json.is_object() || json.as_object().size() != 1) {
    return fail(error, "a Value must be an object with one field: " + json::serialize(json));
  }
  const auto& [key, v] = *json.as_object().begin();
  if (key == "nullValue") {
    *out = cel::Value::null();
  } else if (key == "boolValue" && v.is_bool()) {
    *out = cel::Value::boolean(v.as_bool());
  } else if (key == "int64Value") {
    std::int64_t i = 0;
    if (!integer_of(v, &i)) return fail(error, "bad int64Value " + json::serialize(v));
    *out = cel::Value::integer(i);
  } else if (key == "uint64Value") {
    std::uint64_t u = 0;
    if (!integer_of(v, &u)) return fail(error, "bad uint64Value " + json::serialize(v));
    *out = cel::Value::uinteger(u);
  } else if (key == "doubleValue") {
    double d = 0;
    if (!double_of(v, &d)) return fail(error, "bad doubleValue " + json::serialize(v));
    *out = cel::Value::real(d);
  } else if (key == "stringValue" && v.is_string()) {
    *out = pool.string(std::string_view(v.as_string()));
  } else if (key == "bytesValue" && v.is_string()) {
    std::string data;
    if (!decode_base64(v.as_string(), &data)) return fail(error, "bad base64 in bytesValue");
    *out = pool.bytes(data);
  } else if (key == "typeValue" && v.is_string()) {
    const cel::TypeValue* t = cel::type_named(std::string_view(v.as_string()));
    if (t == nullptr) return fail(error, "unsupported type value " + json::serialize(v));
    *out = cel::Value::type_value(t);
  } else if (key == "listValue" && v.is_object()) {
    std::vector<cel::Value> items;
    if (const json::value* values = v.as_object().if_contains("values")) {
      for (const json::value& item : values->as_array()) {
        items.emplace_back();
        if (!to_value(item, pool, &items.back(), error)) return false;
      }
    }
    *out = pool.list(items);
  } else if (key == "mapValue" && v.is_object()) {
    std::vector<cel::Value> keys;
    std::vector<cel::Value> values;
    if (const json::value* entries = v.as_object().if_contains("entries")) {
      for (const json::value& entry : entries->as_array()) {
        const json::object& e = entry.as_object();
        if (!e.contains("key") || !e.contains("value")) return fail(error, "bad map entry");
        keys.emplace_back();
        values.emplace_back();
        if (!to_value(e.at("key"), pool, &keys.back(), error)) return false;
        if (!to_value(e.at("value"), pool, &values.back(), error)) return false;
      }
    }
    *out = pool.map(keys, values);
  } else {
    return fail(error, "unsupported Value " + json::serialize(json));
  }
  return true;
}

const cel::Type* to_type(const json::value& json, cel::TypeStore& store, std::string* error) {
  auto unsupported = [&] {
    *error = "unsupported type " + json::serialize(json);
    return nullptr;
  };
  if (!json.is_object() || json.as_object().empty()) return unsupported();
  const json::object& o = json.as_object();
  if (o.contains("dyn")) return cel::types::dyn();
  if (o.contains("null")) return cel::types::null_type();
  if (const json::value* p = o.if_contains("primitive")) {
    const std::string name(p->as_string());
    if (name == "BOOL") return cel::types::boolean();
    if (name == "INT64") return cel::types::int64();
    if (name == "UINT64") return cel::types::uint64();
    if (name == "DOUBLE") return cel::types::real();
    if (name == "STRING") return cel::types::string();
    if (name == "BYTES") return cel::types::bytes();
    return unsupported();
  }
  if (const json::value* w = o.if_contains("wellKnown")) {
    if (*w == "TIMESTAMP") return cel::types::timestamp();
    if (*w == "DURATION") return cel::types::duration();
    return unsupported();
  }
  if (const json::value* m = o.if_contains("messageType")) {
    if (*m == "google.protobuf.Timestamp") return cel::types::timestamp();
    if (*m == "google.protobuf.Duration") return cel::types::duration();
    return unsupported();
  }
  if (const json::value* l = o.if_contains("listType")) {
    const json::value* elem = l->as_object().if_contains("elemType");
    const cel::Type* e = elem ? to_type(*elem, store, error) : cel::types::dyn();
    return e ? store.list(e) : nullptr;
  }
  if (const json::value* m = o.if_contains("mapType")) {
    const json::value* k = m->as_object().if_contains("keyType");
    const json::value* v = m->as_object().if_contains("valueType");
    if (k == nullptr || v == nullptr) return unsupported();
    const cel::Type* kt = to_type(*k, store, error);
    const cel::Type* vt = kt ? to_type(*v, store, error) : nullptr;
    return vt ? store.map(kt, vt) : nullptr;
  }
  if (const json::value* a = o.if_contains("abstractType")) {
    // cel-go's optional_type(T) is the one abstract type safeguard has.
    const json::object& abstract = a->as_object();
    const json::value* params = abstract.if_contains("parameterTypes");
    if (abstract.if_contains("name") == nullptr || abstract.at("name") != "optional_type" ||
        params == nullptr || params->as_array().size() != 1) {
      return unsupported();
    }
    const cel::Type* held = to_type(params->as_array()[0], store, error);
    return held ? store.optional(held) : nullptr;
  }
  if (const json::value* t = o.if_contains("type")) {
    const cel::Type* denoted = to_type(*t, store, error);
    return denoted ? store.type_of(denoted) : nullptr;
  }
  return unsupported();
}

bool identical(const cel::Value& a, const cel::Value& b) {
  using cel::ValueKind;
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::kDouble:
      return a.d == b.d || (std::isnan(a.d) && std::isnan(b.d));
    case ValueKind::kList: {
      if (cel::list_size(a) != cel::list_size(b)) return false;
      std::vector<cel::Value> items;
      cel::for_each_element(b, [&](const cel::Value& v) {
        items.push_back(v);
        return true;
      });
      std::size_t k = 0;
      return cel::for_each_element(a,
                                   [&](const cel::Value& v) { return identical(v, items[k++]); });
    }
    case ValueKind::kMap: {
      if (a.is_json() || b.is_json()) return cel::equal_values(a, b);
      if (a.map->size != b.map->size) return false;
      for (std::uint32_t i = 0; i < b.map->size; ++i) {
        bool found = false;
        for (std::uint32_t j = 0; j < a.map->size && !found; ++j) {
          found = identical(a.map->keys[j], b.map->keys[i]) &&
                  identical(a.map->values[j], b.map->values[i]);
        }
        if (!found) return false;
      }
      return true;
    }
    case ValueKind::kType:
      return std::string_view(a.type->name) == b.type->name;
    case ValueKind::kError:
      return true;
    case ValueKind::kOptional:
      if (a.inner == nullptr || b.inner == nullptr) return a.inner == b.inner;
      return identical(*a.inner, *b.inner);
    default:
      return cel::equal_values(a, b);
  }
}

std::string render(const cel::Value& value) {
  std::string out;
  render_into(out, value);
  return out;
}

}  // namespace safeguard::conformance
