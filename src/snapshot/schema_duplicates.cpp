#include "snapshot/schema_duplicates.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "snapshot/schema.hpp"
#include "snapshot/schema_report.hpp"

namespace safeguard::snapshot::schema {

namespace {

// Tape words taken by the entry at `i` when stepping *into* containers: 2 for numbers
// (their value follows), 1 for everything else. A table, because a branch on the type
// of every entry mispredicts often enough to dominate the walk.
struct StepTable {
  std::array<std::uint8_t, 256> step{};
  constexpr StepTable() {
    for (auto& s : step) s = 1;
    step['l'] = step['u'] = step['d'] = 2;
  }
};
constexpr StepTable kSteps;

}  // namespace

std::uint32_t earlier_key(const cel::JsonDoc* d, std::uint32_t object,
                          const KeyProbe& key) noexcept {
  for (std::uint32_t k = object + 1; k < key.tape; k = cel::json_after(d, k + 1)) {
    if (same_key(probe_key(d, k), key)) return k;
  }
  return cel::kNoTape;
}

void find_duplicates_in_object(const cel::JsonDoc* d, std::uint32_t object,
                               std::vector<DuplicateKey>& out, std::size_t limit) {
  const std::uint32_t end = cel::json_after(d, object) - 1;
  if (cel::json_container_size(d, object) <= kFilterMembers) {
    std::uint64_t filter = 0;
    for (std::uint32_t k = object + 1; k < end && out.size() < limit;
         k = cel::json_after(d, k + 1)) {
      const KeyProbe key = probe_key(d, k);
      const std::uint64_t bit = filter_bit(key_hash(key.prefix, key.size));
      if ((filter & bit) != 0) {
        const std::uint32_t first = earlier_key(d, object, key);
        if (first != cel::kNoTape) out.push_back(DuplicateKey{object, first, k});
      }
      filter |= bit;
    }
    return;
  }
  // A large object: sort the keys (stable, so the first occurrence leads its run).
  std::vector<std::pair<std::string_view, std::uint32_t>> all;
  for (std::uint32_t k = object + 1; k < end; k = cel::json_after(d, k + 1)) {
    all.emplace_back(cel::json_string(d, k), k);
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<DuplicateKey> found;
  for (std::size_t first = 0, i = 1; i < all.size(); ++i) {
    if (all[i].first == all[first].first) {
      found.push_back(DuplicateKey{object, all[first].second, all[i].second});
    } else {
      first = i;
    }
  }
  std::sort(found.begin(), found.end(),
            [](const DuplicateKey& a, const DuplicateKey& b) { return a.key < b.key; });
  for (const DuplicateKey& f : found) {
    if (out.size() >= limit) break;
    out.push_back(f);
  }
}

void find_duplicate_keys(const cel::JsonDoc* d, std::uint32_t root, std::vector<DuplicateKey>& out,
                         std::size_t limit) {
  const std::uint32_t end = cel::json_after(d, root);
  for (std::uint32_t i = root; i < end && out.size() < limit;) {
    const auto t = static_cast<unsigned char>(cel::json_type(d, i));
    if (t == '{') find_duplicates_in_object(d, i, out, limit);
    i += kSteps.step[t];
  }
}

}  // namespace safeguard::snapshot::schema

namespace safeguard::snapshot {

std::vector<Violation> check_duplicate_keys(ParsedJson& json, std::size_t max_violations) {
  const cel::JsonDoc* d = json.doc();
  std::vector<schema::DuplicateKey> duplicates;
  schema::find_duplicate_keys(d, d->root, duplicates, static_cast<std::size_t>(-1));
  std::vector<schema::Found> found;
  std::vector<schema::Mark> marks;
  for (const schema::DuplicateKey& dup : duplicates) {
    marks.push_back(schema::Mark{dup.first_key + 1, schema::kDuplicateKeyError});
    marks.push_back(schema::Mark{dup.key + 1, schema::kDuplicateKeyError});
    if (found.size() >= max_violations) continue;
    Violation v;
    v.code = "schema.duplicate-key";
    v.expected = "each key at most once";
    v.path = cel::json_pointer(d, dup.object);
    v.message = "is an object with a key that appears more than once";
    found.push_back(schema::Found{dup.object, std::move(v)});
  }
  schema::apply_marks(json, marks);
  return schema::finish_violations(found);
}

}  // namespace safeguard::snapshot
