// The supported keywords (JSON Schema draft 2020-12, a subset), each checked and compiled
// into its node. A keyword not listed here is an error, "x-" extensions and the
// annotations excepted: a schema must not seem to enforce what the validator ignores.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "base/spelling.hpp"
#include "cel/lib/regex.hpp"
#include "snapshot/schema_load.hpp"

namespace safeguard::snapshot::schema {

namespace {

constexpr std::array<std::string_view, 7> kTypeNames = {"null",   "boolean", "object", "array",
                                                        "number", "integer", "string"};

std::uint8_t type_bit(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<std::uint8_t>(1u << i);
  }
  return 0;
}

std::string type_hint(std::string_view name) {
  if (name == "int") return "did you mean 'integer'?";
  if (name == "bool") return "did you mean 'boolean'?";
  if (name == "float" || name == "double") return "did you mean 'number'?";
  if (name == "list") return "did you mean 'array'?";
  std::string hint =
      base::did_you_mean(name, std::vector<std::string>(kTypeNames.begin(), kTypeNames.end()));
  return hint.empty() ? "the types are null, boolean, object, array, number, integer and string"
                      : hint;
}

class KeywordCompiler {
 public:
  KeywordCompiler(Loader& loader, std::uint32_t node, std::string_view name, std::uint32_t value,
                  Loader::Tokens& tokens, std::uint32_t depth)
      : l_(loader),
        d_(loader.doc()),
        node_(node),
        name_(name),
        value_(value),
        tokens_(tokens),
        depth_(depth) {}

  void run();

 private:
  // The node is re-fetched after every compile(): compiling subschemas grows the vector.
  Node& node() { return l_.tree().nodes[node_]; }
  char kind() const { return cel::json_type(d_, value_); }
  std::string where() const { return ", in the schema at " + l_.tree().nodes[node_].location; }

  void bad(const std::string& what, std::string hint = {}) {
    l_.error("schema.invalid-keyword", tokens_, false,
             "'" + std::string(name_) + "' " + what + where(), std::move(hint));
  }

  void unsupported();

 public:
  // One per keyword, called through kKeywords below.
  void type() {
    std::uint8_t bits = 0;
    if (kind() == '"') {
      const std::string_view t = cel::json_string(d_, value_);
      bits = type_bit(t);
      if (bits == 0) return bad("names an unknown type '" + std::string(t) + "'", type_hint(t));
    } else if (kind() == '[' && cel::json_container_size(d_, value_) > 0) {
      const std::uint32_t end = cel::json_after(d_, value_) - 1;
      for (std::uint32_t i = value_ + 1; i < end; i = cel::json_after(d_, i)) {
        if (cel::json_type(d_, i) != '"') return bad("must list type names (strings)");
        const std::string_view t = cel::json_string(d_, i);
        const std::uint8_t bit = type_bit(t);
        if (bit == 0) return bad("names an unknown type '" + std::string(t) + "'", type_hint(t));
        if ((bits & bit) != 0) return bad("lists the type '" + std::string(t) + "' twice");
        bits |= bit;
      }
    } else {
      return bad("must be a type name or a non-empty array of type names");
    }
    node().types = bits;
  }

  void properties() {
    if (kind() != '{') return bad("must be an object whose members are schemas");
    node().has_properties = true;
    const std::uint32_t end = cel::json_after(d_, value_) - 1;
    for (std::uint32_t k = value_ + 1; k < end; k = cel::json_after(d_, k + 1)) {
      tokens_.emplace_back(cel::json_string(d_, k));
      const std::uint32_t child = l_.compile(k + 1, tokens_, depth_ + 1);
      tokens_.pop_back();
      node().properties.push_back(Property{std::string(cel::json_string(d_, k)), child});
    }
  }

  // Rules read a field's default where a snapshot leaves the field out, so it must be a
  // value the engine can stand in: an empty list ("absent means empty"), an empty object
  // or a scalar.
  void default_value() {
    const char k = kind();
    const bool supported = ((k == '[' || k == '{') && cel::json_container_size(d_, value_) == 0) ||
                           k == 't' || k == 'f' || k == 'n' || k == 'l' || k == 'u' || k == 'd' ||
                           k == '"';
    if (!supported) {
      return bad("must be [], {}, null, true, false, a number or a string",
                 "rules read the default where a snapshot leaves the field out; remove it or "
                 "give one of those");
    }
    node().default_tape = value_;
  }

  void required() {
    if (kind() != '[') return bad("must be an array of property names");
    const std::uint32_t end = cel::json_after(d_, value_) - 1;
    std::vector<std::string> names;
    for (std::uint32_t i = value_ + 1; i < end; i = cel::json_after(d_, i)) {
      if (cel::json_type(d_, i) != '"') return bad("must be an array of property names");
      std::string name(cel::json_string(d_, i));
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return bad("lists '" + name + "' twice");
      }
      names.push_back(std::move(name));
    }
    node().required = std::move(names);
  }

