// The CEL types of a schema, for the checker.
//
//   "string" -> string (a "format" is recorded on the object field, not a type of its own:
//   rules call date() on it), "integer" -> int, "number" -> double, "boolean" -> bool,
//   "array" -> list(items), an object with "properties" -> an ObjectType, an object without
//   -> map(string, additionalProperties or dyn), null only -> null_type,
//   ["T", "null"] -> T, several types or alternatives of different types -> dyn.
//
// An ObjectType lists the declared properties only. `extra` is set only when
// additionalProperties is a schema: `true` means a snapshot may carry more fields, not
// that rules may read them, so `c.severty` stays a check error with a suggestion.
#include <algorithm>
#include <cstring>

#include "snapshot/schema.hpp"
#include "snapshot/schema_tree.hpp"

namespace safeguard::snapshot::schema {

namespace {

class TypeBuilder {
 public:
  TypeBuilder(const Tree& tree, cel::TypeStore& store)
      : t_(tree),
        store_(store),
        memo_(tree.nodes.size(), nullptr),
        busy_(tree.nodes.size(), false) {}

  const cel::Type* type_of(std::uint32_t index, const std::string& name) {
    index = unalias(index);
    if (index == kNoNode) return cel::types::dyn();
    if (memo_[index] != nullptr) return memo_[index];
    // A recursion that comes back here before an object type could break it (a list of
    // lists of itself) has no finite CEL type: dyn.
    if (busy_[index]) return cel::types::dyn();
    busy_[index] = true;
    const cel::Type* type = compute(index, name);
    busy_[index] = false;
    memo_[index] = type;
    return type;
  }

 private:
  static bool is_pure_ref(const Node& n) {
    return n.ref != kNoNode && n.types == 0 && !n.has_properties && !n.has_enum &&
           n.items == kNoNode && n.format == Format::kNone && n.all_of.empty() &&
           n.any_of.empty() && n.one_of.empty();
  }

  // Follows nodes that are only a $ref (perhaps with annotations) to their target, so a
  // recursive schema reached through them still meets its own object type.
  std::uint32_t unalias(std::uint32_t index) const {
    for (std::uint32_t hops = 0; index != kNoNode && hops < kMaxDepth; ++hops) {
      if (!is_pure_ref(t_.nodes[index])) break;
      index = t_.nodes[index].ref;
    }
    return index;
  }

  // The kind the node's own keywords give: a type bit, 0 when they say nothing.
  static std::uint8_t own_kind(const Node& n, const cel::JsonDoc* schema_doc) {
    std::uint8_t types = static_cast<std::uint8_t>(n.types & ~kTypeNull);
    if (n.types == kTypeNull) return kTypeNull;
    if ((types & kTypeNumber) != 0) types &= static_cast<std::uint8_t>(~kTypeInteger);
    if (types != 0) return (types & (types - 1)) == 0 ? types : 0xFF;  // 0xFF: several
    if (n.has_properties || n.additional != Additional::kAllow || !n.required.empty()) {
      return kTypeObject;
    }
    if (n.items != kNoNode || n.min_items > 0 || n.max_items != kNoNode) return kTypeArray;
    if (n.has_enum) {
      if (n.enum_values.empty()) return kTypeString;
      std::uint8_t kind = n.enum_keys.empty() ? 0 : static_cast<std::uint8_t>(kTypeString);
      for (std::uint32_t v : n.enum_values) {
        const char t = cel::json_type(schema_doc, v);
        const std::uint8_t k = t == 'n' ? 0 : (t == 't' || t == 'f') ? kTypeBoolean : 0xFF;
        if (k == 0) continue;
        if (kind != 0 && kind != k) return 0xFF;
        kind = k;
      }
      return kind == 0 ? static_cast<std::uint8_t>(kTypeNull) : kind;
    }
    if (n.format != Format::kNone || n.min_length > 0 || n.max_length != kNoNode || n.pattern) {
      return kTypeString;
    }
    return 0;
  }

