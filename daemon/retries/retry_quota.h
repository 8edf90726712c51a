#pragma once

// Standard mode's retry quota (retries/quota.py RetryQuota with the costs of
// standard.py's RetryQuotaChecker): a bucket of tokens shared by every call
// to one (service, region), so that a long outage stops retries instead of
// multiplying the load. Thread-safe.

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace awsd::retries {

class RetryQuota {
 public:
  static constexpr int kInitialCapacity = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutRetryCost = 10;
  // Given back by a call that succeeded without retrying.
  static constexpr int kNoRetryIncrement = 1;

  explicit RetryQuota(int initial_capacity = kInitialCapacity);

  // Takes `amount` tokens; false (and nothing taken) when fewer are left.
  bool Acquire(int amount);
  // Gives back up to `amount` tokens, never above the initial capacity.
  void Release(int amount);

  int available() const;
  int max_capacity() const { return max_capacity_; }

 private:
  const int max_capacity_;
  mutable absl::Mutex mutex_;
  int available_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace awsd::retries
