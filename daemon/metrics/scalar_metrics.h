#pragma once

// The metric values a family holds per label set. Each update is one relaxed
// atomic operation: the call path pays for a metric with one locked
// instruction, never a lock or an allocation.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace awsd::metrics {

// Only goes up (Prometheus `counter`).
class Counter {
 public:
  void Increment(uint64_t amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// Goes up and down (Prometheus `gauge`).
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double amount) { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A gauge whose value is the seconds since Reset(), computed when scraped,
// so nothing has to tick it. Rendered only once it has been reset.
class AgeGauge {
 public:
  using Clock = std::chrono::steady_clock;

  void Reset() { ResetAt(Clock::now()); }
  void ResetAt(Clock::time_point when) { since_.store(when.time_since_epoch().count(), std::memory_order_relaxed); }
  // nullopt until the first Reset.
  std::optional<double> SecondsAt(Clock::time_point now) const {
    const Clock::rep since = since_.load(std::memory_order_relaxed);
    if (since == kUnset) return std::nullopt;
    return std::chrono::duration<double>(now - Clock::time_point(Clock::duration(since))).count();
  }

 private:
  static constexpr Clock::rep kUnset = INT64_MIN;
  std::atomic<Clock::rep> since_{kUnset};
};

}  // namespace awsd::metrics
