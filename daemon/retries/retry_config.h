#pragma once

// Which retry mode a client uses and how many attempts it gets, resolved as
// botocore 1.43's ClientArgsCreator._compute_retry_config and Config's
// validation do.

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"

namespace awsd::retries {

enum class RetryMode { kLegacy, kStandard, kAdaptive };

// "legacy", "standard", "adaptive".
std::string_view RetryModeName(RetryMode mode);

// botocore's default attempts per mode (the first included): _retry.json's
// general 5 for legacy, standard.DEFAULT_MAX_ATTEMPTS for the others.
inline constexpr int kLegacyDefaultMaxAttempts = 5;
inline constexpr int kStandardDefaultMaxAttempts = 3;

struct RetryConfig {
  RetryMode mode = RetryMode::kLegacy;
  // Total attempts, the first included (botocore's total_max_attempts).
  // When max_attempts_configured is false this is the mode's default, and in
  // legacy mode the service's _retry.json value (DynamoDB's 10) wins instead.
  int max_attempts = kLegacyDefaultMaxAttempts;
  bool max_attempts_configured = false;
};

// A client's `Config(retries={...})`, as botocore accepts it. max_attempts
// counts retries (total = max_attempts + 1); total_max_attempts counts every
// attempt and wins over max_attempts when both are given.
struct ClientRetryOptions {
  std::optional<std::string> mode;
  std::optional<int> max_attempts;
  std::optional<int> total_max_attempts;
};

// The client options first, then AWS_RETRY_MODE / AWS_MAX_ATTEMPTS, then the
// profile's retry_mode / max_attempts, then the defaults. Values botocore
// refuses are InvalidArgument with botocore's message:
//   Invalid value provided to "mode": "x" must be one of: ('legacy', 'standard', 'adaptive')
//   Value provided to "max_attempts": 0 must be an integer greater than or equal to 1.
//   invalid literal for int() with base 10: 'x'
absl::StatusOr<RetryConfig> ResolveRetryConfig(const config::Profile* profile, const config::EnvLookup& env,
                                               const ClientRetryOptions& client = {});

}  // namespace awsd::retries
