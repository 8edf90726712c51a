#include "daemon/retries/token_bucket.h"

#include <algorithm>

namespace awsd::retries {

TokenBucket::TokenBucket(double max_rate, double now, double min_rate) : min_rate_(min_rate) {
  SetMaxRate(max_rate, now);
}

void TokenBucket::SetMaxRate(double value, double now) {
  Refill(now);
  fill_rate_ = std::max(value, min_rate_);
  max_capacity_ = value >= 1 ? value : 1;
  current_capacity_ = std::min(current_capacity_, max_capacity_);
}

double TokenBucket::Acquire(double now, double amount) {
  Refill(now);
  if (amount <= current_capacity_) {
    current_capacity_ -= amount;
    return 0;
  }
  const double wait = (amount - current_capacity_) / fill_rate_;
  current_capacity_ -= amount;
  return wait;
}

void TokenBucket::Refill(double now) {
  if (!has_timestamp_) {
    has_timestamp_ = true;
    last_timestamp_ = now;
    return;
  }
  const double fill_amount = (now - last_timestamp_) * fill_rate_;
  current_capacity_ = std::min(max_capacity_, current_capacity_ + fill_amount);
  last_timestamp_ = now;
}

}  // namespace awsd::retries
