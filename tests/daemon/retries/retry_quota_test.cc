#include "daemon/retries/retry_quota.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace awsd::retries {
namespace {

TEST(RetryQuotaTest, AcquireAndReleaseAsQuotaPy) {
  RetryQuota quota;
  EXPECT_EQ(quota.available(), 500);
  EXPECT_TRUE(quota.Acquire(5));
  EXPECT_TRUE(quota.Acquire(10));
  EXPECT_EQ(quota.available(), 485);
  quota.Release(10);
  EXPECT_EQ(quota.available(), 495);
  // Never above the initial capacity.
  quota.Release(100);
  EXPECT_EQ(quota.available(), 500);
}

TEST(RetryQuotaTest, RefusesMoreThanIsLeftAndTakesNothing) {
  RetryQuota quota(12);
  EXPECT_TRUE(quota.Acquire(10));
  EXPECT_FALSE(quota.Acquire(5));
  EXPECT_EQ(quota.available(), 2);
  EXPECT_TRUE(quota.Acquire(2));
  EXPECT_EQ(quota.available(), 0);
}

TEST(RetryQuotaTest, ConcurrentAcquiresNeverOverdraw) {
  RetryQuota quota;
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (quota.Acquire(5)) ++granted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(granted.load(), 100);
  EXPECT_EQ(quota.available(), 0);
}

}  // namespace
}  // namespace awsd::retries
