#include "daemon/retries/rate_clocker.h"

#include <cmath>

namespace awsd::retries {

// botocore starts from floor(now) whatever the bucket range, and always
// scales by 1 / _TIME_BUCKET_RANGE (the class constant, not the argument);
// both kept.
RateClocker::RateClocker(double now, double smoothing, double /*time_bucket_range*/)
    : smoothing_(smoothing), last_bucket_(std::floor(now)), time_bucket_scale_(1 / kTimeBucketRange) {}

double RateClocker::Record(double now, int amount) {
  const double bucket = std::floor(now * time_bucket_scale_) / time_bucket_scale_;
  count_ += amount;
  if (bucket > last_bucket_) {
    const double current_rate = count_ / (bucket - last_bucket_);
    measured_rate_ = current_rate * smoothing_ + measured_rate_ * (1 - smoothing_);
    count_ = 0;
    last_bucket_ = bucket;
  }
  return measured_rate_;
}

}  // namespace awsd::retries
