#pragma once

// The retry state shared host-wide: one RetryState per (service, region)
// holding the standard-mode quota, the adaptive rate limiter and the legacy
// rules of the service, and one ClockSkew table for every endpoint host.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include <mutex>
#include "daemon/retries/clock_skew.h"
#include "daemon/retries/legacy_retry_rules.h"
#include "daemon/retries/rate_limiter.h"
#include "daemon/retries/retry_metrics.h"
#include "daemon/retries/retry_quota.h"
#include "nlohmann/json.hpp"

namespace awsd::retries {

// Thread-safe: the quota and the limiter lock themselves, the rest is
// immutable.
class RetryState {
 public:
  RetryState(std::string service, std::string region, SecondsClock clock, std::shared_ptr<ClockSkew> clock_skew,
             LegacyRetryRules legacy_rules);

  const std::string& service() const { return service_; }
  const std::string& region() const { return region_; }
  RetryQuota& quota() { return quota_; }
  RateLimiter& rate_limiter() { return rate_limiter_; }
  ClockSkew& clock_skew() { return *clock_skew_; }
  const LegacyRetryRules& legacy_rules() const { return legacy_rules_; }
  const RetryMetrics& metrics() const { return metrics_; }

 private:
  const std::string service_;
  const std::string region_;
  // Before quota_, which publishes into it.
  const RetryMetrics metrics_;
  RetryQuota quota_;
  RateLimiter rate_limiter_;
  const std::shared_ptr<ClockSkew> clock_skew_;
  const LegacyRetryRules legacy_rules_;
};

// The RetryStates of the host, made on first use. Thread-safe.
class RetryRegistry {
 public:
  struct Options {
    // For the rate limiter: seconds, steady.
    SecondsClock seconds_clock;
    // For clock skew: the wall clock.
    WallClock wall_clock;
  };

  RetryRegistry();
  explicit RetryRegistry(Options options);
  ~RetryRegistry();

  // botocore's _retry.json (ModelFiles::LoadDataFile("_retry")); until it is
  // set, or when it is rejected (InvalidArgument), the built-in copy is
  // used. States already made keep the rules they were made with.
  absl::Status SetRetryDocument(nlohmann::json document);

  // `service` is the endpoint prefix, as _retry.json keys services
  // ("dynamodb", "ec2", "s3", "sts", ...). The same pair always gives the
  // same state.
  std::shared_ptr<RetryState> For(const std::string& service, const std::string& region);

  // The host-wide clock-skew table every state shares.
  const std::shared_ptr<ClockSkew>& clock_skew() const { return clock_skew_; }

 private:
  Options options_;
  std::shared_ptr<ClockSkew> clock_skew_;
  std::mutex mutex_;  // not absl::Mutex, which TSan cannot see into
  std::shared_ptr<const nlohmann::json> document_;  // guarded by mutex_
  absl::flat_hash_map<std::pair<std::string, std::string>, std::shared_ptr<RetryState>> states_;  // guarded by mutex_
};

}  // namespace awsd::retries
