// Static CEL types, as the checker infers them.
//
// Types are immutable and compared by pointer: primitives are static singletons and a
// TypeStore interns every composite type it makes, so `a == b` is type equality.
// Object types describe JSON objects of the declared snapshot schema (and of `params`):
// their fields are known, so a misspelt field is a check error with a suggestion.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace safeguard::cel {

enum class TypeKind : std::uint8_t {
  kDyn,
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  kTimestamp,
  kDuration,
  kDate,
  kType,      // a type value: `type(x)`, `int`
  kError,     // the type of an expression that failed to check
  kParam,     // a type parameter in a function declaration (A, K, V)
  kObject,    // a JSON object with declared fields
  kOptional,  // cel-go's optional_type(T): p1 is T
};

struct ObjectType;

struct Type {
  Type() = default;
  explicit Type(TypeKind k) : kind(k) {}
  Type(TypeKind k, const Type* a, const Type* b, std::string n, const ObjectType* o)
      : kind(k), p1(a), p2(b), name(std::move(n)), object(o) {}

  TypeKind kind = TypeKind::kDyn;
  const Type* p1 = nullptr;  // list element, map key, optional's value, or what a kType denotes
  const Type* p2 = nullptr;  // map value
  std::string name;          // kParam: its name; kObject: the object's name
  const ObjectType* object = nullptr;
};

// What a rule reads for a field the snapshot leaves out: the schema's "default" (JSON
// Schema's annotation, applied the way validators' "use defaults" options apply it), so
// that "absent means empty" is written once in the schema, not in every rule.
struct FieldDefault {
  enum class Kind : std::uint8_t {
    kNone,
    kNull,
    kEmptyList,
    kEmptyObject,
    kBool,
    kInt,
    kUint,
    kDouble,
    kString
  };
  Kind kind = Kind::kNone;
  bool boolean = false;
  std::int64_t integer = 0;
  std::uint64_t uinteger = 0;
  double real = 0;
  std::string text;
};

struct ObjectField {
  std::string name;
  const Type* type = nullptr;
  bool required = false;
  // JSON Schema "format" of a string field ("date", "date-time"), for diagnostics
  // that suggest date() around it.
  std::string format;
  // The strings the schema's `enum`/`const` allows for a string field, or for the items
  // of a list field (concern codes): a rule comparing with any other text is a typo.
  std::vector<std::string> codes;
  FieldDefault when_absent;
};

struct ObjectType {
  std::string name;  // e.g. "case.contacts[]" or a schema title
  std::vector<ObjectField> fields;
  // When set, fields not listed are allowed and typed `extra` (a map-like object).
  const Type* extra = nullptr;
  // For a type read from a snapshot schema: the schema node whose validation records where
  // each field of an object is (JsonDoc::layout_at), `fields` being in that node's order.
  std::uint32_t layout = kNoLayout;
  static constexpr std::uint32_t kNoLayout = 0xFFFFFFFFu;

  const ObjectField* find(const std::string& field) const noexcept;
  std::vector<std::string> field_names() const;
};

namespace types {
const Type* dyn() noexcept;
const Type* null_type() noexcept;
const Type* boolean() noexcept;
const Type* int64() noexcept;
const Type* uint64() noexcept;
const Type* real() noexcept;
const Type* string() noexcept;
const Type* bytes() noexcept;
const Type* timestamp() noexcept;
const Type* duration() noexcept;
const Type* date() noexcept;
const Type* error() noexcept;
}  // namespace types

// Owns composite types (lists, maps, type-of, params, objects) and interns them.
class TypeStore {
 public:
  TypeStore() = default;
  TypeStore(const TypeStore&) = delete;
  TypeStore& operator=(const TypeStore&) = delete;

  const Type* list(const Type* element);
  const Type* map(const Type* key, const Type* value);
  const Type* type_of(const Type* denoted);  // type(T)
  const Type* optional(const Type* held);    // optional_type(T)
  const Type* param(const std::string& name);
  ObjectType* new_object(std::string name);
  const Type* object(const ObjectType* object);

 private:
  const Type* intern(TypeKind kind, const Type* p1, const Type* p2, const std::string& name,
                     const ObjectType* object);
  std::deque<Type> types_;
  std::deque<ObjectType> objects_;
  std::map<std::tuple<int, const Type*, const Type*, std::string, const ObjectType*>, const Type*>
      index_;
};

// "int", "list(string)", "map(string, dyn)", "optional_type(int)", "date", or the object's
// name.
std::string type_name(const Type* type);

// Whether a value of type `from` may be used where `to` is expected (dyn and params
// accept anything; see unify for parameter binding).
bool is_dyn_or_error(const Type* t) noexcept;

}  // namespace safeguard::cel
