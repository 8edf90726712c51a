#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/http/http_client.h"

namespace awsd::test_support {

// Remembers the URLs a provider asked for, then sends the request on.
class RecordingHttpClient : public http::HttpClient {
 public:
  explicit RecordingHttpClient(std::shared_ptr<http::HttpClient> inner) : inner_(std::move(inner)) {}
  absl::StatusOr<http::HttpResponse> Send(const http::HttpRequest &request,
                                          const http::RequestOptions &options) override {
    {
      std::lock_guard lock(mutex_);
      urls_.push_back(request.url);
    }
    return inner_->Send(request, options);
  }
  std::vector<std::string> urls() const {
    std::lock_guard lock(mutex_);
    return urls_;
  }

 private:
  std::shared_ptr<http::HttpClient> inner_;
  mutable std::mutex mutex_;
  std::vector<std::string> urls_;
};

}  // namespace awsd::test_support
