#include "daemon/retries/retry_quota.h"

#include <algorithm>

namespace awsd::retries {

RetryQuota::RetryQuota(int initial_capacity) : max_capacity_(initial_capacity), available_(initial_capacity) {}

bool RetryQuota::Acquire(int amount) {
  absl::MutexLock lock(&mutex_);
  if (amount > available_) return false;
  available_ -= amount;
  return true;
}

void RetryQuota::Release(int amount) {
  absl::MutexLock lock(&mutex_);
  available_ += std::min(max_capacity_ - available_, amount);
}

int RetryQuota::available() const {
  absl::MutexLock lock(&mutex_);
  return available_;
}

}  // namespace awsd::retries
