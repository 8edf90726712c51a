#include "daemon/security/caller_limits.h"

#include <gtest/gtest.h>

namespace awsd::security {
namespace {

using std::chrono::milliseconds;

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  CallerLimits::Clock Get() {
    return [this] { return now; };
  }
};

TEST(CallerLimits, ConcurrencyIsPerUid) {
  CallerLimits limits({.max_concurrent_calls = 2});
  auto a1 = limits.TryEnter(1000);
  auto a2 = limits.TryEnter(1000);
  EXPECT_TRUE(a1);
  EXPECT_TRUE(a2);
  EXPECT_FALSE(limits.TryEnter(1000));
  // Another caller is not held up by the first.
  EXPECT_TRUE(limits.TryEnter(1001));
  EXPECT_EQ(limits.in_flight(1000), 2u);
  a1 = {};
  EXPECT_EQ(limits.in_flight(1000), 1u);
  EXPECT_TRUE(limits.TryEnter(1000));
}

TEST(CallerLimits, UnlimitedStillCounts) {
  CallerLimits limits({});
  auto slot = limits.TryEnter(5);
  EXPECT_TRUE(slot);
  EXPECT_EQ(limits.in_flight(5), 1u);
  EXPECT_TRUE(limits.TryTakeToken(5));
}

TEST(CallerLimits, TokenBucketRefillsAtTheRate) {
  FakeClock clock;
  CallerLimits limits({.calls_per_second = 10, .burst = 3}, clock.Get());
  EXPECT_TRUE(limits.TryTakeToken(7));
  EXPECT_TRUE(limits.TryTakeToken(7));
  EXPECT_TRUE(limits.TryTakeToken(7));
  EXPECT_FALSE(limits.TryTakeToken(7));
  EXPECT_TRUE(limits.TryTakeToken(8));  // its own bucket
  clock.now += milliseconds(99);
  EXPECT_FALSE(limits.TryTakeToken(7));
  clock.now += milliseconds(2);  // 101 ms: one token back
  EXPECT_TRUE(limits.TryTakeToken(7));
  EXPECT_FALSE(limits.TryTakeToken(7));
  clock.now += milliseconds(10'000);  // refills to the burst, not past it
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limits.TryTakeToken(7));
  EXPECT_FALSE(limits.TryTakeToken(7));
}

TEST(CallerLimits, UpdateAppliesToTheNextCall) {
  FakeClock clock;
  CallerLimits limits({.calls_per_second = 1}, clock.Get());
  EXPECT_TRUE(limits.TryTakeToken(1));
  EXPECT_FALSE(limits.TryTakeToken(1));
  limits.Update({});
  EXPECT_TRUE(limits.TryTakeToken(1));
  auto slot = limits.TryEnter(1);
  limits.Update({.max_concurrent_calls = 1});
  EXPECT_FALSE(limits.TryEnter(1));
}

}  // namespace
}  // namespace awsd::security
