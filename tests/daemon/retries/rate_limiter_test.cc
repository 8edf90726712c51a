#include "daemon/retries/rate_limiter.h"

#include <gtest/gtest.h>

#include <cmath>

#include "daemon/retries/cubic_calculator.h"
#include "daemon/retries/rate_clocker.h"
#include "daemon/retries/token_bucket.h"

namespace awsd::retries {
namespace {

TEST(TokenBucketTest, StartsEmptyAndFillsAtItsRate) {
  TokenBucket bucket(/*max_rate=*/1, /*now=*/100);
  EXPECT_EQ(bucket.available_capacity(), 0);
  EXPECT_DOUBLE_EQ(bucket.Acquire(100), 1.0);  // one token away at 1/s
  EXPECT_DOUBLE_EQ(bucket.available_capacity(), -1);
  // A second caller queues behind the first.
  EXPECT_DOUBLE_EQ(bucket.Acquire(100.5), 1.5);
  // -1.5 at 100.5, +2.5 by 103: exactly the one token, taken.
  EXPECT_DOUBLE_EQ(bucket.Acquire(103), 0);
  EXPECT_DOUBLE_EQ(bucket.available_capacity(), 0);
}

TEST(TokenBucketTest, RateBelowOneKeepsCapacityOneAndMinRate) {
  TokenBucket bucket(1, 0);
  bucket.SetMaxRate(0.2, 10);  // refills 10 tokens at the old rate, capped at 1
  EXPECT_DOUBLE_EQ(bucket.max_rate(), 0.5);
  EXPECT_DOUBLE_EQ(bucket.max_capacity(), 1);
  EXPECT_DOUBLE_EQ(bucket.available_capacity(), 1);
}

TEST(CubicCalculatorTest, MatchesThrottlingPy) {
  CubicCalculator cubic(/*starting_max_rate=*/10, /*start_time=*/0);
  EXPECT_DOUBLE_EQ(cubic.k(), std::pow(10 * 0.3 / 0.4, 1 / 3.0));
  EXPECT_DOUBLE_EQ(cubic.ErrorReceived(10, 5), 7.0);
  EXPECT_DOUBLE_EQ(cubic.last_fail(), 5);
  // At t = last_fail + k the curve is back at w_max.
  EXPECT_NEAR(cubic.SuccessReceived(5 + cubic.k()), 10, 1e-12);
  EXPECT_DOUBLE_EQ(cubic.SuccessReceived(5), 0.4 * std::pow(-cubic.k(), 3) + 10);
}

TEST(RateClockerTest, HalfSecondBucketsSmoothed) {
  RateClocker clocker(10.0);
  EXPECT_EQ(clocker.Record(10.1), 0);  // same bucket as the start
  EXPECT_EQ(clocker.Record(10.2), 0);
  // Bucket 10.5: 3 responses over 0.5 s = 6/s, smoothed by 0.8.
  EXPECT_DOUBLE_EQ(clocker.Record(10.6), 6 * 0.8);
  EXPECT_DOUBLE_EQ(clocker.Record(11.7), 1 / 1.0 * 0.8 + 4.8 * 0.2);
}

TEST(RateLimiterTest, DisabledUntilTheFirstThrottle) {
  double now = 50;
  RateLimiter limiter([&] { return now; });
  EXPECT_EQ(limiter.OnSendingRequest(), 0);
  now = 50.6;
  limiter.OnReceivingResponse(false);
  EXPECT_FALSE(limiter.snapshot().enabled);
  EXPECT_EQ(limiter.OnSendingRequest(), 0);
  now = 51.2;
  limiter.OnReceivingResponse(true);
  RateLimiter::Snapshot snapshot = limiter.snapshot();
  EXPECT_TRUE(snapshot.enabled);
  // Measured rate: 1 response per half-second bucket -> 2/s * 0.8 = 1.6,
  // then 2 * 0.8 + 1.6 * 0.2 = 1.92; the throttle cuts that by beta 0.7.
  EXPECT_DOUBLE_EQ(snapshot.measured_rate, 1.92);
  EXPECT_DOUBLE_EQ(snapshot.w_max, 1.92);
  EXPECT_DOUBLE_EQ(snapshot.max_rate, 1.92 * 0.7);
  EXPECT_GT(limiter.OnSendingRequest(), 0);
}

}  // namespace
}  // namespace awsd::retries
