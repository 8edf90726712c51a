#include "daemon/retries/retry_quota.h"

#include <algorithm>

namespace awsd::retries {

RetryQuota::RetryQuota(int initial_capacity, metrics::Gauge* available_gauge)
    : max_capacity_(initial_capacity), available_gauge_(available_gauge), available_(initial_capacity) {
  std::lock_guard lock(mutex_);
  Publish();
}

// Under the lock, so the gauge never shows an older value than the last change.
void RetryQuota::Publish() {
  if (available_gauge_ != nullptr) available_gauge_->Set(available_);
}

bool RetryQuota::Acquire(int amount) {
  std::lock_guard lock(mutex_);
  if (amount > available_) return false;
  available_ -= amount;
  Publish();
  return true;
}

void RetryQuota::Release(int amount) {
  std::lock_guard lock(mutex_);
  available_ += std::min(max_capacity_ - available_, amount);
  Publish();
}

int RetryQuota::available() const {
  std::lock_guard lock(mutex_);
  return available_;
}

}  // namespace awsd::retries
