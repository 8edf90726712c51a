#pragma once

// retries/bucket.py's TokenBucket, made non-blocking: where botocore's
// acquire() sleeps until the tokens exist, Acquire() takes them on credit
// (the level may go negative) and returns how long the caller must wait
// before sending. Callers that queue behind a debt wait for it in turn, so
// the send rate is the same as with botocore's sleeping threads. Not
// thread-safe: RateLimiter serialises access.

namespace awsd::retries {

class TokenBucket {
 public:
  static constexpr double kMinRate = 0.5;

  // `now` is the time in seconds (any epoch) when the bucket is made.
  TokenBucket(double max_rate, double now, double min_rate = kMinRate);

  double max_rate() const { return fill_rate_; }
  // The max_rate setter: refills up to `now` at the old rate first.
  void SetMaxRate(double value, double now);
  double max_capacity() const { return max_capacity_; }
  // Negative while earlier callers wait for tokens taken on credit.
  double available_capacity() const { return current_capacity_; }

  // Seconds to wait before the `amount` tokens taken are there (0 when they
  // already were).
  double Acquire(double now, double amount = 1);

 private:
  void Refill(double now);

  double fill_rate_ = 0;
  double max_capacity_ = 0;
  double current_capacity_ = 0;
  double last_timestamp_ = 0;
  bool has_timestamp_ = false;
  double min_rate_;
};

}  // namespace awsd::retries
