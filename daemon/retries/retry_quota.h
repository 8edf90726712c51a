#pragma once

// Standard mode's retry quota (retries/quota.py RetryQuota with the costs of
// standard.py's RetryQuotaChecker): a bucket of tokens shared by every call
// to one (service, region), so that a long outage stops retries instead of
// multiplying the load. Thread-safe.

#include "absl/base/thread_annotations.h"
#include <mutex>
#include "daemon/metrics/scalar_metrics.h"

namespace awsd::retries {

class RetryQuota {
 public:
  static constexpr int kInitialCapacity = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutRetryCost = 10;
  // Given back by a call that succeeded without retrying.
  static constexpr int kNoRetryIncrement = 1;

  // `available_gauge`, when given, mirrors available() for the metrics.
  explicit RetryQuota(int initial_capacity = kInitialCapacity, metrics::Gauge* available_gauge = nullptr);

  // Takes `amount` tokens; false (and nothing taken) when fewer are left.
  bool Acquire(int amount);
  // Gives back up to `amount` tokens, never above the initial capacity.
  void Release(int amount);

  int available() const;
  int max_capacity() const { return max_capacity_; }

 private:
  void Publish();

  const int max_capacity_;
  metrics::Gauge* const available_gauge_;
  mutable std::mutex mutex_;  // not absl::Mutex, which TSan cannot see into
  int available_;  // guarded by mutex_
};

}  // namespace awsd::retries
