#include "cel/lib/registry.hpp"

#include <cctype>
#include <memory>
#include <stdexcept>

namespace safeguard::cel {

namespace {

std::string key_of(const std::string& function, bool member, std::size_t arity) {
  return function + (member ? "#m" : "#g") + std::to_string(arity);
}

std::uint8_t kind_of(const Type* t) {
  switch (t->kind) {
    case TypeKind::kNull:
      return static_cast<std::uint8_t>(ValueKind::kNull);
    case TypeKind::kBool:
      return static_cast<std::uint8_t>(ValueKind::kBool);
    case TypeKind::kInt:
      return static_cast<std::uint8_t>(ValueKind::kInt);
    case TypeKind::kUint:
      return static_cast<std::uint8_t>(ValueKind::kUint);
    case TypeKind::kDouble:
      return static_cast<std::uint8_t>(ValueKind::kDouble);
    case TypeKind::kString:
      return static_cast<std::uint8_t>(ValueKind::kString);
    case TypeKind::kBytes:
      return static_cast<std::uint8_t>(ValueKind::kBytes);
    case TypeKind::kList:
      return static_cast<std::uint8_t>(ValueKind::kList);
    case TypeKind::kMap:
      return static_cast<std::uint8_t>(ValueKind::kMap);
    case TypeKind::kTimestamp:
      return static_cast<std::uint8_t>(ValueKind::kTimestamp);
    case TypeKind::kDuration:
      return static_cast<std::uint8_t>(ValueKind::kDuration);
    case TypeKind::kDate:
      return static_cast<std::uint8_t>(ValueKind::kDate);
    case TypeKind::kType:
      return static_cast<std::uint8_t>(ValueKind::kType);
    case TypeKind::kOptional:
      return static_cast<std::uint8_t>(ValueKind::kOptional);
    default:
      return kAnyKind;
  }
}

void skip_space(std::string_view& text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
}

bool consume(std::string_view& text, std::string_view token) {
  skip_space(text);
  if (text.substr(0, token.size()) != token) return false;
  text.remove_prefix(token.size());
  return true;
}

}  // namespace

bool Overload::accepts(const Value* args) const noexcept {
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i] != kAnyKind && kinds[i] != static_cast<std::uint8_t>(args[i].kind)) return false;
  }
  return true;
}

const Type* FunctionRegistry::parse_type(std::string_view& text) {
  skip_space(text);
  std::size_t n = 0;
  while (n < text.size() && (std::isalnum(static_cast<unsigned char>(text[n])) || text[n] == '_'))
    ++n;
  const std::string word(text.substr(0, n));
  text.remove_prefix(n);
  if (word == "list") {
    if (!consume(text, "(")) throw std::logic_error("bad signature: list");
    const Type* e = parse_type(text);
    consume(text, ")");
    return types_.list(e);
  }
  if (word == "map") {
    if (!consume(text, "(")) throw std::logic_error("bad signature: map");
    const Type* k = parse_type(text);
    consume(text, ",");
    const Type* v = parse_type(text);
    consume(text, ")");
    return types_.map(k, v);
  }
  if (word == "optional") {
    if (!consume(text, "(")) throw std::logic_error("bad signature: optional");
    const Type* t = parse_type(text);
    consume(text, ")");
    return types_.optional(t);
  }
  if (word == "type") {
    if (consume(text, "(")) {
      const Type* t = parse_type(text);
      consume(text, ")");
      return types_.type_of(t);
    }
    return types_.type_of(types::dyn());
  }
  if (word == "int") return types::int64();
  if (word == "uint") return types::uint64();
  if (word == "double") return types::real();
  if (word == "bool") return types::boolean();
  if (word == "string") return types::string();
  if (word == "bytes") return types::bytes();
  if (word == "null_type") return types::null_type();
  if (word == "timestamp") return types::timestamp();
  if (word == "duration") return types::duration();
  if (word == "date") return types::date();
  if (word == "dyn") return types::dyn();
  if (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0]))) {
    return types_.param(word);
  }
  throw std::logic_error("bad signature type: " + word);
}

Overload& FunctionRegistry::declare(std::string id, std::string function, bool member,
                                    std::string_view signature, FunctionImpl impl) {
  auto o = std::make_unique<Overload>();
  o->id = std::move(id);
  o->function = std::move(function);
  o->member = member;
  o->impl = impl;
  std::string_view text = signature;
  skip_space(text);
  if (!consume(text, "->")) {
    for (;;) {
      o->params.push_back(parse_type(text));
      if (consume(text, "->")) break;
      if (!consume(text, ",")) throw std::logic_error("bad signature: " + std::string(signature));
    }
  }
  o->result = parse_type(text);
  for (const Type* p : o->params) o->kinds.push_back(kind_of(p));
  Overload& ref = *o;
  by_key_[key_of(ref.function, member, ref.params.size())].push_back(&ref);
  by_id_[ref.id] = &ref;
  overloads_.push_back(std::move(o));
  return ref;
}

Overload& FunctionRegistry::add(std::string id, std::string function, std::string_view signature,
                                FunctionImpl impl) {
  return declare(std::move(id), std::move(function), false, signature, impl);
}

Overload& FunctionRegistry::add_member(std::string id, std::string function,
                                       std::string_view signature, FunctionImpl impl) {
  return declare(std::move(id), std::move(function), true, signature, impl);
}

const std::vector<const Overload*>& FunctionRegistry::find(const std::string& function, bool member,
                                                           std::size_t arity) const {
  static const std::vector<const Overload*> kNone;
  auto it = by_key_.find(key_of(function, member, arity));
  return it == by_key_.end() ? kNone : it->second;
}

bool FunctionRegistry::has_function(const std::string& function) const {
  for (const auto& o : overloads_) {
    if (o->function == function) return true;
  }
  return false;
}

const Overload* FunctionRegistry::by_id(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::vector<std::string> FunctionRegistry::function_names() const {
  std::vector<std::string> names;
  for (const auto& o : overloads_) {
    if (o->function.find('_') == 0 || o->function[0] == '@' || o->function[0] == '!' ||
        o->function[0] == '-') {
      continue;  // operators
    }
    if (names.empty() || names.back() != o->function) names.push_back(o->function);
  }
  return names;
}

const FunctionRegistry& FunctionRegistry::standard() {
  static const FunctionRegistry* registry = [] {
    auto* r = new FunctionRegistry();
    register_operators(*r);
    register_conversions(*r);
    register_strings(*r);
    register_time(*r);
    register_dates(*r);
    register_lists(*r);
    register_math(*r);
    register_sets(*r);
    register_encoders(*r);
    register_format(*r);
    register_optionals(*r);
    return r;
  }();
  return *registry;
}

}  // namespace safeguard::cel
