// Reporting what validation finds: each violation with its path, code and expected text,
// and the marks that make rules reading a bad value undetermined. Paths are built only
// here, when something is wrong, from the chain of PathLinks on the stack.
#include "snapshot/schema_duplicates.hpp"
#include "snapshot/schema_validator.hpp"

namespace safeguard::snapshot::schema {

namespace {

struct KindInfo {
  const char* code;
  const char* message;
  bool marks;  // whether the value is marked invalid (not for what is absent or extra)
};

constexpr KindInfo kKinds[] = {
    {"schema.type", "has the wrong type", true},
    {"schema.range", "is outside the range of a 64-bit integer", true},
    {"schema.format", "is not in the required format", true},
    {"schema.enum", "is not one of the allowed values", true},
    {"schema.const", "is not the required value", true},
    {"schema.range", "is out of range", true},
    {"schema.length", "has the wrong length", true},
    {"schema.pattern", "does not match the required pattern", true},
    {"schema.item-count", "has the wrong number of items", true},
    {"schema.required", "is missing (required)", false},
    {"schema.additional-property", "has a property not in the schema", false},
    {"schema.no-alternative", "matches none of the allowed alternatives", true},
    {"schema.one-of", "matches more than one of the exclusive alternatives", true},
    {"schema.false", "is not allowed here", true},
    {"schema.too-deep", "is nested too deeply to validate", true},
};

static_assert(sizeof(kKinds) / sizeof(kKinds[0]) == static_cast<std::size_t>(Kind::kTooDeep) + 1,
              "one entry per Kind, in order");

constexpr const char* kTooComplexError =
    "does not match the schema: the snapshot could not be validated in bounded time";

}  // namespace

bool Validator::fail(Kind kind, const Node& n, std::uint32_t v, const PathLink* path,
                     std::string_view missing, std::uint32_t missing_node) {
  if (probing_) return false;
  const KindInfo& info = kKinds[static_cast<int>(kind)];
  if (info.marks) marks_.push_back(Mark{v, n.error_message.c_str()});
  if (found_.size() >= max_) return false;
  Violation out;
  out.code = info.code;
  out.message = info.message;
  if (kind == Kind::kFormat) {
    out.message = n.format == Format::kDate ? "is not a valid date (YYYY-MM-DD)"
                                            : "is not a valid date-time (RFC 3339)";
  }
  bool cut = false;
  out.path = build_path(path, &cut);
  if (kind == Kind::kRequired) {
    out.expected = missing_node != kNoNode ? t_.nodes[missing_node].expected : "a value";
    if (!cut) append_pointer_token(out.path, missing);
  } else if (kind == Kind::kAdditional) {
    out.expected = "only the properties the schema declares";
  } else {
    out.expected = n.expected;
  }
  if (cut) out.message += " (inside a property the schema does not declare)";
  found_.push_back(Found{v, std::move(out)});
  return false;
}

bool Validator::abort() {
  aborted_ = true;
  marks_.push_back(Mark{d_->root, kTooComplexError});
  Violation out;
  out.code = "schema.too-complex";
  out.message = "could not be validated: the schema applies too many checks to this snapshot";
  out.expected = t_.nodes[t_.root].expected;
  found_.push_back(Found{d_->root, std::move(out)});
  return false;
}

// Reports a key written twice in `object` (at `key`, first at `first`) and marks the
// values of both: naming the key only when the schema declares it.
void Validator::duplicate(const Node& n, std::uint32_t object, std::uint32_t first,
                          std::uint32_t key, const PathLink* path) {
  marks_.push_back(Mark{first + 1, kDuplicateKeyError});
  marks_.push_back(Mark{key + 1, kDuplicateKeyError});
  if (found_.size() >= max_) return;
  const std::string_view name = cel::json_string(d_, key);
  const bool declared = find_property(n, name) >= 0;
  Violation out;
  out.code = "schema.duplicate-key";
  out.expected = "each key at most once";
  bool cut = false;
  out.path = build_path(path, &cut);
  if (declared && !cut) {
    append_pointer_token(out.path, name);
    out.message = "appears more than once in its object";
  } else {
    out.message = "is an object with a key that appears more than once";
  }
  if (cut) out.message += " (inside a property the schema does not declare)";
  found_.push_back(Found{object, std::move(out)});
}

// Duplicate keys anywhere below a value no subschema walked into.
void Validator::check_subtree(std::uint32_t v, const PathLink* path) {
  std::vector<DuplicateKey> duplicates;
  find_duplicate_keys(d_, v, duplicates, static_cast<std::size_t>(-1));
  for (const DuplicateKey& dup : duplicates) {
    marks_.push_back(Mark{dup.first_key + 1, kDuplicateKeyError});
    marks_.push_back(Mark{dup.key + 1, kDuplicateKeyError});
    if (found_.size() >= max_) continue;
    Violation out;
    out.code = "schema.duplicate-key";
    out.expected = "each key at most once";
    bool cut = false;
    out.path = build_path(path, &cut);
    out.message = dup.object == v ? "is an object with a key that appears more than once"
                                  : "contains an object with a key that appears more than once";
    if (cut) out.message += " (inside a property the schema does not declare)";
    found_.push_back(Found{dup.object, std::move(out)});
  }
}

std::string Validator::build_path(const PathLink* path, bool* cut) const {
  std::vector<const PathLink*> links;
  for (const PathLink* p = path; p != nullptr; p = p->up) links.push_back(p);
  std::string out;
  *cut = false;
  for (auto it = links.rbegin(); it != links.rend(); ++it) {
    const PathLink& link = **it;
    if (!link.declared) {
      *cut = true;
      break;
    }
    if (link.key != kNoNode) {
      append_pointer_token(out, cel::json_string(d_, link.key));
    } else {
      append_pointer_token(out, std::to_string(link.index));
    }
  }
  return out;
}

}  // namespace safeguard::snapshot::schema
