#include "cpu_allowance.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace safeguard::cli {

namespace {

std::optional<long long> parse_integer(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<unsigned> whole_cpus(long long quota, long long period) {
  if (quota <= 0 || period <= 0) return std::nullopt;
  const long long cpus = quota / period + (quota % period != 0);  // up, without overflow
  return static_cast<unsigned>(std::clamp<long long>(cpus, 1, 1 << 20));
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

// mountinfo writes a space, tab, newline or backslash in a path as \ooo (octal).
std::string unescape_mount_path(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto octal = [&](std::size_t at) { return text[at] >= '0' && text[at] <= '7'; };
    if (text[i] == '\\' && i + 3 < text.size() && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out += static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 +
                               (text[i + 3] - '0'));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::optional<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool has_option(std::string_view options, std::string_view wanted) {
  for (const std::string_view option : split(options, ','))
    if (option == wanted) return true;
  return false;
}

struct CgroupMount {
  std::string root;  // the cgroup path mounted there
  std::string mountpoint;
};

// The mount of the cgroup v2 hierarchy (v1 == false) or of the v1 hierarchy with the cpu
// controller (v1 == true).
std::optional<CgroupMount> find_mount(std::string_view mountinfo, bool v1) {
  for (const std::string_view line : split(mountinfo, '\n')) {
    const std::vector<std::string_view> fields = split(line, ' ');
    const auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || dash == fields.end() || fields.end() - dash < 4) continue;
    const std::string_view type = dash[1];
    if (v1 ? (type == "cgroup" && has_option(dash[3], "cpu")) : type == "cgroup2")
      return CgroupMount{unescape_mount_path(fields[3]), unescape_mount_path(fields[4])};
  }
  return std::nullopt;
}

// The process's path in the v2 hierarchy ("0::/path") or in the v1 cpu hierarchy.
std::optional<std::string> find_cgroup_path(std::string_view self_cgroup, bool v1) {
  for (const std::string_view line : split(self_cgroup, '\n')) {
    const std::size_t first = line.find(':');
    const std::size_t second =
        first == std::string_view::npos ? std::string_view::npos : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    const std::string_view controllers = line.substr(first + 1, second - first - 1);
    const bool matches =
        v1 ? has_option(controllers, "cpu") : (line.substr(0, first) == "0" && controllers.empty());
    if (matches) return std::string(line.substr(second + 1));
  }
  return std::nullopt;
}

// Every directory from the process's cgroup up to the mount point: a parent's quota
// limits its children too.
std::vector<std::string> cgroup_dirs(const CgroupMount& mount, const std::string& path,
                                     const std::string& root) {
  std::string relative;
  if (mount.root == "/") {
    relative = path;
  } else if (path.compare(0, mount.root.size(), mount.root) == 0 &&
             (path.size() == mount.root.size() || path[mount.root.size()] == '/')) {
    relative = path.substr(mount.root.size());
  }  // else: a cgroup namespace hides the path; only the mount point itself is known
  while (!relative.empty() && relative.back() == '/') relative.pop_back();
  std::vector<std::string> dirs;
  while (true) {
    dirs.push_back(root + mount.mountpoint + relative);
    if (relative.empty()) return dirs;
    const std::size_t slash = relative.rfind('/');
    relative.erase(slash == std::string::npos ? 0 : slash);
  }
}

void take_min(std::optional<unsigned>& limit, std::optional<unsigned> found) {
  if (found && (!limit || *found < *limit)) limit = found;
}

}  // namespace

std::optional<unsigned> cpus_from_cpu_max(std::string_view cpu_max) {
  while (!cpu_max.empty() && cpu_max.back() == '\n') cpu_max.remove_suffix(1);
  const std::size_t space = cpu_max.find(' ');
  const std::string_view quota = cpu_max.substr(0, space);
  if (quota == "max") return std::nullopt;
  const auto quota_value = parse_integer(quota);
  // A period is always written; without one the file is not what we expect.
  if (space == std::string_view::npos || !quota_value) return std::nullopt;
  const auto period = parse_integer(cpu_max.substr(space + 1));
  return period ? whole_cpus(*quota_value, *period) : std::nullopt;
}

std::optional<unsigned> cpus_from_cfs(std::string_view quota, std::string_view period) {
  const auto quota_value = parse_integer(quota);
  const auto period_value = parse_integer(period);
  if (!quota_value || !period_value) return std::nullopt;
  return whole_cpus(*quota_value, *period_value);
}

std::optional<unsigned> cgroup_cpu_limit(std::string_view mountinfo, std::string_view self_cgroup,
                                         const std::string& root) {
  std::optional<unsigned> limit;
  if (const auto mount = find_mount(mountinfo, false)) {
    if (const auto path = find_cgroup_path(self_cgroup, false)) {
      for (const std::string& dir : cgroup_dirs(*mount, *path, root))
        if (const auto text = read_small_file(dir + "/cpu.max"))
          take_min(limit, cpus_from_cpu_max(*text));
    }
  }
  if (const auto mount = find_mount(mountinfo, true)) {
    if (const auto path = find_cgroup_path(self_cgroup, true)) {
      for (const std::string& dir : cgroup_dirs(*mount, *path, root)) {
        const auto quota = read_small_file(dir + "/cpu.cfs_quota_us");
        const auto period = read_small_file(dir + "/cpu.cfs_period_us");
        if (quota && period) take_min(limit, cpus_from_cfs(*quota, *period));
      }
    }
  }
  return limit;
}

unsigned available_cpus() {
  unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof(mask), &mask) == 0) {
    const int allowed = CPU_COUNT(&mask);
    if (allowed > 0) cpus = std::min(cpus, static_cast<unsigned>(allowed));
  }
  const auto mountinfo = read_small_file("/proc/self/mountinfo");
  const auto self_cgroup = read_small_file("/proc/self/cgroup");
  if (mountinfo && self_cgroup) {
    if (const auto limit = cgroup_cpu_limit(*mountinfo, *self_cgroup))
      cpus = std::min(cpus, *limit);
  }
  return std::max(1u, cpus);
}

}  // namespace safeguard::cli