  void additional() {
    if (kind() == 't') {
      node().additional = Additional::kAllow;
    } else if (kind() == 'f') {
      node().additional = Additional::kDeny;
    } else {
      const std::uint32_t child = l_.compile(value_, tokens_, depth_ + 1);
      node().additional = Additional::kSchema;
      node().additional_node = child;
    }
  }

  void items() {
    if (kind() == '[') {
      return bad("must be one schema for every item",
                 "tuple validation (an array of schemas, or prefixItems) is not supported");
    }
    const std::uint32_t child = l_.compile(value_, tokens_, depth_ + 1);
    node().items = child;
  }

  void enumeration(bool is_const) {
    if (node().has_enum) {
      return bad("cannot be combined with '" + std::string(is_const ? "enum" : "const") +
                 "' in one schema");
    }
    std::vector<std::uint32_t> values;
    if (is_const) {
      values.push_back(value_);
    } else {
      if (kind() != '[' || cel::json_container_size(d_, value_) == 0) {
        return bad("must be a non-empty array of values");
      }
      const std::uint32_t end = cel::json_after(d_, value_) - 1;
      for (std::uint32_t i = value_ + 1; i < end; i = cel::json_after(d_, i)) values.push_back(i);
    }
    Node& n = node();
    n.has_enum = true;
    n.is_const = is_const;
    n.enum_tape = value_;
    std::vector<std::string> strings;
    for (std::uint32_t v : values) {
      if (cel::json_type(d_, v) != '"') {
        n.enum_values.push_back(v);
        continue;
      }
      std::string s(cel::json_string(d_, v));
      if (std::find(strings.begin(), strings.end(), s) == strings.end()) {
        strings.push_back(std::move(s));
      }
    }
    n.enum_keys.assign(strings);
  }

  void format() {
    if (kind() != '"') return bad("must be a string");
    const std::string_view f = cel::json_string(d_, value_);
    if (f == "date") {
      node().format = Format::kDate;
    } else if (f == "date-time") {
      node().format = Format::kDateTime;
    } else {
      l_.error("schema.unsupported-format", tokens_, false,
               "format '" + std::string(f) + "' is not supported" + where(),
               "only 'date' and 'date-time' are checked; remove the format or use a 'pattern'");
    }
  }

  void bound(Bound Node::*member) {
    const char k = kind();
    if (k != 'l' && k != 'u' && k != 'd') return bad("must be a number");
    double x;
    if (k == 'd') {
      std::memcpy(&x, &d_->tape[value_ + 1], sizeof x);
    } else if (k == 'l') {
      x = static_cast<double>(static_cast<std::int64_t>(d_->tape[value_ + 1]));
    } else {
      x = static_cast<double>(d_->tape[value_ + 1]);
    }
    (node().*member) = Bound{true, x};
  }

  void count(std::uint32_t Node::*member) {
    const char k = kind();
    double x = -1;
    if (k == 'l') {
      x = static_cast<double>(static_cast<std::int64_t>(d_->tape[value_ + 1]));
    } else if (k == 'u') {
      x = static_cast<double>(d_->tape[value_ + 1]);
    } else if (k == 'd') {
      std::memcpy(&x, &d_->tape[value_ + 1], sizeof x);
    }
    if (!(x >= 0) || std::floor(x) != x) return bad("must be a non-negative integer");
    (node().*member) =
        x >= static_cast<double>(kNoNode) ? kNoNode - 1 : static_cast<std::uint32_t>(x);
  }

  void pattern() {
    if (kind() != '"') return bad("must be a string (a regular expression)");
    const std::string_view text = cel::json_string(d_, value_);
    cel::CompiledRegex re = cel::compile_regex(text);
    if (!re.re) {
      l_.error("schema.invalid-pattern", tokens_, false,
               "'pattern' is not usable: " + re.error + where(),
               "patterns use RE2 syntax: no backreferences or lookaround");
      return;
    }
    node().pattern = std::move(re.re);
    node().pattern_text = std::string(text);
  }

  void ref() {
    if (kind() != '"') return bad("must be a string such as \"#/$defs/name\"");
    l_.add_ref(node_, std::string(cel::json_string(d_, value_)), tokens_);
  }

  void definitions() {
    if (kind() != '{') return bad("must be an object whose members are schemas");
    const std::uint32_t end = cel::json_after(d_, value_) - 1;
    for (std::uint32_t k = value_ + 1; k < end; k = cel::json_after(d_, k + 1)) {
      tokens_.emplace_back(cel::json_string(d_, k));
      l_.compile(k + 1, tokens_, depth_ + 1);
      tokens_.pop_back();
    }
  }

