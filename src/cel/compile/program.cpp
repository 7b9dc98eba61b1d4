#include "cel/compile/program.hpp"

#include <cstring>

#include "cel/value/ops.hpp"

namespace safeguard::cel {

Value ConstantPool::string(std::string_view text) {
  return make_string(frame_, text);
}
Value ConstantPool::bytes(std::string_view data) {
  return make_bytes(frame_, data);
}

Value ConstantPool::list(const std::vector<Value>& items) {
  return make_list(frame_, items.data(), static_cast<std::uint32_t>(items.size()));
}

Value ConstantPool::map(const std::vector<Value>& keys, const std::vector<Value>& values) {
  const auto n = static_cast<std::uint32_t>(keys.size());
  auto* k = frame_.arena().allocate_array<Value>(n == 0 ? 1 : n);
  auto* v = frame_.arena().allocate_array<Value>(n == 0 ? 1 : n);
  auto* data = static_cast<MapData*>(frame_.arena().allocate(sizeof(MapData), alignof(MapData)));
  for (std::uint32_t i = 0; i < n; ++i) {
    k[i] = keys[i];
    v[i] = values[i];
  }
  data->size = n;
  data->reserved = 0;
  data->keys = k;
  data->values = v;
  return Value::map_of(data);
}

const char* ConstantPool::text(std::string_view text) {
  return frame_.arena().copy_string(text.data(), text.size());
}

bool Program::root_is_constant(std::size_t index, Value* value) const {
  if (index >= root_constant_.size() || !root_constant_[index]) return false;
  *value = root_values_[index];
  return true;
}

}  // namespace safeguard::cel
