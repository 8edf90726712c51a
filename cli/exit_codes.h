#pragma once

namespace awsd::cli {

// The AWS CLI's exit statuses, which awsctl keeps.
inline constexpr int kExitSuccess = 0;
// Bad command line or parameters; the message names the parameter.
inline constexpr int kExitUsage = 252;
// No usable credentials, or a configuration error.
inline constexpr int kExitNoCredentials = 253;
// The service answered with an error.
inline constexpr int kExitServiceError = 254;
// Anything else, the daemon not being reachable among it.
inline constexpr int kExitOther = 255;

}  // namespace awsd::cli
