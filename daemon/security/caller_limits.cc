#include "daemon/security/caller_limits.h"

#include <algorithm>

namespace awsd::security {

CallerLimits::CallerLimits(CallerLimitSettings settings, Clock clock) : settings_(settings), clock_(std::move(clock)) {}

CallerLimits::Slot& CallerLimits::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    uid_ = other.uid_;
    other.owner_ = nullptr;
  }
  return *this;
}

void CallerLimits::Slot::Release() {
  if (owner_ == nullptr) return;
  std::lock_guard lock(owner_->mutex_);
  auto it = owner_->by_uid_.find(uid_);
  if (it != owner_->by_uid_.end() && it->second.in_flight > 0) --it->second.in_flight;
  owner_ = nullptr;
}

CallerLimits::Slot CallerLimits::TryEnter(uid_t uid) {
  std::lock_guard lock(mutex_);
  PerUid& state = by_uid_[uid];
  if (settings_.max_concurrent_calls != 0 && state.in_flight >= settings_.max_concurrent_calls) return Slot();
  ++state.in_flight;
  return Slot(this, uid);
}

double CallerLimits::Burst() const {
  if (settings_.burst != 0) return settings_.burst;
  return std::max(1.0, settings_.calls_per_second);
}

bool CallerLimits::TryTakeToken(uid_t uid) {
  std::lock_guard lock(mutex_);
  if (settings_.calls_per_second <= 0) return true;
  PerUid& state = by_uid_[uid];
  const auto now = clock_();
  if (!state.bucket_started) {
    // A caller's first call finds a full bucket.
    state.bucket_started = true;
    state.tokens = Burst();
    state.refilled = now;
  }
  const double elapsed = std::chrono::duration<double>(now - state.refilled).count();
  state.tokens = std::min(Burst(), state.tokens + elapsed * settings_.calls_per_second);
  state.refilled = now;
  if (state.tokens < 1.0) return false;
  state.tokens -= 1.0;
  return true;
}

void CallerLimits::Update(CallerLimitSettings settings) {
  std::lock_guard lock(mutex_);
  settings_ = settings;
  for (auto& [uid, state] : by_uid_) state.tokens = std::min(state.tokens, Burst());
}

uint32_t CallerLimits::in_flight(uid_t uid) const {
  std::lock_guard lock(mutex_);
  auto it = by_uid_.find(uid);
  return it == by_uid_.end() ? 0 : it->second.in_flight;
}

}  // namespace awsd::security
