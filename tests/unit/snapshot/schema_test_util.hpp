// Helpers shared by the schema tests: load a schema, parse and validate a snapshot, find
// a value by JSON pointer.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cel/value/json.hpp"
#include "snapshot/parsed_json.hpp"
#include "snapshot/schema.hpp"

namespace schema_test {

using safeguard::Diagnostic;
using safeguard::snapshot::JsonParser;
using safeguard::snapshot::ParsedJson;
using safeguard::snapshot::Schema;
using safeguard::snapshot::Violation;

inline std::string read_text(const std::string& relative) {
  std::ifstream in(std::string(SAFEGUARD_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::unique_ptr<Schema> load(const std::string& text,
                                    std::vector<Diagnostic>* out = nullptr) {
  std::vector<Diagnostic> diagnostics;
  auto schema = Schema::load(text, "test.schema.json", diagnostics);
  if (out != nullptr) *out = diagnostics;
  return schema;
}

inline const Schema& case_schema() {
  static const std::unique_ptr<Schema> schema =
      load(read_text("rules/schema/case-snapshot.schema.json"));
  return *schema;
}

inline void parse(const std::string& json, ParsedJson& out) {
  JsonParser parser;
  safeguard::snapshot::JsonError error;
  if (!parser.parse(json, out, &error)) throw std::runtime_error("bad test JSON: " + error.message);
}

// `text` with its first `from` replaced by `to`; `from` must be in it.
inline std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at_pos = text.find(from);
  REQUIRE(at_pos != std::string::npos);
  text.replace(at_pos, from.size(), to);
  return text;
}

inline std::vector<Violation> validate(const Schema& schema, const std::string& json,
                                       ParsedJson& out) {
  parse(json, out);
  return schema.validate(out);
}

// Tape index of the value at an RFC 6901 pointer (no escapes needed in tests).
inline std::uint32_t at(const ParsedJson& json, const std::string& pointer) {
  const safeguard::cel::JsonDoc* d = json.doc();
  std::uint32_t i = d->root;
  std::size_t pos = 0;
  while (pos < pointer.size()) {
    const std::size_t next = pointer.find('/', pos + 1);
    const std::string token =
        pointer.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    pos = next == std::string::npos ? pointer.size() : next;
    if (safeguard::cel::json_type(d, i) == '{') {
      if (!safeguard::cel::json_find(d, i, token, &i)) throw std::runtime_error("no " + pointer);
    } else {
      std::uint32_t k = i + 1;
      for (int n = std::stoi(token); n > 0; --n) k = safeguard::cel::json_after(d, k);
      i = k;
    }
  }
  return i;
}

inline safeguard::cel::Value value_at(const ParsedJson& json, const std::string& pointer) {
  return safeguard::cel::json_value(json.doc(), at(json, pointer));
}

// "code path expected" lines, for compact assertions.
inline std::vector<std::string> summary(const std::vector<Violation>& violations) {
  std::vector<std::string> out;
  for (const auto& v : violations) out.push_back(v.code + " " + v.path + " " + v.expected);
  return out;
}

inline std::string codes(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += (out.empty() ? "" : " ") + d.code;
  return out;
}

}  // namespace schema_test
