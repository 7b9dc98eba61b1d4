#include "snapshot/schema_keys.hpp"

#include <algorithm>
#include <utility>

namespace safeguard::snapshot::schema {

void KeySet::assign(const std::vector<std::string>& keys) {
  unique16_ = false;
  keys_.clear();
  for (const std::string& key : keys) keys_.push_back(key + std::string(8, '\0'));
  slots_.clear();
  shift_ = 64;
  if (keys.empty()) return;
  std::size_t count = 2;
  unsigned bits = 1;
  while (count < 2 * keys.size()) {
    count *= 2;
    ++bits;
  }
  shift_ = 64 - bits;
  slots_.assign(count, Slot{});
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const std::uint64_t prefix = key_prefix(keys[k]);
    const auto size = static_cast<std::uint32_t>(keys[k].size());
    std::size_t i = key_hash(prefix, size) >> shift_;
    while (slots_[i].index != 0) i = (i + 1) & (count - 1);
    const std::string_view rest = size > 8 ? std::string_view(keys[k]).substr(8) : "";
    slots_[i] = Slot{prefix, key_prefix(rest), kPrefixMasks.of[rest.size() < 8 ? rest.size() : 8],
                     size, static_cast<std::uint32_t>(k + 1)};
  }
  // Sorted by length and first sixteen bytes, keys that share them are neighbours.
  std::vector<std::pair<std::size_t, std::string_view>> heads;
  heads.reserve(keys.size());
  for (const std::string& key : keys) {
    heads.emplace_back(key.size(), std::string_view(key).substr(0, 16));
  }
  std::sort(heads.begin(), heads.end());
  unique16_ = std::adjacent_find(heads.begin(), heads.end()) == heads.end();
}

}  // namespace safeguard::snapshot::schema
