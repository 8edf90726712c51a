#pragma once

// Adaptive mode's client-side rate limiter (retries/adaptive.py
// ClientRateLimiter): off until the first throttle, then every send takes a
// token from a bucket whose rate follows CUBIC, capped at twice the measured
// response rate. Shared by every call to one (service, region).
// Thread-safe; never blocks: OnSendingRequest returns the wait instead.

#include <functional>

#include "absl/base/thread_annotations.h"
#include <mutex>
#include "daemon/retries/cubic_calculator.h"
#include "daemon/retries/rate_clocker.h"
#include "daemon/retries/token_bucket.h"

namespace awsd::retries {

// Seconds since any fixed epoch; tests pass a fake one.
using SecondsClock = std::function<double()>;

class RateLimiter {
 public:
  static constexpr double kMaxRateAdjustScale = 2.0;

  explicit RateLimiter(SecondsClock clock);

  // before-send: seconds to wait before sending (0 while disabled or when a
  // token is there).
  double OnSendingRequest();
  // needs-retry, for every response or transport failure.
  void OnReceivingResponse(bool throttled);

  struct Snapshot {
    bool enabled;
    double max_rate;       // the bucket's fill rate
    double measured_rate;  // RateClocker's
    double available_capacity;
    double w_max, k, last_fail;  // CUBIC's parameters
  };
  Snapshot snapshot() const;

 private:
  SecondsClock clock_;
  mutable std::mutex mutex_;  // not absl::Mutex, which TSan cannot see into
  CubicCalculator cubic_;  // guarded by mutex_
  TokenBucket bucket_;  // guarded by mutex_
  RateClocker clocker_;  // guarded by mutex_
  bool enabled_ = false;  // guarded by mutex_
};

}  // namespace awsd::retries
