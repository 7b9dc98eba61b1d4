#include "snapshot/schema_load.hpp"

#include <algorithm>

#include "base/file_read.hpp"
#include "base/spelling.hpp"
#include "cel/value/to_json.hpp"
#include "snapshot/schema.hpp"
#include "snapshot/schema_duplicates.hpp"
#include "snapshot/schema_locate.hpp"
#include "snapshot/schema_report.hpp"
#include "snapshot/schema_validator.hpp"

namespace safeguard::snapshot::schema {

namespace {

// JSON nesting allowed in a schema document: subschemas nest two JSON levels at a time
// ("properties" then the name), and enum or const values may hold a little more.
constexpr std::uint32_t kMaxJsonDepth = 3 * kMaxDepth;

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A $ref is a URI reference, so its fragment may be percent-encoded ("%24defs").
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The unescaped tokens of a location such as "#/$defs/a~1b".
Loader::Tokens tokens_of(std::string_view location) {
  Loader::Tokens tokens;
  if (location.size() < 2) return tokens;
  std::string token;
  for (std::size_t i = 2; i <= location.size(); ++i) {
    if (i == location.size() || location[i] == '/') {
      tokens.push_back(token);
      token.clear();
    } else if (location[i] == '~' && i + 1 < location.size()) {
      token.push_back(location[i + 1] == '1' ? '/' : '~');
      ++i;
    } else {
      token.push_back(location[i]);
    }
  }
  return tokens;
}

}  // namespace

Loader::Loader(std::string_view text, const std::string& file_name, std::vector<Diagnostic>& out)
    : text_(text), file_(file_name), out_(out) {}

std::string Loader::location_of(const Tokens& tokens) {
  std::string out = "#";
  for (const std::string& t : tokens) append_pointer_token(out, t);
  return out;
}

void Loader::error(const char* code, const Tokens& tokens, bool at_key, std::string message,
                   std::string hint) {
  failed_ = true;
  if (!source_) source_ = std::make_unique<base::SourceText>(file_, std::string(text_));
  Diagnostic d;
  d.code = code;
  d.message = std::move(message);
  d.hint = std::move(hint);
  const std::uint32_t offset = locate_pointer(text_, tokens, at_key && !tokens.empty());
  const std::uint32_t length =
      at_key && !tokens.empty() ? static_cast<std::uint32_t>(tokens.back().size() + 2) : 1;
  base::place(d, *source_, offset, length);
  out_.push_back(std::move(d));
}

void Loader::error_at_location(const char* code, const std::string& location, std::string message,
                               std::string hint) {
  error(code, tokens_of(location), false, std::move(message), std::move(hint));
}

Diagnostic too_large(const std::string& file, std::uintmax_t size, bool exact) {
  Diagnostic d;
  d.code = "schema.too-large";
  d.file = file;
  d.message = "the schema is too large (" + base::size_in_bytes(size, exact) + "; the limit is " +
              std::to_string(kMaxSchemaBytes) + ")";
  return d;
}

void Loader::add_ref(std::uint32_t node, std::string target, const Tokens& tokens) {
  refs_.push_back(PendingRef{node, std::move(target), tokens});
}

std::unique_ptr<Tree> Loader::run() {
  if (text_.size() > kMaxSchemaBytes) {
    out_.push_back(too_large(file_, text_.size()));
    return nullptr;
  }
  tree_ = std::make_unique<Tree>();
  tree_->document = std::make_unique<ParsedJson>();
  JsonParser parser(JsonLimits{kMaxSchemaBytes, kMaxJsonDepth});
  JsonError json_error;
  if (!parser.parse(text_, *tree_->document, &json_error)) {
    source_ = std::make_unique<base::SourceText>(file_, std::string(text_));
    Diagnostic d;
    d.code = "schema.syntax";
    d.file = file_;
    d.message = "the schema is not valid JSON: " + json_error.message;
    if (json_error.line > 0) {
      d.line = json_error.line;
      d.column = json_error.column;
      d.source_line = std::string(source_->line_text(json_error.line));
    }
    out_.push_back(std::move(d));
    return nullptr;
  }
  check_duplicate_keys_in_schema();
  Tokens tokens;
  tree_->root = compile(doc()->root, tokens, 0);
  if (failed_) return nullptr;
  resolve_refs();
  if (failed_) return nullptr;
  check_defaults();
  if (failed_) return nullptr;
  check_schema_graph(*this);
  if (failed_) return nullptr;
  describe_nodes(*tree_);
  summarise_nodes(*tree_);
  validate_defaults();
  if (failed_) return nullptr;
  return std::move(tree_);
}

std::uint32_t Loader::compile(std::uint32_t tape, Tokens& tokens, std::uint32_t depth) {
  if (tree_->nodes.size() >= kMaxNodes) {
    if (!too_many_nodes_) {
      error("schema.too-large", tokens, false,
            "the schema has too many subschemas (the limit is " + std::to_string(kMaxNodes) + ")");
    }
    too_many_nodes_ = true;
    return kNoNode;
  }
  if (depth > kMaxDepth) {
    error("schema.too-deep", tokens, false,
          "subschemas nest too deeply at " + location_of(tokens) + " (the limit is " +
              std::to_string(kMaxDepth) + ")");
    return kNoNode;
  }
  const auto index = static_cast<std::uint32_t>(tree_->nodes.size());
  tree_->nodes.emplace_back();
  tree_->nodes[index].location = location_of(tokens);
  by_location_.emplace(tree_->nodes[index].location, index);
  const char type = cel::json_type(doc(), tape);
  if (type == 't' || type == 'f') {
    tree_->nodes[index].never = type == 'f';
    return index;
  }
  if (type != '{') {
    error("schema.invalid-schema", tokens, false,
          "expected a schema (an object, true or false) at " + location_of(tokens));
    return index;
  }
  const std::uint32_t end = cel::json_after(doc(), tape) - 1;
  for (std::uint32_t k = tape + 1; k < end; k = cel::json_after(doc(), k + 1)) {
    const std::string_view name = cel::json_string(doc(), k);
    tokens.emplace_back(name);
    compile_keyword(*this, index, name, k + 1, tokens, depth);
    tokens.pop_back();
  }
  finish_node(index);
  return index;
}

void Loader::finish_node(std::uint32_t index) {
  Node& n = tree_->nodes[index];
  // A property written twice is reported by check_duplicate_keys_in_schema; keep the first.
  std::vector<std::string> names;
  std::vector<Property> kept;
  for (Property& p : n.properties) {
    if (std::find(names.begin(), names.end(), p.name) != names.end()) continue;
    names.push_back(p.name);
    kept.push_back(std::move(p));
  }
  n.properties = std::move(kept);
  n.property_keys.assign(names);
  for (const std::string& name : n.required) {
    const int p = find_property(n, name);
    if (p >= 0 && p < 64) {
      n.required_mask |= std::uint64_t{1} << p;
    } else {
      n.required_other.push_back(name);
    }
  }
}

void Loader::resolve_refs() {
  std::vector<std::string> known;
  for (const auto& [location, node] : by_location_) {
    if (location.rfind("#/$defs/", 0) == 0 || location.rfind("#/definitions/", 0) == 0) {
      known.push_back(location);
    }
  }
  for (const PendingRef& r : refs_) {
    const std::string& where = tree_->nodes[r.node].location;
    if (r.target.empty() || r.target[0] != '#') {
      error("schema.external-ref", r.tokens, false,
            "'$ref' to '" + r.target + "' leaves this document, in the schema at " + where,
            "only references within the schema are supported, such as \"#/$defs/name\"");
      continue;
    }
    auto it = by_location_.find("#" + percent_decode(std::string_view(r.target).substr(1)));
    if (it == by_location_.end()) {
      std::string hint = base::did_you_mean(r.target, known);
      error("schema.unresolved-ref", r.tokens, false,
            "'$ref' '" + r.target + "' does not lead to a schema in this document" +
                ", in the schema at " + where,
            hint.empty() ? "write it as a JSON pointer such as \"#/$defs/name\"" : hint);
      continue;
    }
    tree_->nodes[r.node].ref = it->second;
  }
}

namespace {

// The JSON Schema types a JSON value of tape kind `kind` has.
std::uint8_t type_bits(char kind) {
  switch (kind) {
    case '[':
      return kTypeArray;
    case '{':
      return kTypeObject;
    case 'n':
      return kTypeNull;
    case 't':
    case 'f':
      return kTypeBoolean;
    case 'l':
    case 'u':
      return kTypeInteger | kTypeNumber;
    case 'd':
      return kTypeNumber;
    case '"':
      return kTypeString;
    default:
      return 0;
  }
}

}  // namespace

// The types a node allows as far as "type" says: its own, else its $ref target's (a default
// beside a $ref is read as the target's type), else those of its enum's values, else those
// any anyOf/oneOf branch allows; 0 when nothing says, or when finding out would visit more
// than `budget` more nodes (a diamond of anyOfs has exponentially many paths).
std::uint8_t Loader::allowed_types(std::uint32_t index, std::uint32_t depth,
                                   std::uint32_t& budget) const {
  for (std::uint32_t hops = 0; index != kNoNode && hops < kMaxDepth; ++hops) {
    if (budget == 0) return 0;
    --budget;
    const Node& n = tree_->nodes[index];
    if (n.types != 0) return n.types;
    const auto& branches = !n.any_of.empty() ? n.any_of : n.one_of;
    if (n.ref == kNoNode && !n.has_enum && !branches.empty() && depth < kMaxDepth) {
      std::uint8_t bits = 0;
      for (std::uint32_t b : branches) {
        const std::uint8_t branch = allowed_types(b, depth + 1, budget);
        if (branch == 0) return 0;  // a branch that allows any type
        bits |= branch;
      }
      return bits;
    }
    if (n.has_enum) {
      const cel::JsonDoc* d = doc();
      if (n.is_const) return type_bits(cel::json_type(d, n.enum_tape));
      std::uint8_t bits = 0;
      const std::uint32_t end = cel::json_after(d, n.enum_tape) - 1;
      for (std::uint32_t i = n.enum_tape + 1; i < end; i = cel::json_after(d, i)) {
        bits |= type_bits(cel::json_type(d, i));
      }
      return bits;
    }
    index = n.ref;
  }
  return 0;
}

void Loader::check_defaults() {
  for (std::uint32_t i = 0; i < tree_->nodes.size(); ++i) {
    const Node& n = tree_->nodes[i];
    if (n.default_tape == kNoNode) continue;
    auto budget = static_cast<std::uint32_t>(kMaxExpansion);
    const std::uint8_t allowed = allowed_types(i, 0, budget);
    if (allowed == 0) continue;
    if ((type_bits(cel::json_type(doc(), n.default_tape)) & allowed) == 0) {
      error_at_location(
          "schema.invalid-default", n.location,
          "'default' is not of the type this schema allows, in the schema at " + n.location,
          "rules read the default where a snapshot leaves the field out");
    }
  }
}

// A default stands in for a value the snapshot left out, so it must be one the snapshot
// could have given: a date default that is not a date, a code outside the enum or a number
// below the minimum would reach rules that the schema promised such a value never reaches.
// check_defaults() has checked the type (before the graph is known to be sound); this
// checks everything else, with the validator itself, once the tree is complete.
void Loader::validate_defaults() {
  JsonParser parser(JsonLimits{kMaxSchemaBytes, kMaxJsonDepth});
  for (std::uint32_t i = 0; i < tree_->nodes.size(); ++i) {
    const Node& n = tree_->nodes[i];
    // An object's default is {}: it stands in for the object, and the required properties
    // it lacks read as missing (docs/snapshot-schema.md), so it is not held to "required".
    if (n.default_tape == kNoNode || cel::json_type(doc(), n.default_tape) == '{') continue;
    std::string text;
    if (!cel::to_json(cel::json_value(doc(), n.default_tape), kMaxSchemaBytes, text)) continue;
    ParsedJson value;
    JsonError json_error;
    if (!parser.parse(text, value, &json_error)) continue;
    const std::vector<Violation> found = Validator(*tree_, value, 1).run_at(i);
    if (found.empty()) continue;
    const Violation& v = found.front();
    std::string message = "'default' does not match the schema at " + n.location;
    if (!v.path.empty()) message += ": at " + v.path;
    message += ": " + v.message;
    // A format's message already names it ("is not a valid date (YYYY-MM-DD)").
    if (!v.expected.empty() && v.code != "schema.format") {
      message += " (expected " + v.expected + ")";
    }
    error_at_location("schema.invalid-default", n.location, std::move(message),
                      "rules read the default where a snapshot leaves the field out");
  }
}

void Loader::check_duplicate_keys_in_schema() {
  std::vector<DuplicateKey> duplicates;
  find_duplicate_keys(doc(), doc()->root, duplicates, 20);
  for (const DuplicateKey& dup : duplicates) {
    Tokens tokens = tokens_of("#" + cel::json_pointer(doc(), dup.object));
    const std::string key(cel::json_string(doc(), dup.key));
    tokens.push_back(key);
    error("schema.duplicate-key", tokens, true,
          "the key '" + key + "' appears more than once in the object at " +
              location_of(Tokens(tokens.begin(), tokens.end() - 1)),
          "JSON readers disagree on which one counts: keep one");
  }
}

void summarise_nodes(Tree& tree) {
  tree.summaries.clear();
  for (const Node& n : tree.nodes) {
    NodeSummary s;
    s.types = n.types;
    if (n.never) s.checks |= kCheckNever;
    if (n.format != Format::kNone || n.min_length > 0 || n.max_length != kNoNode || n.pattern) {
      s.checks |= kCheckString;
    }
    if (n.minimum.set || n.maximum.set || n.exclusive_minimum.set || n.exclusive_maximum.set) {
      s.checks |= kCheckNumber;
    }
    if (n.items != kNoNode || n.min_items > 0 || n.max_items != kNoNode) s.checks |= kCheckItems;
    if (n.has_properties || n.additional != Additional::kAllow || !n.required.empty()) {
      s.checks |= kCheckObject;
    }
    if (n.has_enum) s.checks |= kCheckEnum;
    if (n.ref != kNoNode || !n.all_of.empty() || !n.any_of.empty() || !n.one_of.empty()) {
      s.checks |= kCheckApplicators;
    }
    if (s.checks == kCheckApplicators && s.types == 0 && n.all_of.empty() && n.any_of.empty() &&
        n.one_of.empty()) {
      s.checks |= kCheckOnlyRef;
    }
    tree.summaries.push_back(s);
  }
  for (Node& n : tree.nodes) {
    n.self = static_cast<std::uint32_t>(&n - tree.nodes.data());
    n.property_count = static_cast<std::uint32_t>(n.properties.size());
    n.members.clear();
    for (const Property& property : n.properties) {
      MemberCheck m;
      const std::size_t size = property.name.size();
      const std::string ones(16, '\xff');
      m.prefix = key_prefix(property.name);
      m.mask = key_prefix(std::string_view(ones).substr(0, std::min<std::size_t>(size, 8)));
      if (size > 8) {
        m.prefix2 = key_prefix(std::string_view(property.name).substr(8));
        m.mask2 = key_prefix(std::string_view(ones).substr(0, std::min<std::size_t>(size - 8, 8)));
      }
      // Past the first 64, whose `seen` bits the member loop keeps, a property is never
      // the loop's guess: its key is looked up (match_key), which finds it all the same.
      m.size = n.members.size() < 64 ? static_cast<std::uint32_t>(size) : 0xFFFFFFFFu;
      m.node = property.node;
      m.check = value_check(tree, property.node);
      m.position = static_cast<std::uint32_t>(n.members.size());
      m.bit = n.members.size() < 64 ? std::uint64_t{1} << n.members.size() : 0;
      n.members.push_back(m);
    }
    n.members.emplace_back();
    n.items_check = value_check(tree, n.items);
  }
}

void clear_value_checks(Tree& tree) {
  for (Node& n : tree.nodes) {
    for (MemberCheck& m : n.members) m.check = ValueCheck{};
    n.items_check = ValueCheck{};
  }
}

// What a value needs to pass the node at `index` (see ValueCheck), from the same
// conditions check_member, descend, validate and check_scalar apply; the conservative
// answer (nothing in place) is always right, since the general way checks everything.
ValueCheck value_check(const Tree& tree, std::uint32_t index) {
  ValueCheck c;
  if (index == kNoNode) return c;
  std::uint32_t hops = 0;
  while ((tree.summaries[index].checks & kCheckOnlyRef) != 0) {
    if (++hops >= kMaxValueSteps) return c;
    index = tree.nodes[index].ref;
  }
  const NodeSummary s = tree.summaries[index];
  const Node& n = tree.nodes[index];
  if ((s.checks & (kCheckApplicators | kCheckNever)) != 0) return c;
  const auto allows = [&](std::uint8_t bit) { return s.types == 0 || (s.types & bit) != 0; };
  // A container goes through validate() (one step, and one per ref before it); it is
  // walked directly when validate() would only call check_object or check_array, and
  // that walk covers its members (descend() would otherwise check its subtree).
  if ((s.checks & kCheckEnum) == 0) {
    if (allows(kTypeObject) && (n.has_properties || n.additional != Additional::kAllow)) {
      c.container = '{';
    } else if (allows(kTypeArray) && n.items != kNoNode) {
      c.container = '[';
    }
  }
  c.container_steps = static_cast<std::uint8_t>(hops + 1);
  // A scalar is checked in place when its subschema is reached directly, else after
  // validate()'s steps for the refs and the target.
  const std::uint32_t steps = hops > 0 ? hops + 1 : 0;
  const bool no_enum = (s.checks & kCheckEnum) == 0;
  if (allows(kTypeNull) && no_enum) c.accept |= kValueNull;
  if (allows(kTypeBoolean) && no_enum) c.accept |= kValueBoolean;
  if (no_enum && (s.checks & kCheckNumber) == 0 &&
      (s.types == 0 || (s.types & (kTypeInteger | kTypeNumber)) == kTypeInteger)) {
    c.accept |= kValueInt;
  }
  if (allows(kTypeString)) {
    const std::uint8_t string_checks = s.checks & (kCheckString | kCheckEnum);
    const bool format_only =
        n.min_length == 0 && n.max_length == kNoNode && !n.pattern && n.format != Format::kNone;
    if (string_checks == 0) {
      c.accept |= kValueString;
    } else if (string_checks == kCheckEnum) {
      c.string = StringCheck::kEnum;
    } else if (string_checks == kCheckString && format_only) {
      c.string = n.format == Format::kDate ? StringCheck::kDate : StringCheck::kDateTime;
    }
  }
  c.steps = static_cast<std::uint8_t>(steps);
  c.node = index;
  c.target = &n;
  return c;
}

}  // namespace safeguard::snapshot::schema

namespace safeguard::snapshot {

Schema::Schema(std::unique_ptr<schema::Tree> tree) : tree_(std::move(tree)) {}
Schema::~Schema() = default;

std::unique_ptr<Schema> Schema::load(std::string_view json_text, const std::string& file_name,
                                     std::vector<Diagnostic>& diagnostics) {
  std::unique_ptr<schema::Tree> tree = schema::Loader(json_text, file_name, diagnostics).run();
  if (!tree) return nullptr;
  return std::unique_ptr<Schema>(new Schema(std::move(tree)));
}

}  // namespace safeguard::snapshot