  const cel::Type* compute(std::uint32_t index, const std::string& name) {
    const Node& n = t_.nodes[index];
    if (n.never) return cel::types::dyn();
    switch (own_kind(n, t_.document->doc())) {
      case kTypeNull:
        return cel::types::null_type();
      case kTypeBoolean:
        return cel::types::boolean();
      case kTypeString:
        return cel::types::string();
      case kTypeInteger:
        return cel::types::int64();
      case kTypeNumber:
        return cel::types::real();
      case kTypeArray:
        return store_.list(type_of(n.items, name + "[]"));
      case kTypeObject:
        return object(index, name);
      case 0:
        return from_applicators(n, name);
      default:
        return cel::types::dyn();
    }
  }

  const cel::Type* object(std::uint32_t index, const std::string& name) {
    const Node& n = t_.nodes[index];
    if (!n.has_properties) {
      // A free-form object, unless an applicator says what it is.
      const cel::Type* applied = from_applicators(n, name);
      if (applied->kind == cel::TypeKind::kObject) return applied;
      const cel::Type* value = n.additional == Additional::kSchema
                                   ? type_of(n.additional_node, name + ".*")
                                   : cel::types::dyn();
      return store_.map(cel::types::string(), value);
    }
    cel::ObjectType* object = store_.new_object(name);
    const cel::Type* type = store_.object(object);
    memo_[index] = type;  // before the fields: they may refer back to this object
    std::vector<cel::ObjectField> fields;
    for (std::size_t p = 0; p < n.properties.size(); ++p) {
      const Property& property = n.properties[p];
      cel::ObjectField field;
      field.name = property.name;
      field.type = type_of(property.node, name + "." + property.name);
      field.required =
          std::find(n.required.begin(), n.required.end(), property.name) != n.required.end();
      field.format = format_of(property.node);
      field.codes = codes_of(property.node);
      field.when_absent = default_of(property.node);
      fields.push_back(std::move(field));
    }
    object->fields = std::move(fields);
    object->layout = index;
    if (n.additional == Additional::kSchema) {
      object->extra = type_of(n.additional_node, name + ".*");
    }
    return type;
  }

  // allOf: every branch holds, so the first that says anything is right. anyOf/oneOf:
  // one type only if every non-null alternative agrees.
  const cel::Type* from_applicators(const Node& n, const std::string& name) {
    if (n.ref != kNoNode) {
      const cel::Type* t = type_of(n.ref, name);
      if (!cel::is_dyn_or_error(t)) return t;
    }
    for (std::uint32_t b : n.all_of) {
      const cel::Type* t = type_of(b, name);
      if (!cel::is_dyn_or_error(t)) return t;
    }
    const auto& branches = !n.any_of.empty() ? n.any_of : n.one_of;
    const cel::Type* common = nullptr;
    for (std::uint32_t b : branches) {
      const cel::Type* t = type_of(b, name);
      if (t->kind == cel::TypeKind::kNull) continue;
      if (common != nullptr && common != t) return cel::types::dyn();
      common = t;
    }
    return common != nullptr ? common : cel::types::dyn();
  }

