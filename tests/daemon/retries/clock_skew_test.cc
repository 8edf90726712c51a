#include "daemon/retries/clock_skew.h"

#include <gtest/gtest.h>

namespace awsd::retries {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

system_clock::time_point At(int64_t unix_seconds) { return system_clock::time_point(seconds(unix_seconds)); }

TEST(ClockSkewTest, ParsesDates) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), At(784111777));
  EXPECT_EQ(ParseHttpDate("6 Nov 1994 08:49:37 UTC"), At(784111777));
  EXPECT_EQ(ParseAmzDate("19941106T084937Z"), At(784111777));
  EXPECT_FALSE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT").has_value());
  EXPECT_FALSE(ParseAmzDate("1994-11-06T08:49:37Z").has_value());
  EXPECT_EQ(ServerTime({{"x-amz-date", "19941106T084937Z"}}), At(784111777));
  EXPECT_EQ(ServerTime({{"date", "Sun, 06 Nov 1994 08:49:38 GMT"}, {"X-Amz-Date", "19941106T084937Z"}}), At(784111778));
}

TEST(ClockSkewTest, RecordsOnlyLargeDifferences) {
  system_clock::time_point now = At(1'700'000'000);
  ClockSkew skew([&] { return now; });
  EXPECT_FALSE(skew.Observe("a.example", now + seconds(240), now));  // 4 minutes: still fine
  EXPECT_EQ(skew.Offset("a.example"), seconds(0));
  EXPECT_TRUE(skew.Observe("a.example", now + seconds(900), now));
  EXPECT_EQ(skew.Offset("a.example"), seconds(900));
  EXPECT_EQ(skew.Offset("b.example"), seconds(0));
  EXPECT_EQ(skew.Now("a.example"), now + seconds(900));
  // Signed with the correction: a small difference clears nothing.
  EXPECT_FALSE(skew.Observe("a.example", now + seconds(902), now + seconds(900)));
  EXPECT_EQ(skew.Offset("a.example"), seconds(900));
  // Behind, the other way: replaced, not added to.
  EXPECT_TRUE(skew.Observe("a.example", now - seconds(600), now + seconds(900)));
  EXPECT_EQ(skew.Offset("a.example"), seconds(-600));
}

TEST(ClockSkewTest, Codes) {
  for (const char* code : {"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException",
                           "SignatureDoesNotMatch", "AuthFailure", "InvalidSignature"}) {
    EXPECT_TRUE(IsClockSkewErrorCode(code)) << code;
  }
  EXPECT_FALSE(IsClockSkewErrorCode("AccessDenied"));
  EXPECT_TRUE(IsClockSkewStatus(403));
  EXPECT_FALSE(IsClockSkewStatus(500));
}

}  // namespace
}  // namespace awsd::retries
