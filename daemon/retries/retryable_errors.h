#pragma once

// Standard and adaptive mode's classification of an attempt
// (retries/standard.py: TransientRetryableChecker, ThrottledRetryableChecker,
// ModeledRetryableChecker, special.RetryIDPCommunicationError), and what
// the quota charges for it.

#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "daemon/retries/attempt_result.h"

namespace awsd::retries {

// TransientRetryableChecker._TRANSIENT_ERROR_CODES / _TRANSIENT_STATUS_CODES.
std::span<const std::string_view> TransientErrorCodes();
std::span<const int> TransientStatusCodes();
// ThrottledRetryableChecker._THROTTLED_ERROR_CODES.
std::span<const std::string_view> ThrottlingErrorCodes();

// A transport failure botocore would see as ConnectionError/HTTPClientError.
bool IsRetryableTransportError(const absl::Status& transport);
// ConnectTimeoutError / ReadTimeoutError: the quota charges these more.
bool IsTimeoutError(const AttemptResult& result);

// ThrottlingErrorDetector: a throttling code, or a modeled throttling error.
bool IsThrottlingError(const AttemptResult& result);

enum class StandardErrorKind { kNotRetryable, kTransient, kThrottling, kModeled, kSpecial };

// Which of StandardRetryConditions' checkers accepts `result`, in their
// order. `service_name` is the botocore service name (only "sts" matters:
// IDPCommunicationError).
StandardErrorKind ClassifyStandard(const AttemptResult& result, std::string_view service_name);

}  // namespace awsd::retries
