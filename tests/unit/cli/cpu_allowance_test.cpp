#include <sched.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "cli/cpu_allowance.hpp"

namespace fs = std::filesystem;
using safeguard::cli::available_cpus;
using safeguard::cli::cgroup_cpu_limit;
using safeguard::cli::cpus_from_cfs;
using safeguard::cli::cpus_from_cpu_max;

namespace {

// A directory standing in for '/', holding only the cgroup files a test writes.
struct FakeRoot {
  fs::path dir;
  FakeRoot() {
    std::random_device entropy;
    dir = fs::temp_directory_path() / ("safeguard-cgroup-" + std::to_string(entropy()));
    fs::create_directories(dir);
  }
  ~FakeRoot() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  void write(const std::string& path, const std::string& text) const {
    const fs::path file = dir / fs::path(path).relative_path();
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
  }
  std::string root() const { return dir.string(); }
};

constexpr const char* kV2Mountinfo =
    "22 1 0:21 / / rw,relatime - ext4 /dev/vda1 rw\n"
    "30 22 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";

constexpr const char* kV1Mountinfo =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n";

}  // namespace

TEST_CASE("cgroup v2 cpu.max gives whole CPUs, rounded up") {
  CHECK(cpus_from_cpu_max("max 100000\n") == std::nullopt);
  CHECK(cpus_from_cpu_max("200000 100000\n") == 2u);
  CHECK(cpus_from_cpu_max("150000 100000") == 2u);  // 1.5 CPUs: a second thread still helps
  CHECK(cpus_from_cpu_max("50000 100000") == 1u);
  CHECK(cpus_from_cpu_max("") == std::nullopt);
  CHECK(cpus_from_cpu_max("200000") == std::nullopt);
  CHECK(cpus_from_cpu_max("lots 100000") == std::nullopt);
  CHECK(cpus_from_cpu_max("200000 0") == std::nullopt);
}

TEST_CASE("absurd quotas and paths are read without overflow or exceptions") {
  CHECK(cpus_from_cpu_max("9223372036854775807 100000") > 0u);
  CHECK(cpus_from_cfs("9223372036854775807", "1") > 0u);
  const FakeRoot fake;
  fake.write("/sys/fs/cgroup/cpu.max", "100000 100000\n");
  // The kernel writes the path with a leading '/'; without one it is still walked up.
  CHECK(cgroup_cpu_limit(kV2Mountinfo, "0::batch.slice\n", fake.root()) == 1u);
}

TEST_CASE("cgroup v1 CFS quota and period give whole CPUs; -1 is no limit") {
  CHECK(cpus_from_cfs("-1\n", "100000\n") == std::nullopt);
  CHECK(cpus_from_cfs("400000\n", "100000\n") == 4u);
  CHECK(cpus_from_cfs("250000", "100000") == 3u);
  CHECK(cpus_from_cfs("x", "100000") == std::nullopt);
}

TEST_CASE("the tightest quota on the cgroup v2 path and its ancestors wins") {
  const FakeRoot fake;
  fake.write("/sys/fs/cgroup/batch.slice/cpu.max", "300000 100000\n");
  fake.write("/sys/fs/cgroup/batch.slice/job-7/cpu.max", "max 100000\n");
  const std::string self = "0::/batch.slice/job-7\n";
  CHECK(cgroup_cpu_limit(kV2Mountinfo, self, fake.root()) == 3u);

  fake.write("/sys/fs/cgroup/batch.slice/job-7/cpu.max", "100000 100000\n");
  CHECK(cgroup_cpu_limit(kV2Mountinfo, self, fake.root()) == 1u);
}

TEST_CASE("a container's own cgroup (namespace root) is read at the mount point") {
  const FakeRoot fake;
  fake.write("/sys/fs/cgroup/cpu.max", "200000 100000\n");
  CHECK(cgroup_cpu_limit(kV2Mountinfo, "0::/\n", fake.root()) == 2u);
}

TEST_CASE("cgroup v1: the hierarchy with the cpu controller is used") {
  const FakeRoot fake;
  fake.write("/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "200000\n");
  fake.write("/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
  fake.write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
  fake.write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
  const std::string self =
      "5:memory:/docker/abc\n"
      "2:cpu,cpuacct:/docker/abc\n"
      "0::/\n";
  CHECK(cgroup_cpu_limit(kV1Mountinfo, self, fake.root()) == 2u);
}

TEST_CASE("no cgroup files, or no quota anywhere, is no limit") {
  const FakeRoot fake;
  CHECK(cgroup_cpu_limit(kV2Mountinfo, "0::/user.slice\n", fake.root()) == std::nullopt);
  CHECK(cgroup_cpu_limit("", "", fake.root()) == std::nullopt);
  fake.write("/sys/fs/cgroup/user.slice/cpu.max", "max 100000\n");
  CHECK(cgroup_cpu_limit(kV2Mountinfo, "0::/user.slice\n", fake.root()) == std::nullopt);
}

TEST_CASE("a mount point with a space is unescaped from mountinfo") {
  const FakeRoot fake;
  fake.write("/sys/fs/cg roup/cpu.max", "100000 100000\n");
  const std::string mountinfo =
      "30 22 0:26 / /sys/fs/cg\\040roup rw shared:4 - cgroup2 cgroup2 rw\n";
  CHECK(cgroup_cpu_limit(mountinfo, "0::/\n", fake.root()) == 1u);
}

TEST_CASE("the affinity mask limits the CPUs available") {
  const unsigned all = available_cpus();
  CHECK(all >= 1);
  CHECK(all <= std::max(1u, std::thread::hardware_concurrency()));

  // On Linux the mask belongs to the calling thread, so pin a thread of our own.
  unsigned pinned = 0;
  std::thread([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
    if (sched_setaffinity(0, sizeof(one), &one) == 0)
      pinned = available_cpus();
    else
      pinned = 1;  // not allowed to pin here: nothing to observe
  }).join();
  CHECK(pinned == 1);
}
