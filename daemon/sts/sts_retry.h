#pragma once

// Which failed STS calls are tried again, and how long to wait first: the
// two retry modes botocore 1.43 has (retries/standard.py and the legacy
// data/_retry.json handler), with what they say about STS.

#include <chrono>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"

namespace awsd::sts {

enum class RetryMode {
  // retries/standard.py ("adaptive" retries the same way; its client-side
  // rate limiter is not reproduced).
  kStandard,
  // The _retry.json handler, botocore 1.43's default mode.
  kLegacy,
};

struct RetrySettings {
  RetryMode mode = RetryMode::kStandard;
  // Attempts in all, the first included.
  int max_attempts = 3;
};

// retry_mode and max_attempts from the environment, then `profile` (may be
// null), as botocore reads them: the mode defaults to legacy; max_attempts
// defaults to 3 in standard mode and 5 (_retry.json) in legacy mode. An
// unknown mode or a max_attempts that is not a positive integer is
// InvalidArgument.
absl::StatusOr<RetrySettings> ResolveRetrySettings(const config::Profile* profile, const config::EnvLookup& env);

// What one attempt ended with, as far as retrying cares.
struct AttemptOutcome {
  // Set when a response came back.
  std::optional<int> http_status;
  // The error code of an error response ("Throttling"); empty when there is
  // none or the body could not be read.
  std::string error_code;
  // The transport failed (connection refused or reset, timeout): botocore's
  // ConnectionError / HTTPClientError.
  bool transport_error = false;
};

// Whether botocore would try again after `outcome` (attempts left aside).
bool IsRetryable(RetryMode mode, const AttemptOutcome& outcome);

// A throttling error: standard mode's ThrottledRetryableChecker codes, or
// HTTP 429 in legacy mode.
bool IsThrottling(RetryMode mode, const AttemptOutcome& outcome);

// The wait before attempt `next_attempt` (2 for the first retry):
// rand * min(2^(next_attempt - 2), 20) seconds, both modes (legacy mode has
// no cap in botocore). `random` is uniform in [0, 1).
std::chrono::milliseconds RetryDelay(int next_attempt, double random);

}  // namespace awsd::sts
