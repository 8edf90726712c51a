#include "bench/load/process_sample.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace awsd::bench {

std::optional<ProcessSample> SampleProcess(int pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream status(proc + "/status");
  if (!status) return std::nullopt;
  ProcessSample sample;
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:" && status >> value) sample.rss_kib = value;
    if (key == "Threads:" && status >> value) sample.threads = value;
  }
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator(proc + "/fd", error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    ++sample.fds;
  }
  return sample;
}

}  // namespace awsd::bench
