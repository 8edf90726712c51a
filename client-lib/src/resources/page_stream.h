#pragma once

// Pages handed from a producer (a callback-style call such as
// Client::Paginate) to a consumer that pulls them one at a time, so that a
// collection's iteration stays lazy: the producer runs on its own thread
// and waits while the consumer holds a page; the gRPC stream's flow control
// keeps the daemon from running far ahead.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "awsd/result.h"

namespace awsd::resources {

class PageStream {
 public:
  // Gives each page to `on_page`, which returns false to stop early.
  using Producer = std::function<Result<Done>(const std::function<bool(nlohmann::json page)>& on_page)>;

  explicit PageStream(Producer producer) : producer_(std::move(producer)) {}
  // Stops the producer at its next page and waits for it.
  ~PageStream();
  PageStream(const PageStream&) = delete;
  PageStream& operator=(const PageStream&) = delete;

  // The next page; nullopt after the last. The producer's error comes once,
  // after the pages before it.
  Result<std::optional<nlohmann::json>> Next();

 private:
  void Run();

  Producer producer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<nlohmann::json> slot_;
  std::optional<Error> error_;
  bool finished_ = false;
  bool stop_ = false;
  bool started_ = false;
  std::thread thread_;
};

}  // namespace awsd::resources
