#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/http/http_request.h"

namespace awsd::http {

struct HttpResponse {
  int status = 0;
  // Names as the server sent them; repeats kept in order.
  std::vector<Header> headers;
  std::string body;

  // The first header called `name` (compared case-insensitively), or nullptr.
  const std::string* FindHeader(std::string_view name) const;
};

// Limits of one request. Every request the daemon makes is bounded in time
// and size, so a stuck or flooding upstream costs one request, not a thread.
struct RequestOptions {
  std::chrono::milliseconds connect_timeout{1000};
  // The whole exchange, connect included.
  std::chrono::milliseconds total_timeout{5000};
  // A larger response is refused (ResourceExhausted), not truncated.
  std::size_t max_response_bytes = 1 << 20;
};

// Sends one request and waits for the whole response. Thread-safe.
//
// An HTTP error status (403, 500, ...) is a response, not an error. Errors
// are transport failures: Unavailable (refused, reset, DNS), DeadlineExceeded
// (a timeout), ResourceExhausted (response over the cap), InvalidArgument (a
// URL that is not absolute http(s)). Messages name the method and the URL
// without its query (which may carry a signature or a token), never a header
// value or a body.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request, const RequestOptions& options) = 0;
};

}  // namespace awsd::http
