#pragma once

// Legacy mode: the retry rules of botocore's data/_retry.json for one
// service, merged as translate.build_retry_config does (the "__default__"
// rules, then the service's, "$ref"s resolved from "definitions"), and
// applied as retryhandler.py does.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/retries/attempt_result.h"
#include "nlohmann/json.hpp"

namespace awsd::retries {

// One entry of "policies": a response rule (status, and error code when
// given), a socket-errors rule, or a CRC32 rule (never matched here: the
// DynamoDB checksum case is left to the call path).
struct LegacyPolicy {
  std::string name;
  bool socket_errors = false;
  std::optional<int> http_status;
  std::optional<std::string> error_code;
  std::optional<std::string> crc32_header;
};

class LegacyRetryRules {
 public:
  // The rules of `service` (the endpoint prefix, as botocore keys
  // _retry.json) from the document ModelFiles::LoadDataFile("_retry")
  // returns. InvalidArgument names what is malformed.
  static absl::StatusOr<LegacyRetryRules> FromJson(const nlohmann::json& document, std::string_view service);
  // The same from the copy of botocore 1.43's _retry.json built into the
  // daemon, for when no data folder has one.
  static LegacyRetryRules Builtin(std::string_view service);
  static const nlohmann::json& BuiltinDocument();

  int max_attempts() const { return max_attempts_; }
  const std::vector<LegacyPolicy>& policies() const { return policies_; }
  bool base_is_random() const { return base_is_random_; }
  double base() const { return base_; }
  double growth_factor() const { return growth_factor_; }

  // The first policy that wants `result` retried (attempts aside), or null.
  const LegacyPolicy* Match(const AttemptResult& result) const;
  // delay_exponential: base * growth_factor^(attempts - 1) seconds, base
  // being `random` when it is "rand"; `attempts` is the attempt that failed.
  double DelaySeconds(int attempts, double random) const;

 private:
  LegacyRetryRules() = default;

  int max_attempts_ = 5;
  bool base_is_random_ = true;
  double base_ = 0;
  double growth_factor_ = 2;
  std::vector<LegacyPolicy> policies_;
  // MaxAttemptsDecorator only catches socket errors when the rules have a
  // socket_errors policy and more than one policy.
  bool catches_socket_errors_ = false;
};

}  // namespace awsd::retries
