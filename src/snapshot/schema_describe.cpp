// The "expected" text of each node, written once at load time so that a violation costs
// no formatting: "date (YYYY-MM-DD)", "integer >= 0", "one of: police, school, ...",
// "string of at least 1 character", "date-time (RFC 3339) or null".
// Everything in it comes from the schema, never from a snapshot.
#include <string>

#include "snapshot/schema_json.hpp"
#include "snapshot/schema_load.hpp"

namespace safeguard::snapshot::schema {

namespace {

constexpr std::size_t kMaxExpectedBytes = 300;

std::string type_names(std::uint8_t types) {
  // "integer" is subsumed by "number".
  if ((types & kTypeNumber) != 0) types &= static_cast<std::uint8_t>(~kTypeInteger);
  static const char* const kNames[] = {"null",   "boolean", "object", "array",
                                       "number", "integer", "string"};
  std::string out;
  for (int i = 0; i < 7; ++i) {
    if ((types & (1u << i)) == 0) continue;
    if (!out.empty()) out += " or ";
    out += kNames[i];
  }
  return out;
}

std::string counted(std::uint32_t min, std::uint32_t max, const char* unit) {
  const std::string units = std::string(unit) + "s";
  if (min > 0 && max != kNoNode) {
    if (min == max) return std::to_string(min) + " " + (min == 1 ? unit : units);
    return std::to_string(min) + " to " + std::to_string(max) + " " + units;
  }
  if (min > 0) return "at least " + std::to_string(min) + " " + (min == 1 ? unit : units);
  if (max != kNoNode) return "at most " + std::to_string(max) + " " + (max == 1 ? unit : units);
  return {};
}

std::string constraints(const Node& n) {
  std::string out;
  auto add = [&out](const std::string& part, const char* separator) {
    if (part.empty()) return;
    if (!out.empty()) out += separator;
    out += part;
  };
  if (n.minimum.set) add(">= " + format_number(n.minimum.value), " and ");
  if (n.exclusive_minimum.set) add("> " + format_number(n.exclusive_minimum.value), " and ");
  if (n.maximum.set) add("<= " + format_number(n.maximum.value), " and ");
  if (n.exclusive_maximum.set) add("< " + format_number(n.exclusive_maximum.value), " and ");
  const std::string length = counted(n.min_length, n.max_length, "character");
  if (!length.empty()) add("of " + length, ", ");
  if (n.pattern) add("matching " + n.pattern_text, ", ");
  const std::string items = counted(n.min_items, n.max_items, "item");
  if (!items.empty()) add("with " + items, ", ");
  return out;
}

bool starts_with_noun(const std::string& s) {
  for (const char* noun : {"string", "integer", "number", "boolean", "object", "array", "date"}) {
    if (s.rfind(noun, 0) == 0) return true;
  }
  return false;
}

void shorten(std::string& s) {
  if (s.size() <= kMaxExpectedBytes) return;
  std::size_t cut = kMaxExpectedBytes - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  s += "...";
}

// Each node is described once and reused by the nodes that refer to it; the recursion
// follows $ref and alternatives, whose chains check_schema_graph keeps short and acyclic.
class Describer {
 public:
  explicit Describer(const Tree& tree)
      : t_(tree), memo_(tree.nodes.size()), done_(tree.nodes.size(), false) {}

  const std::string& describe(std::uint32_t index) {
    static const std::string kAny = "any value";
    if (index == kNoNode) return kAny;
    if (!done_[index]) {
      memo_[index] = compute(t_.nodes[index]);
      shorten(memo_[index]);
      done_[index] = true;
    }
    return memo_[index];
  }

 private:
  std::string compute(const Node& n) {
    if (n.never) return "nothing (the schema is false)";
    std::string base;
    bool nullable = (n.types & kTypeNull) != 0 && n.types != kTypeNull;
    if (n.has_enum) {
      base = enum_text(n);
      nullable = false;
    } else if (n.format != Format::kNone && (n.types == 0 || (n.types & kTypeString) != 0)) {
      base = n.format == Format::kDate ? "date (YYYY-MM-DD)" : "date-time (RFC 3339)";
      const std::string others =
          type_names(static_cast<std::uint8_t>(n.types & ~(kTypeString | kTypeNull)));
      if (!others.empty()) base += " or " + others;
    } else if (n.types != 0) {
      base = type_names(n.types == kTypeNull ? n.types
                                             : static_cast<std::uint8_t>(n.types & ~kTypeNull));
    } else if (n.ref != kNoNode) {
      base = describe(n.ref);
    } else if (!n.any_of.empty() || !n.one_of.empty()) {
      for (std::uint32_t b : n.any_of.empty() ? n.one_of : n.any_of) {
        if (!base.empty()) base += ", or ";
        base += describe(b);
        if (base.size() > kMaxExpectedBytes) break;
      }
    } else if (n.all_of.size() == 1) {
      base = describe(n.all_of[0]);
    } else if (n.has_properties || n.additional != Additional::kAllow || !n.required.empty()) {
      base = "object";
    } else if (n.items != kNoNode || n.min_items > 0 || n.max_items != kNoNode) {
      base = "array";
    } else if (n.min_length > 0 || n.max_length != kNoNode || n.pattern) {
      base = "string";
    } else if (n.minimum.set || n.maximum.set || n.exclusive_minimum.set ||
               n.exclusive_maximum.set) {
      base = "number";
    } else {
      base = "any value";
    }
    const std::string more = constraints(n);
    if (!more.empty()) base += " " + more;
    if (nullable) base += " or null";
    return base;
  }

  std::string enum_text(const Node& n) {
    const cel::JsonDoc* d = t_.document->doc();
    std::string out;
    if (n.is_const) {
      describe_json(out, d, n.enum_tape, true);
      return out;
    }
    out = "one of: ";
    const std::uint32_t end = cel::json_after(d, n.enum_tape) - 1;
    for (std::uint32_t i = n.enum_tape + 1; i < end; i = cel::json_after(d, i)) {
      if (i != n.enum_tape + 1) out += ", ";
      describe_json(out, d, i, false);
      if (out.size() > kMaxExpectedBytes) break;
    }
    return out;
  }

  const Tree& t_;
  std::vector<std::string> memo_;
  std::vector<bool> done_;
};

}  // namespace

void describe_nodes(Tree& tree) {
  Describer describer(tree);
  for (std::uint32_t i = 0; i < tree.nodes.size(); ++i) {
    std::string expected = describer.describe(i);
    Node& n = tree.nodes[i];
    n.error_message = "does not match the schema: expected ";
    if (starts_with_noun(expected)) {
      const char first = expected[0];
      n.error_message += (first == 'a' || first == 'i' || first == 'o') ? "an " : "a ";
    }
    n.error_message += expected;
    n.expected = std::move(expected);
  }
}

}  // namespace safeguard::snapshot::schema
