// How many CPUs this process may really use. std::thread::hardware_concurrency() counts the
// machine's CPUs, but a container's CPU quota (cgroups) or a CPU affinity mask (taskset,
// cpusets) can allow far fewer; starting a thread per machine CPU then only adds contention
// and memory. The smallest of the three is the default number of workers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace safeguard::cli {

// cgroup v2 `cpu.max` ("max 100000" or "QUOTA PERIOD"): whole CPUs, rounded up, or none.
std::optional<unsigned> cpus_from_cpu_max(std::string_view cpu_max);

// cgroup v1 `cpu.cfs_quota_us` and `cpu.cfs_period_us` (quota -1: no limit).
std::optional<unsigned> cpus_from_cfs(std::string_view quota, std::string_view period);

// The tightest CPU quota on the process's cgroup and its ancestors, given the texts of
// /proc/self/mountinfo and /proc/self/cgroup; cgroup files are read under `root` (empty on
// a real system; a test gives a directory standing in for '/').
std::optional<unsigned> cgroup_cpu_limit(std::string_view mountinfo, std::string_view self_cgroup,
                                         const std::string& root = {});

// min(hardware_concurrency, CPUs in the affinity mask, cgroup quota), at least 1.
unsigned available_cpus();

}  // namespace safeguard::cli