  void applicator(std::vector<std::uint32_t> Node::*member) {
    if (kind() != '[' || cel::json_container_size(d_, value_) == 0) {
      return bad("must be a non-empty array of schemas");
    }
    const std::uint32_t end = cel::json_after(d_, value_) - 1;
    std::uint32_t index = 0;
    for (std::uint32_t i = value_ + 1; i < end; i = cel::json_after(d_, i), ++index) {
      tokens_.push_back(std::to_string(index));
      const std::uint32_t child = l_.compile(i, tokens_, depth_ + 1);
      tokens_.pop_back();
      (node().*member).push_back(child);
    }
  }

 private:
  Loader& l_;
  const cel::JsonDoc* d_;
  std::uint32_t node_;
  std::string_view name_;
  std::uint32_t value_;
  Loader::Tokens& tokens_;
  std::uint32_t depth_;
};

struct KeywordHandler {
  std::string_view name;
  void (*compile)(KeywordCompiler&);  // null: an annotation, accepted and ignored
};

const KeywordHandler kKeywords[] = {
    {"type", [](KeywordCompiler& c) { c.type(); }},
    {"properties", [](KeywordCompiler& c) { c.properties(); }},
    {"required", [](KeywordCompiler& c) { c.required(); }},
    {"additionalProperties", [](KeywordCompiler& c) { c.additional(); }},
    {"items", [](KeywordCompiler& c) { c.items(); }},
    {"enum", [](KeywordCompiler& c) { c.enumeration(false); }},
    {"const", [](KeywordCompiler& c) { c.enumeration(true); }},
    {"format", [](KeywordCompiler& c) { c.format(); }},
    {"minimum", [](KeywordCompiler& c) { c.bound(&Node::minimum); }},
    {"maximum", [](KeywordCompiler& c) { c.bound(&Node::maximum); }},
    {"exclusiveMinimum", [](KeywordCompiler& c) { c.bound(&Node::exclusive_minimum); }},
    {"exclusiveMaximum", [](KeywordCompiler& c) { c.bound(&Node::exclusive_maximum); }},
    {"minLength", [](KeywordCompiler& c) { c.count(&Node::min_length); }},
    {"maxLength", [](KeywordCompiler& c) { c.count(&Node::max_length); }},
    {"minItems", [](KeywordCompiler& c) { c.count(&Node::min_items); }},
    {"maxItems", [](KeywordCompiler& c) { c.count(&Node::max_items); }},
    {"pattern", [](KeywordCompiler& c) { c.pattern(); }},
    {"$ref", [](KeywordCompiler& c) { c.ref(); }},
    {"$defs", [](KeywordCompiler& c) { c.definitions(); }},
    {"definitions", [](KeywordCompiler& c) { c.definitions(); }},
    {"anyOf", [](KeywordCompiler& c) { c.applicator(&Node::any_of); }},
    {"oneOf", [](KeywordCompiler& c) { c.applicator(&Node::one_of); }},
    {"allOf", [](KeywordCompiler& c) { c.applicator(&Node::all_of); }},
    {"$schema", nullptr},
    {"$id", nullptr},
    {"$comment", nullptr},
    {"title", nullptr},
    {"description", nullptr},
    {"default", [](KeywordCompiler& c) { c.default_value(); }},
    {"examples", nullptr},
    {"deprecated", nullptr},
    {"readOnly", nullptr},
    {"writeOnly", nullptr},
};

void KeywordCompiler::unsupported() {
  // JSON Schema keywords deliberately left out (as opposed to typing mistakes).
  static constexpr std::string_view kUnsupported =
      " patternProperties propertyNames dependentRequired dependentSchemas dependencies if "
      "then else not prefixItems contains minContains maxContains uniqueItems multipleOf "
      "minProperties maxProperties unevaluatedProperties unevaluatedItems $anchor $dynamicRef "
      "$dynamicAnchor $recursiveRef $recursiveAnchor $vocabulary ";
  std::string hint;
  if (kUnsupported.find(" " + std::string(name_) + " ") != std::string_view::npos) {
    hint = "the snapshot validator does not enforce it: remove it, or check it in a rule";
  } else {
    std::vector<std::string> names;
    for (const auto& k : kKeywords) names.emplace_back(k.name);
    hint = base::did_you_mean(name_, names);
    if (hint.empty()) hint = "extensions must start with 'x-'";
  }
  l_.error("schema.unsupported-keyword", tokens_, true,
           "unsupported keyword '" + std::string(name_) + "'" + where(), hint);
}

void KeywordCompiler::run() {
  for (const KeywordHandler& k : kKeywords) {
    if (k.name != name_) continue;
    if (k.compile != nullptr) k.compile(*this);
    return;
  }
  if (name_.substr(0, 2) != "x-") unsupported();
}

}  // namespace

void compile_keyword(Loader& loader, std::uint32_t node, std::string_view name, std::uint32_t value,
                     Loader::Tokens& tokens, std::uint32_t depth) {
  KeywordCompiler(loader, node, name, value, tokens, depth).run();
}

}  // namespace safeguard::snapshot::schema
