#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "daemon/common/file_system.h"
#include "daemon/config/file_locations.h"
#include "daemon/http/http_client.h"

namespace awsd::credentials {

// What providers that reach outside the process share: the environment they
// were configured from, the files they read and write, the network, and
// time. Everything is injectable so tests replay recorded traffic against a
// fake root and never sleep through an expiry or a back-off.
struct ProviderContext {
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  using Sleep = std::function<void(std::chrono::milliseconds)>;

  config::EnvLookup environment;
  std::shared_ptr<const FileSystem> files;
  std::shared_ptr<http::HttpClient> http;
  Clock clock = [] { return std::chrono::system_clock::now(); };
  // Waits between retries.
  Sleep sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
};

}  // namespace awsd::credentials
