// `params`: the numbers and lists a policy lead changes without touching expressions,
// as one CEL constant map, typed field by field so that `params.decison_days` is a
// load error with a suggestion.
#include "cel/check/unify.hpp"
#include "ruleset/link/linker.hpp"

namespace safeguard::ruleset {

namespace {

cel::Value to_value(const ParamValue& v, cel::ConstantPool& pool) {
  switch (v.kind) {
    case ParamValue::Kind::kInt:
      return cel::Value::integer(v.int_value);
    case ParamValue::Kind::kDouble:
      return cel::Value::real(v.double_value);
    case ParamValue::Kind::kBool:
      return cel::Value::boolean(v.bool_value);
    case ParamValue::Kind::kString:
      return pool.string(v.string_value);
    case ParamValue::Kind::kList: {
      std::vector<cel::Value> items;
      for (const auto& item : v.items) items.push_back(to_value(item, pool));
      return pool.list(items);
    }
  }
  return cel::Value::null();
}

const cel::Type* type_of(const ParamValue& v, cel::TypeStore& store) {
  switch (v.kind) {
    case ParamValue::Kind::kInt:
      return cel::types::int64();
    case ParamValue::Kind::kDouble:
      return cel::types::real();
    case ParamValue::Kind::kBool:
      return cel::types::boolean();
    case ParamValue::Kind::kString:
      return cel::types::string();
    case ParamValue::Kind::kList: {
      const cel::Type* elem = nullptr;
      for (const auto& item : v.items) {
        const cel::Type* t = type_of(item, store);
        elem = elem == nullptr ? t : cel::join_types(store, elem, t);
      }
      return store.list(elem == nullptr ? cel::types::dyn() : elem);
    }
  }
  return cel::types::dyn();
}

}  // namespace

void declare_params(const std::vector<ParamDecl>& params, cel::Env& env, cel::ConstantPool& pool) {
  cel::ObjectType* object = env.types().new_object("params");
  std::vector<cel::Value> keys;
  std::vector<cel::Value> values;
  for (const auto& p : params) {
    cel::ObjectField field;
    field.name = p.name;
    field.type = type_of(p.value, env.types());
    field.required = true;
    object->fields.push_back(field);
    keys.push_back(pool.string(p.name));
    values.push_back(to_value(p.value, pool));
  }
  env.add_constant("params", env.types().object(object), pool.map(keys, values));
}

}  // namespace safeguard::ruleset
