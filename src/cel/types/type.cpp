#include "cel/types/type.hpp"

namespace safeguard::cel {

const ObjectField* ObjectType::find(const std::string& field) const noexcept {
  for (const auto& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

std::vector<std::string> ObjectType::field_names() const {
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (const auto& f : fields) names.push_back(f.name);
  return names;
}

namespace types {
namespace {
const Type kDyn{TypeKind::kDyn};
const Type kNull{TypeKind::kNull};
const Type kBool{TypeKind::kBool};
const Type kInt{TypeKind::kInt};
const Type kUint{TypeKind::kUint};
const Type kDouble{TypeKind::kDouble};
const Type kString{TypeKind::kString};
const Type kBytes{TypeKind::kBytes};
const Type kTimestamp{TypeKind::kTimestamp};
const Type kDuration{TypeKind::kDuration};
const Type kDate{TypeKind::kDate};
const Type kError{TypeKind::kError};
}  // namespace
const Type* dyn() noexcept {
  return &kDyn;
}
const Type* null_type() noexcept {
  return &kNull;
}
const Type* boolean() noexcept {
  return &kBool;
}
const Type* int64() noexcept {
  return &kInt;
}
const Type* uint64() noexcept {
  return &kUint;
}
const Type* real() noexcept {
  return &kDouble;
}
const Type* string() noexcept {
  return &kString;
}
const Type* bytes() noexcept {
  return &kBytes;
}
const Type* timestamp() noexcept {
  return &kTimestamp;
}
const Type* duration() noexcept {
  return &kDuration;
}
const Type* date() noexcept {
  return &kDate;
}
const Type* error() noexcept {
  return &kError;
}
}  // namespace types

const Type* TypeStore::intern(TypeKind kind, const Type* p1, const Type* p2,
                              const std::string& name, const ObjectType* object) {
  auto key = std::make_tuple(static_cast<int>(kind), p1, p2, name, object);
  auto it = index_.find(key);
  if (it != index_.end()) return it->second;
  types_.push_back(Type{kind, p1, p2, name, object});
  const Type* t = &types_.back();
  index_.emplace(std::move(key), t);
  return t;
}

const Type* TypeStore::list(const Type* element) {
  return intern(TypeKind::kList, element, nullptr, {}, nullptr);
}
const Type* TypeStore::map(const Type* key, const Type* value) {
  return intern(TypeKind::kMap, key, value, {}, nullptr);
}
const Type* TypeStore::type_of(const Type* denoted) {
  return intern(TypeKind::kType, denoted, nullptr, {}, nullptr);
}
const Type* TypeStore::optional(const Type* held) {
  return intern(TypeKind::kOptional, held, nullptr, {}, nullptr);
}
const Type* TypeStore::param(const std::string& name) {
  return intern(TypeKind::kParam, nullptr, nullptr, name, nullptr);
}
ObjectType* TypeStore::new_object(std::string name) {
  objects_.push_back(ObjectType{std::move(name), {}, nullptr});
  return &objects_.back();
}
const Type* TypeStore::object(const ObjectType* object) {
  return intern(TypeKind::kObject, nullptr, nullptr, object->name, object);
}

std::string type_name(const Type* t) {
  if (t == nullptr) return "?";
  switch (t->kind) {
    case TypeKind::kDyn:
      return "dyn";
    case TypeKind::kNull:
      return "null_type";
    case TypeKind::kBool:
      return "bool";
    case TypeKind::kInt:
      return "int";
    case TypeKind::kUint:
      return "uint";
    case TypeKind::kDouble:
      return "double";
    case TypeKind::kString:
      return "string";
    case TypeKind::kBytes:
      return "bytes";
    case TypeKind::kList:
      return "list(" + type_name(t->p1) + ")";
    case TypeKind::kMap:
      return "map(" + type_name(t->p1) + ", " + type_name(t->p2) + ")";
    case TypeKind::kTimestamp:
      return "timestamp";
    case TypeKind::kDuration:
      return "duration";
    case TypeKind::kDate:
      return "date";
    case TypeKind::kType:
      return t->p1 ? "type(" + type_name(t->p1) + ")" : "type";
    case TypeKind::kOptional:
      return "optional_type(" + type_name(t->p1) + ")";
    case TypeKind::kError:
      return "*error*";
    case TypeKind::kParam:
    case TypeKind::kObject:
      return t->name;
  }
  return "?";
}

bool is_dyn_or_error(const Type* t) noexcept {
  return t->kind == TypeKind::kDyn || t->kind == TypeKind::kError;
}

}  // namespace safeguard::cel
