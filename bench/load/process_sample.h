#pragma once

#include <optional>

namespace awsd::bench {

// What the load and soak tools watch of the daemon for leaks.
struct ProcessSample {
  long rss_kib = 0;
  long fds = 0;
  long threads = 0;
};

// Read from /proc/PID; nullopt once the process is gone.
std::optional<ProcessSample> SampleProcess(int pid);

}  // namespace awsd::bench
