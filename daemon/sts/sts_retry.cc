#include "daemon/sts/sts_retry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "daemon/config/settings.h"
#include "daemon/retries/retryable_errors.h"

namespace awsd::sts {
namespace {

using std::string_view_literals::operator""sv;

// data/_retry.json: __default__ policies (these codes only with HTTP 400)
// plus sts's idp_unreachable_error.
constexpr std::array kLegacyCodesAt400{"Throttling"sv,
                                       "ThrottlingException"sv,
                                       "ThrottledException"sv,
                                       "RequestThrottledException"sv,
                                       "ProvisionedThroughputExceededException"sv,
                                       "IDPCommunicationError"sv};
constexpr std::array kLegacyStatuses{429, 500, 502, 503, 504, 509};
constexpr int kLegacyDefaultMaxAttempts = 5;
constexpr int kStandardDefaultMaxAttempts = 3;
constexpr double kMaxBackoffSeconds = 20;

template <typename Container, typename Value>
bool Contains(const Container& container, const Value& value) {
  return std::find(container.begin(), container.end(), value) != container.end();
}

}  // namespace

absl::StatusOr<RetrySettings> ResolveRetrySettings(const config::Profile* profile, const config::EnvLookup& env) {
  RetrySettings settings;
  const std::string mode = config::Resolve("retry_mode", profile, env).value_or("legacy");
  if (mode == "legacy") {
    settings.mode = RetryMode::kLegacy;
    settings.max_attempts = kLegacyDefaultMaxAttempts;
  } else if (mode == "standard" || mode == "adaptive") {
    settings.mode = RetryMode::kStandard;
    settings.max_attempts = kStandardDefaultMaxAttempts;
  } else {
    return absl::InvalidArgumentError("Invalid value provided to \"retry_mode\": \"" + mode.substr(0, 40) +
                                      "\" must be one of: legacy, standard, adaptive");
  }
  if (std::optional<std::string> attempts = config::Resolve("max_attempts", profile, env)) {
    int value = 0;
    if (!absl::SimpleAtoi(*attempts, &value) || value < 1) {
      return absl::InvalidArgumentError("max_attempts must be a positive integer, not \"" + attempts->substr(0, 40) +
                                        "\"");
    }
    settings.max_attempts = value;
  }
  return settings;
}

bool IsThrottling(RetryMode mode, const AttemptOutcome& outcome) {
  if (mode == RetryMode::kLegacy) {
    return outcome.http_status == 429 || (outcome.http_status == 400 && outcome.error_code != "IDPCommunicationError" &&
                                          Contains(kLegacyCodesAt400, outcome.error_code));
  }
  return Contains(retries::ThrottlingErrorCodes(), outcome.error_code);
}

bool IsRetryable(RetryMode mode, const AttemptOutcome& outcome) {
  if (outcome.transport_error) return true;
  if (mode == RetryMode::kLegacy) {
    if (outcome.http_status.has_value() && Contains(kLegacyStatuses, *outcome.http_status)) return true;
    return outcome.http_status == 400 && Contains(kLegacyCodesAt400, outcome.error_code);
  }
  if (outcome.http_status.has_value() && Contains(retries::TransientStatusCodes(), *outcome.http_status)) return true;
  return Contains(retries::TransientErrorCodes(), outcome.error_code) || IsThrottling(mode, outcome) ||
         outcome.error_code == "IDPCommunicationError";
}

std::chrono::milliseconds RetryDelay(int next_attempt, double random) {
  const int exponent = std::clamp(next_attempt - 2, 0, 30);
  // Legacy mode has no cap in botocore; a daemon thread should not sleep for
  // minutes because someone set max_attempts to 12, so both modes get one.
  const double seconds = std::min(std::ldexp(1.0, exponent), kMaxBackoffSeconds);
  const double clamped_random = std::clamp(random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(clamped_random * seconds * 1000));
}

}  // namespace awsd::sts
