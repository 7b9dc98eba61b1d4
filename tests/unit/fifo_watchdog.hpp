// Runs a step that must not wait for a FIFO's writer, and tells whether it returned in
// time. If it did not (an open of a FIFO without a writer waits for ever), the FIFOs are
// opened for writing and closed again, which lets the waiting open go on and the step end,
// so that the test fails instead of hanging until ctest's timeout.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <thread>
#include <vector>

namespace safeguard::test {

inline bool returns_promptly(const std::function<void()>& step,
                             const std::vector<std::filesystem::path>& fifos,
                             std::chrono::seconds limit = std::chrono::seconds(10)) {
  std::packaged_task<void()> task(step);
  std::future<void> done = task.get_future();
  std::thread runner(std::move(task));
  bool in_time = done.wait_for(limit) == std::future_status::ready;
  while (!in_time && done.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
    // A writer that opens and closes at once: the waiting reader then reads an empty file.
    for (const auto& fifo : fifos) {
      const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd >= 0) ::close(fd);
    }
  }
  runner.join();
  done.get();  // a step's exception, if any
  return in_time;
}

}  // namespace safeguard::test