  // The strings of the enum (or const) of a string node, or of an array node's items,
  // looking through $ref and nullable anyOf/oneOf; empty when there is none.
  std::vector<std::string> codes_of(std::uint32_t index) const {
    index = unalias(index);
    if (index == kNoNode) return {};
    if (t_.nodes[index].items != kNoNode) index = unalias(t_.nodes[index].items);
    if (index == kNoNode) return {};
    // The node's own enum, else the union of an anyOf/oneOf whose every branch allowing text
    // is an enum: one branch open to other text means there is no list to check.
    std::vector<const Node*> found;
    if (t_.nodes[index].has_enum) found.push_back(&t_.nodes[index]);
    for (const auto* list : {&t_.nodes[index].any_of, &t_.nodes[index].one_of}) {
      if (!found.empty() || list->empty()) continue;
      std::vector<const Node*> branches;
      bool open = false;
      for (std::uint32_t b : *list) {
        const std::uint32_t target = unalias(b);
        if (target != kNoNode && t_.nodes[target].has_enum) {
          branches.push_back(&t_.nodes[target]);
        } else if (target == kNoNode || t_.nodes[target].types == 0 ||
                   (t_.nodes[target].types & kTypeString) != 0) {
          open = true;  // a branch that allows any text (e.g. with a pattern)
        }
      }
      if (!open) found = std::move(branches);
    }
    std::vector<std::string> out;
    const cel::JsonDoc* d = t_.document->doc();
    auto add = [&](std::uint32_t v) {
      if (cel::json_type(d, v) == '"') out.emplace_back(cel::json_string(d, v));
    };
    for (const Node* n : found) {
      if (n->is_const) {
        add(n->enum_tape);
      } else {
        const std::uint32_t end = cel::json_after(d, n->enum_tape) - 1;
        for (std::uint32_t i = n->enum_tape + 1; i < end; i = cel::json_after(d, i)) add(i);
      }
    }
    return out;
  }

  // The property's "default", written beside a $ref or on its target.
  cel::FieldDefault default_of(std::uint32_t index) const {
    std::uint32_t tape = kNoNode;
    for (std::uint32_t hops = 0; index != kNoNode && hops < kMaxDepth; ++hops) {
      const Node& n = t_.nodes[index];
      if (n.default_tape != kNoNode) {
        tape = n.default_tape;
        break;
      }
      if (!is_pure_ref(n)) break;
      index = n.ref;
    }
    cel::FieldDefault out;
    if (tape == kNoNode) return out;
    const cel::JsonDoc* d = t_.document->doc();
    using Kind = cel::FieldDefault::Kind;
    switch (cel::json_type(d, tape)) {
      case '[':
        out.kind = Kind::kEmptyList;
        break;
      case '{':
        out.kind = Kind::kEmptyObject;
        break;
      case 'n':
        out.kind = Kind::kNull;
        break;
      case 't':
      case 'f':
        out.kind = Kind::kBool;
        out.boolean = cel::json_type(d, tape) == 't';
        break;
      case 'l':
        out.kind = Kind::kInt;
        out.integer = static_cast<std::int64_t>(d->tape[tape + 1]);
        break;
      case 'u':
        out.kind = Kind::kUint;
        out.uinteger = d->tape[tape + 1];
        break;
      case 'd':
        out.kind = Kind::kDouble;
        std::memcpy(&out.real, &d->tape[tape + 1], sizeof out.real);
        break;
      case '"':
        out.kind = Kind::kString;
        out.text = std::string(cel::json_string(d, tape));
        break;
      default:
        break;
    }
    return out;
  }

  std::string format_of(std::uint32_t index) const {
    index = unalias(index);
    if (index == kNoNode) return {};
    const Node& n = t_.nodes[index];
    Format f = n.format;
    for (const auto* list : {&n.any_of, &n.one_of, &n.all_of}) {
      for (std::uint32_t b : *list) {
        const std::uint32_t target = unalias(b);
        if (f == Format::kNone && target != kNoNode) f = t_.nodes[target].format;
      }
    }
    return f == Format::kDate ? "date" : f == Format::kDateTime ? "date-time" : "";
  }

  const Tree& t_;
  cel::TypeStore& store_;
  std::vector<const cel::Type*> memo_;
  std::vector<bool> busy_;
};

}  // namespace

}  // namespace safeguard::snapshot::schema

namespace safeguard::snapshot {

const cel::Type* Schema::cel_type(cel::TypeStore& store) const {
  return schema::TypeBuilder(*tree_, store).type_of(tree_->root, "case");
}

}  // namespace safeguard::snapshot
