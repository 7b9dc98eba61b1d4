// Zone lookup and the process-wide zone cache.
#include "time/timezone.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <vector>

#include "base/file_read.hpp"

namespace safeguard::time {

namespace {

constexpr std::size_t kMaxZoneNameLength = 64;
// Unknown names are remembered so that a rule evaluated over many cases does not try to
// open the same missing file each time; the bound keeps varied junk from growing it
// without limit (past it, misses are simply not remembered).
constexpr std::size_t kMaxRememberedMisses = 4096;

// Lookups run per evaluation (getHours("Europe/London") over a list), so a hit takes a
// shared lock and allocates nothing: maps with transparent comparators are searched with
// the string_view or the offset itself.
struct ZoneCache {
  std::shared_mutex mutex;
  std::string directory = "/usr/share/zoneinfo";
  // Zones read from `directory`. unique_ptr keeps each zone at a fixed address for the
  // pointers handed out.
  std::map<std::string, std::unique_ptr<const TimeZone>, std::less<>> zones;
  std::set<std::string, std::less<>> misses;
  std::map<std::int32_t, std::unique_ptr<const TimeZone>> fixed;
  // Zones of directories no longer in use: kept alive, since pointers to them are out.
  std::vector<std::unique_ptr<const TimeZone>> retired;
};

ZoneCache& cache() {
  static ZoneCache instance;  // never destroyed before the threads that use it
  return instance;
}

const TimeZone& utc_zone() {
  static const TimeZone zone = TimeZone::fixed("UTC", 0);
  return zone;
}

bool is_zone_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '+' || c == '-';
}

// Reads zone `name` under `directory`, refusing anything that resolves outside the
// directory: the name was validated, but the directory may hold symbolic links out of it
// (Debian's "localtime" points at /etc/localtime, which would make results depend on the
// machine).
std::optional<std::string> read_zone_file(const std::string& directory, std::string_view name) {
  // A file over kMaxTzifBytes is not a zone (from_tzif would refuse it): not read at all. A
  // FIFO or device is not one either, and is refused without waiting for a writer.
  if (directory.empty()) return std::nullopt;  // not the working directory
  base::BoundedFile read =
      base::read_file_inside(directory, std::filesystem::path(directory) / std::string(name),
                             kMaxTzifBytes, "leads outside the zone directory");
  if (read.status != base::BoundedFile::Status::kRead) return std::nullopt;
  return std::move(read.text);
}

std::string canonical_offset(std::int32_t offset) {
  const std::int32_t magnitude = offset < 0 ? -offset : offset;
  const std::int32_t h = magnitude / 3600;
  const std::int32_t m = magnitude / 60 % 60;
  std::string s(1, offset < 0 ? '-' : '+');
  s += static_cast<char>('0' + h / 10);
  s += static_cast<char>('0' + h % 10);
  s += ':';
  s += static_cast<char>('0' + m / 10);
  s += static_cast<char>('0' + m % 10);
  return s;
}

// Returns the cached zone for `key` in `map`, or inserts the one `make` builds (outside
// the lock, so a slow file read never blocks readers of other zones). `make` returns
// std::nullopt for an unknown zone; `misses`, when given, remembers that.
template <typename Map, typename Key, typename Misses, typename Make>
const TimeZone* lookup(Map& map, const Key& key, Misses* misses, Make make) {
  ZoneCache& c = cache();
  {
    std::shared_lock lock(c.mutex);
    if (auto it = map.find(key); it != map.end()) return it->second.get();
    if (misses != nullptr && misses->find(key) != misses->end()) return nullptr;
  }
  std::optional<TimeZone> zone = make();
  std::unique_lock lock(c.mutex);
  if (!zone) {
    if (misses != nullptr && misses->size() < kMaxRememberedMisses) misses->emplace(key);
    return nullptr;
  }
  // Another thread may have loaded it meanwhile: keep the first, so pointers stay unique.
  auto it = map.find(key);
  if (it == map.end()) {
    it =
        map.emplace(typename Map::key_type(key), std::make_unique<const TimeZone>(std::move(*zone)))
            .first;
  }
  return it->second.get();
}

}  // namespace

std::optional<std::int32_t> parse_fixed_offset(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || !digit(0) || !digit(1) || text[2] != ':' || !digit(3) || !digit(4)) {
    return std::nullopt;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  const std::int32_t offset = h * 3600 + m * 60;
  return negative ? -offset : offset;
}

bool is_valid_zone_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > kMaxZoneNameLength) return false;
  // The host's own zone: results would depend on the machine they were computed on.
  if (name == "localtime") return false;
  bool segment_empty = true;
  for (char c : name) {
    if (c == '/') {
      if (segment_empty) return false;  // leading '/' or "//"
      segment_empty = true;
    } else if (is_zone_char(c)) {
      segment_empty = false;
    } else {
      return false;
    }
  }
  return !segment_empty;  // no trailing '/'
}

const TimeZone* find_time_zone(std::string_view name) {
  if (name == "UTC") return &utc_zone();
  ZoneCache& c = cache();
  if (name.find(':') != std::string_view::npos) {
    const std::optional<std::int32_t> offset = parse_fixed_offset(name);
    if (!offset) return nullptr;
    // At most 2 * 24 * 60 distinct offsets exist, so these need no bound.
    return lookup(c.fixed, *offset, static_cast<std::set<std::int32_t>*>(nullptr), [&] {
      return std::optional(TimeZone::fixed(canonical_offset(*offset), *offset));
    });
  }
  if (!is_valid_zone_name(name)) return nullptr;
  return lookup(c.zones, name, &c.misses, [&]() -> std::optional<TimeZone> {
    const std::optional<std::string> data = read_zone_file(zone_directory(), name);
    if (!data) return std::nullopt;
    return TimeZone::from_tzif(std::string(name), *data);
  });
}

void set_zone_directory(std::string directory) {
  ZoneCache& c = cache();
  std::unique_lock lock(c.mutex);
  if (directory == c.directory) return;
  c.directory = std::move(directory);
  for (auto& entry : c.zones) c.retired.push_back(std::move(entry.second));
  c.zones.clear();
  c.misses.clear();
}

std::string zone_directory() {
  ZoneCache& c = cache();
  std::shared_lock lock(c.mutex);
  return c.directory;
}

}  // namespace safeguard::time
