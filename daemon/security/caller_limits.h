#pragma once

// Per-caller (uid) limits, so one noisy client cannot starve the others:
// calls in flight at once, and a token bucket for calls per second. Past
// either, a call is refused at once (RESOURCE_EXHAUSTED) rather than queued.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace awsd::security {

struct CallerLimitSettings {
  uint32_t max_concurrent_calls = 0;  // 0: unlimited
  double calls_per_second = 0;        // 0: unlimited
  uint32_t burst = 0;                 // 0: max(1, calls_per_second)
};

class CallerLimits {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit CallerLimits(CallerLimitSettings settings, Clock clock = &std::chrono::steady_clock::now);

  // Held for as long as the call is in flight.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept : owner_(other.owner_), uid_(other.uid_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    ~Slot() { Release(); }
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    friend class CallerLimits;
    Slot(CallerLimits* owner, uid_t uid) : owner_(owner), uid_(uid) {}
    void Release();
    CallerLimits* owner_ = nullptr;
    uid_t uid_ = 0;
  };

  // A slot, or an empty one when `uid` has max_concurrent_calls in flight.
  // With no concurrency limit the slot is still counted (and non-empty).
  Slot TryEnter(uid_t uid);
  // Takes one token of `uid`'s bucket; false when it is empty.
  bool TryTakeToken(uid_t uid);

  // SIGHUP: new limits apply to the next call; calls in flight keep counting.
  void Update(CallerLimitSettings settings);
  uint32_t in_flight(uid_t uid) const;

 private:
  struct PerUid {
    uint32_t in_flight = 0;
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled{};
    bool bucket_started = false;
  };
  double Burst() const;

  mutable std::mutex mutex_;
  CallerLimitSettings settings_;
  Clock clock_;
  std::unordered_map<uid_t, PerUid> by_uid_;
};

}  // namespace awsd::security
