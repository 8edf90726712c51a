// Model loading as issue 5 measures it: time and resident memory to load
// and parse s3, ec2, dynamodb, sts and sqs, each from a fresh registry (no
// cache), then all five held at once. Prints one JSON object; run.sh puts it
// beside botocore's figures.

#include <malloc.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "daemon/model/model_registry.h"
#include "nlohmann/json.hpp"

namespace {

long RssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main() {
  using Clock = std::chrono::steady_clock;
  const std::vector<std::string> services = {"s3", "ec2", "dynamodb", "sts", "sqs"};
  const awsd::model::ModelFiles files(awsd::model::ModelSearchPath({}, awsd::config::ProcessEnvironment()));
  nlohmann::json out;
  // Warm the page cache and the search-path scan so only parsing is timed.
  for (const std::string& name : services) (void)files.LoadServiceFile(name, "service-2");
  for (const std::string& name : services) {
    constexpr int kRounds = 5;
    double best_ms = 1e30;
    for (int i = 0; i < kRounds; ++i) {
      awsd::model::ModelRegistry registry(files);
      (void)registry.AvailableServices();
      const auto start = Clock::now();
      auto model = registry.Service(name);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (!model.ok()) {
        std::cerr << model.status() << "\n";
        return 1;
      }
      best_ms = std::min(best_ms, ms);
    }
    out["load_ms"][name] = best_ms;
  }
  malloc_trim(0);
  const long before = RssKib();
  awsd::model::ModelRegistry registry(files);
  std::vector<std::shared_ptr<const awsd::model::ServiceModel>> held;
  for (const std::string& name : services) held.push_back(registry.Service(name).value());
  malloc_trim(0);  // the parse's temporary JSON is freed; count what stays
  const long after = RssKib();
  out["rss_kib_before"] = before;
  out["rss_kib_after"] = after;
  out["rss_kib_models"] = after - before;
  std::cout << out.dump() << "\n";
  return 0;
}
