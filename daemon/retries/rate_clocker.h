#pragma once

// retries/adaptive.py's RateClocker: the measured rate of responses, counted
// in half-second buckets and smoothed. Times are seconds. Not thread-safe.

namespace awsd::retries {

class RateClocker {
 public:
  static constexpr double kSmoothing = 0.8;
  static constexpr double kTimeBucketRange = 0.5;

  explicit RateClocker(double now, double smoothing = kSmoothing, double time_bucket_range = kTimeBucketRange);

  // Counts `amount` responses at `now`; returns the measured rate.
  double Record(double now, int amount = 1);
  double measured_rate() const { return measured_rate_; }

 private:
  double measured_rate_ = 0;
  double smoothing_;
  double last_bucket_;
  double time_bucket_scale_;
  int count_ = 0;
};

}  // namespace awsd::retries
