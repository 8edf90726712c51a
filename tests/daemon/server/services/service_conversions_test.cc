// The conversions from a client's request fields to the daemon's values that
// the handlers make before any work: each must refuse or bound what a client
// can send, never overflow on it.

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

#include "daemon/server/services/invoke_replies.h"
#include "daemon/server/services/time_conversion.h"

namespace awsd::server {
namespace {

// Found by grpc_handlers_fuzzer: signing_time seconds past 2262 wrapped in
// protobuf's conversion to nanoseconds, and the Sign RPC signed for some
// other instant instead of refusing.
TEST(TimeConversionTest, TimestampsTheClockCannotHoldAreRefused) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(1369353600);
  timestamp.set_nanos(5);
  ASSERT_TRUE(ToTimePoint(timestamp).has_value());
  EXPECT_EQ(ToTimePoint(timestamp)->time_since_epoch(), std::chrono::seconds(1369353600) + std::chrono::nanoseconds(5));
  for (int64_t seconds : {int64_t{18446744073}, int64_t{9223372037}, std::numeric_limits<int64_t>::max(),
                          std::numeric_limits<int64_t>::min()}) {
    timestamp.set_seconds(seconds);
    timestamp.set_nanos(0);
    EXPECT_FALSE(ToTimePoint(timestamp).has_value()) << seconds;
  }
  timestamp.set_seconds(0);
  timestamp.set_nanos(-1);
  EXPECT_FALSE(ToTimePoint(timestamp).has_value());
}

// Found by grpc_handlers_fuzzer: read_timeout seconds * 1000 overflowed.
TEST(CallSettingsTest, AHugeReadTimeoutIsBoundedNotOverflowed) {
  awsd::v1::CallOptions options;
  options.mutable_read_timeout()->set_seconds(std::numeric_limits<int64_t>::max());
  invoke::CallSettings settings = ToCallSettings(awsd::v1::TIMESTAMP_FORMAT_ISO8601, options);
  ASSERT_TRUE(settings.read_timeout.has_value());
  EXPECT_EQ(*settings.read_timeout, std::chrono::hours(366 * 24));
  options.mutable_read_timeout()->set_seconds(std::numeric_limits<int64_t>::min());
  settings = ToCallSettings(awsd::v1::TIMESTAMP_FORMAT_ISO8601, options);
  EXPECT_EQ(*settings.read_timeout, -std::chrono::hours(366 * 24));
  options.mutable_read_timeout()->set_seconds(2);
  options.mutable_read_timeout()->set_nanos(500000000);
  EXPECT_EQ(*ToCallSettings(awsd::v1::TIMESTAMP_FORMAT_ISO8601, options).read_timeout, std::chrono::milliseconds(2500));
}

}  // namespace
}  // namespace awsd::server
