#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/http/http_client.h"

namespace awsd::test_support {

// An HttpClient that answers from a script, in order, and records what it
// was sent: for unit tests of code that builds requests and reads answers.
// Tests of the transport itself use FakeHttpServer and the real client.
class ScriptedHttpClient : public http::HttpClient {
 public:
  // One answer: a response, or a transport error.
  struct Step {
    absl::StatusOr<http::HttpResponse> result;
  };

  void Respond(int status, std::string body, std::vector<http::Header> headers = {}) {
    std::lock_guard lock(mutex_);
    steps_.push_back({http::HttpResponse{status, std::move(headers), std::move(body)}});
  }
  void Fail(absl::Status error) {
    std::lock_guard lock(mutex_);
    steps_.push_back({std::move(error)});
  }

  absl::StatusOr<http::HttpResponse> Send(const http::HttpRequest& request,
                                          const http::RequestOptions& options) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(request);
    options_.push_back(options);
    if (steps_.empty()) return absl::UnavailableError("ScriptedHttpClient: no answer scripted for " + request.url);
    auto step = std::move(steps_.front());
    steps_.pop_front();
    return std::move(step.result);
  }

  std::vector<http::HttpRequest> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  std::vector<http::RequestOptions> options() const {
    std::lock_guard lock(mutex_);
    return options_;
  }
  std::size_t remaining() const {
    std::lock_guard lock(mutex_);
    return steps_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Step> steps_;
  std::vector<http::HttpRequest> sent_;
  std::vector<http::RequestOptions> options_;
};

}  // namespace awsd::test_support
