#include "daemon/retries/retryable_errors.h"

#include <algorithm>
#include <array>

namespace awsd::retries {
namespace {

using std::string_view_literals::operator""sv;

constexpr std::array kTransientCodes{"RequestTimeout"sv, "RequestTimeoutException"sv, "PriorRequestNotComplete"sv};
constexpr std::array kTransientStatuses{500, 502, 503, 504};
constexpr std::array kThrottlingCodes{
    "Throttling"sv,
    "ThrottlingException"sv,
    "ThrottledException"sv,
    "RequestThrottledException"sv,
    "TooManyRequestsException"sv,
    "ProvisionedThroughputExceededException"sv,
    "TransactionInProgressException"sv,
    "RequestLimitExceeded"sv,
    "BandwidthLimitExceeded"sv,
    "LimitExceededException"sv,
    "RequestThrottled"sv,
    "SlowDown"sv,
    "PriorRequestNotComplete"sv,
    "EC2ThrottledException"sv,
};

template <typename Container, typename Value>
bool Contains(const Container& container, const Value& value) {
  return std::find(container.begin(), container.end(), value) != container.end();
}

// botocore's get_error_code() is None without a parsed error, and None is in
// no list: an empty code must not match either.
bool HasCode(const AttemptResult& result) { return result.transport.ok() && !result.error_code.empty(); }

}  // namespace

std::span<const std::string_view> TransientErrorCodes() { return kTransientCodes; }
std::span<const int> TransientStatusCodes() { return kTransientStatuses; }
std::span<const std::string_view> ThrottlingErrorCodes() { return kThrottlingCodes; }

bool IsRetryableTransportError(const absl::Status& transport) {
  switch (transport.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kAborted:
      return true;
    default:
      return false;
  }
}

bool IsTimeoutError(const AttemptResult& result) {
  return result.transport.code() == absl::StatusCode::kDeadlineExceeded;
}

bool IsThrottlingError(const AttemptResult& result) {
  if (!HasCode(result)) return false;
  return Contains(kThrottlingCodes, result.error_code) || result.modeled == ModeledRetry::kThrottling;
}

StandardErrorKind ClassifyStandard(const AttemptResult& result, std::string_view service_name) {
  if (!result.transport.ok()) {
    return IsRetryableTransportError(result.transport) ? StandardErrorKind::kTransient
                                                       : StandardErrorKind::kNotRetryable;
  }
  if (HasCode(result) && Contains(kTransientCodes, result.error_code)) return StandardErrorKind::kTransient;
  if (Contains(kTransientStatuses, result.http_status)) return StandardErrorKind::kTransient;
  if (HasCode(result) && Contains(kThrottlingCodes, result.error_code)) return StandardErrorKind::kThrottling;
  if (HasCode(result) && result.modeled != ModeledRetry::kNone) return StandardErrorKind::kModeled;
  if (service_name == "sts" && result.error_code == "IDPCommunicationError") return StandardErrorKind::kSpecial;
  return StandardErrorKind::kNotRetryable;
}

}  // namespace awsd::retries
