// The compiled form of a JSON Schema: a flat vector of nodes with every `$ref` resolved to
// a node index, property names and enum strings in KeySets for lookup without allocation,
// and the text of every violation's "expected" worked out once at load time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/parsed_json.hpp"
#include "snapshot/schema_keys.hpp"

namespace re2 {
class RE2;
}

namespace safeguard::snapshot::schema {

inline constexpr std::uint32_t kNoNode = 0xFFFFFFFFu;

// Limits on hostile schemas (named in their diagnostics).
inline constexpr std::size_t kMaxSchemaBytes = 4u << 20;
inline constexpr std::uint32_t kMaxDepth = 64;        // nesting of subschemas; chains of
                                                      // $ref/allOf/anyOf/oneOf at one value
inline constexpr std::uint32_t kMaxNodes = 20000;     // subschemas in the document
inline constexpr std::uint64_t kMaxExpansion = 4096;  // subschemas applied to one value

// JSON Schema's instance types, as bits of Node::types.
enum TypeBit : std::uint8_t {
  kTypeNull = 1,
  kTypeBoolean = 2,
  kTypeObject = 4,
  kTypeArray = 8,
  kTypeNumber = 16,
  kTypeInteger = 32,
  kTypeString = 64,
};

enum class Format : std::uint8_t { kNone, kDate, kDateTime };

enum class Additional : std::uint8_t { kAllow, kDeny, kSchema };

struct Property {
  std::string name;
  std::uint32_t node = kNoNode;
};

// A tape type's bit in a mask of them: its letter's low six bits, which differ between the
// tape's types (n t f " l u d { [ r).
constexpr std::uint64_t tape_type_bit(char t) {
  return std::uint64_t{1} << (static_cast<unsigned char>(t) & 63);
}

// How validation checks a member or array item, worked out once from its subschema
// (summarise_nodes) so the walk over an object's members needs no dispatch: the scalar
// classes that pass with no check at all, one string check, and the container type whose
// checks go straight to check_object or check_array (no applicators in the way). Any
// other value, and any scalar that fails, goes the general way, which reports it.
// The scalar classes, as masks of their tape types' bits (ValueCheck::accept: a value passes
// in place when its type's bit is set there, a single test).
enum ValueClass : std::uint64_t {
  kValueNull = tape_type_bit('n'),
  kValueBoolean = tape_type_bit('t') | tape_type_bit('f'),
  kValueString = tape_type_bit('"'),
  kValueInt = tape_type_bit('l'),  // a signed 64-bit integer on the tape
};

// The tape words of each scalar type (0 for a container, whose word says where it ends).
struct ValueClasses {
  std::uint8_t words[256] = {};
  constexpr ValueClasses() {
    for (char t : {'n', 't', 'f', '"'}) words[static_cast<unsigned char>(t)] = 1;
    for (char t : {'l', 'u', 'd'}) words[static_cast<unsigned char>(t)] = 2;
  }
};
inline constexpr ValueClasses kValueClasses;

struct Node;

enum class StringCheck : std::uint8_t { kNone, kDate, kDateTime, kEnum };

struct ValueCheck {
  std::uint64_t accept = 0;  // ValueClass bits: the tape types that pass
  StringCheck string = StringCheck::kNone;
  // The validation steps (budget and frames) validate() would charge on the way to `node`
  // for a scalar (0: none, checked in place) and for a container (its refs and itself).
  std::uint8_t steps = 0;
  std::uint8_t container_steps = 0;
  char container = 0;            // '{' or '[': such a value is walked directly; 0: never
  std::uint32_t node = kNoNode;  // the subschema that does the checks (after the refs)
  // That node, into Tree::nodes, which is complete when the checks are worked out.
  const Node* target = nullptr;
};

// A declared property as the member loop reads it: its name's length and first sixteen
// bytes (as KeySet keeps the first eight), with the masks that keep as many bytes of a
// word loaded from a snapshot key (which may be read past its end, see tape_key_prefix),
// its subschema and how its values are checked.
struct MemberCheck {
  std::uint64_t prefix = 0;
  std::uint64_t prefix2 = 0;         // key_prefix() of the bytes after the eighth
  std::uint64_t mask = 0;            // key_prefix() of as many 0xFF bytes as `prefix` has
  std::uint64_t mask2 = 0;           // the same for `prefix2`
  std::uint32_t size = 0xFFFFFFFFu;  // the sentinel after the last property matches nothing
  std::uint32_t node = kNoNode;
  ValueCheck check;
  // The property's place in the schema's order and its bit in the member loop's `seen`
  // (0 past the first 64, which are never its guess).
  std::uint32_t position = 0;
  std::uint64_t bit = 0;
};

struct Bound {
  bool set = false;
  double value = 0;
};

struct Node {
  std::string location;  // JSON pointer into the schema document, as a URI fragment: "#/$defs/x"

