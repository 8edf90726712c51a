#pragma once

// What one attempt came to, and what to do next: the values the call path
// and CallRetries exchange.

#include <chrono>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "daemon/http/http_request.h"

namespace awsd::retries {

// The `retryable` trait of the error shape that matched the response, when
// the service model has one (botocore's ModeledRetryErrorDetector).
enum class ModeledRetry { kNone, kTransient, kThrottling };

struct AttemptResult {
  // Not ok when no HTTP response came back. Unavailable (connection refused,
  // reset, TLS), DeadlineExceeded (connect or read timeout), DataLoss (the
  // connection closed mid-response) and Aborted are botocore's
  // ConnectionError / HTTPClientError and may be retried; other codes
  // (Cancelled, InvalidArgument, ...) are local failures and are not.
  absl::Status transport;
  int http_status = 0;
  // The AWS error code parsed from an error response; "" otherwise.
  std::string error_code;
  ModeledRetry modeled = ModeledRetry::kNone;
  // The response's headers (Date / x-amz-date for clock skew); may be null.
  const std::vector<http::Header>* headers = nullptr;
  // The endpoint's host (the Host header's value), the key of the clock-skew
  // table.
  std::string host;
  // The time written into the attempt's signature (already corrected by
  // ClockSkew::Offset): skew is measured from it.
  std::chrono::system_clock::time_point signed_at{};
  // False when the request body cannot be sent again (a client stream).
  bool replayable = true;
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
  // Why, for the log and for ServiceError.retryable: "ThrottlingException",
  // "HTTP 503", "connection error", "retry quota exhausted", ...
  std::string reason;
  // Whether botocore would count the outcome as retryable at all (even when
  // attempts or the quota ran out).
  bool retryable = false;
  // The retry is the one clock-skew retry: sign it with now + Offset(host).
  bool clock_skew = false;
};

}  // namespace awsd::retries
