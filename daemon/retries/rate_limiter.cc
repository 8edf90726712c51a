#include "daemon/retries/rate_limiter.h"

#include <algorithm>
#include <utility>

namespace awsd::retries {

// adaptive.register_retry_handler's set-up: CUBIC from rate 0, a bucket of
// rate 1, all reading the clock at creation in this order.
RateLimiter::RateLimiter(SecondsClock clock)
    : clock_(std::move(clock)), cubic_(0, clock_()), bucket_(1, clock_()), clocker_(clock_()) {}

double RateLimiter::OnSendingRequest() {
  std::lock_guard lock(mutex_);
  if (!enabled_) return 0;
  return bucket_.Acquire(clock_());
}

void RateLimiter::OnReceivingResponse(bool throttled) {
  std::lock_guard lock(mutex_);
  const double measured_rate = clocker_.Record(clock_());
  const double timestamp = clock_();
  double new_rate;
  if (!throttled) {
    new_rate = cubic_.SuccessReceived(timestamp);
  } else {
    const double rate_to_use = enabled_ ? std::min(measured_rate, bucket_.max_rate()) : measured_rate;
    new_rate = cubic_.ErrorReceived(rate_to_use, timestamp);
    enabled_ = true;
  }
  // The bucket's setter reads the clock again for its refill.
  bucket_.SetMaxRate(std::min(new_rate, kMaxRateAdjustScale * measured_rate), clock_());
}

RateLimiter::Snapshot RateLimiter::snapshot() const {
  std::lock_guard lock(mutex_);
  return Snapshot{enabled_,       bucket_.max_rate(), clocker_.measured_rate(), bucket_.available_capacity(),
                  cubic_.w_max(), cubic_.k(),         cubic_.last_fail()};
}

}  // namespace awsd::retries