  bool never = false;      // the schema `false`
  std::uint8_t types = 0;  // TypeBits allowed by "type"; 0 when there is no "type"
  Format format = Format::kNone;

  Bound minimum, maximum, exclusive_minimum, exclusive_maximum;
  std::uint32_t min_length = 0, max_length = kNoNode;  // in code points
  std::uint32_t min_items = 0, max_items = kNoNode;
  std::shared_ptr<const re2::RE2> pattern;
  std::string pattern_text;

  bool has_properties = false;
  std::vector<Property> properties;         // in schema order
  KeySet property_keys;                     // name -> index into properties
  std::vector<std::string> required;        // as written
  std::uint64_t required_mask = 0;          // bit i: properties[i] is required (first 64)
  std::vector<std::string> required_other;  // required names not covered by the mask
  Additional additional = Additional::kAllow;
  std::uint32_t additional_node = kNoNode;
  std::uint32_t items = kNoNode;
  // Filled by summarise_nodes: one per property and a sentinel, and the items' check.
  std::vector<MemberCheck> members;
  ValueCheck items_check;
  std::uint32_t self = kNoNode;      // this node's index in Tree::nodes
  std::uint32_t property_count = 0;  // properties.size(), for the member loop at hand

  // "enum" and "const" (a one-value enum). Strings, the common case, are looked up in a
  // KeySet; other values are compared with the schema document's tape.
  bool has_enum = false;
  bool is_const = false;
  std::uint32_t enum_tape = kNoNode;       // the "enum" array or "const" value in Tree::document
  KeySet enum_keys;                        // the strings
  std::vector<std::uint32_t> enum_values;  // tape indexes in Tree::document

  std::uint32_t ref = kNoNode;
  std::vector<std::uint32_t> all_of, any_of, one_of;

  std::uint32_t default_tape = kNoNode;  // "default" in Tree::document: what rules read if absent

  std::string expected;       // "date (YYYY-MM-DD)", "integer >= 0", "one of: a, b"
  std::string error_message;  // "does not match the schema: expected ...", for ErrorData
};

// Which groups of checks a node has, so validation skips the others without touching
// the (large) Node.
enum CheckBit : std::uint8_t {
  kCheckNever = 1,         // the schema `false`
  kCheckString = 2,        // format, minLength, maxLength, pattern
  kCheckNumber = 4,        // minimum, maximum, exclusive bounds
  kCheckItems = 8,         // items, minItems, maxItems
  kCheckObject = 16,       // properties, required, additionalProperties
  kCheckEnum = 32,         // enum, const
  kCheckApplicators = 64,  // $ref, allOf, anyOf, oneOf
  kCheckOnlyRef = 128,     // with kCheckApplicators: a $ref and no other keyword
};

// What validation reads first for every value: 4 bytes per node, so the summaries of a
// whole schema stay in the L1 cache while a snapshot is walked.
struct NodeSummary {
  std::uint8_t types = 0;   // as Node::types
  std::uint8_t checks = 0;  // CheckBits
};

struct Tree {
  std::unique_ptr<ParsedJson> document;  // the schema itself: enum and const values
  std::vector<Node> nodes;
  std::vector<NodeSummary> summaries;  // one per node
  std::uint32_t root = 0;
};

// Fills Tree::summaries from the nodes, and each node's members and items_check.
void summarise_nodes(Tree& tree);

// Longest ref chain a ValueCheck looks through (its steps fit a byte).
inline constexpr std::uint32_t kMaxValueSteps = 16;
ValueCheck value_check(const Tree& tree, std::uint32_t index);

// Sends every member and item the general way (for tests comparing the two).
void clear_value_checks(Tree& tree);

// Index into node.properties, or -1.
inline int find_property(const Node& node, std::string_view key) noexcept {
  return node.property_keys.find(key);
}

inline bool enum_has_string(const Node& node, std::string_view s) noexcept {
  return node.enum_keys.find(s) >= 0;
}

}  // namespace safeguard::snapshot::schema
