#include "daemon/protocols/timestamps.h"

#include "gtest/gtest.h"

namespace awsd::protocols {
namespace {

TEST(TimestampsTest, ParsesEveryWireForm) {
  const std::int64_t expected = 1398796238;
  for (const char* text : {"1398796238", "2014-04-29T18:30:38Z", "2014-04-29T18:30:38+00:00",
                           "2014-04-29T20:30:38+02:00", "2014-04-29 18:30:38", "Tue, 29 Apr 2014 18:30:38 GMT",
                           "29 Apr 2014 18:30:38 GMT", "2014-04-29T18:30:38.000Z"}) {
    absl::StatusOr<Timestamp> t = ParseTimestamp(text);
    ASSERT_TRUE(t.ok()) << text << ": " << t.status();
    EXPECT_EQ(t->seconds(), expected) << text;
    EXPECT_EQ(t->microsecond(), 0) << text;
  }
}

TEST(TimestampsTest, KeepsMicroseconds) {
  absl::StatusOr<Timestamp> t = ParseTimestamp("2014-04-29T18:30:38.123456789Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->microsecond(), 123456);
  EXPECT_EQ(FormatIso8601(*t), "2014-04-29T18:30:38.123456Z");
  EXPECT_EQ(FormatIso8601(*t, /*milliseconds=*/true), "2014-04-29T18:30:38.123Z");
  EXPECT_EQ(TimestampResult(*t, "x", TimestampOutput::kIso8601), "2014-04-29T18:30:38.123456+00:00");
  EXPECT_EQ(FormatEpochSeconds(*t, true), 1398796238.123);
}

TEST(TimestampsTest, FormatsAsBotocoreSerializes) {
  const Timestamp t{1398796238LL * 1000000};
  EXPECT_EQ(FormatIso8601(t), "2014-04-29T18:30:38Z");
  EXPECT_EQ(FormatRfc822(t), "Tue, 29 Apr 2014 18:30:38 GMT");
  EXPECT_EQ(FormatEpochSeconds(t), 1398796238);
  EXPECT_EQ(FormatRfc822(Timestamp{0}), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(TimestampResult(t, "raw", TimestampOutput::kWire), "raw");
  EXPECT_EQ(TimestampResult(t, "raw", TimestampOutput::kEpochSeconds), 1398796238);
}

TEST(TimestampsTest, NegativeEpochs) {
  absl::StatusOr<Timestamp> t = ParseTimestamp("1969-12-31T23:59:59.5Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->seconds(), -1);
  EXPECT_EQ(t->microsecond(), 500000);
}

TEST(TimestampsTest, RejectsGarbage) {
  for (const char* text : {"", "yesterday", "2014-13-01T00:00:00Z", "2014-04-29T18:30:38Zjunk", "1e400", "nan"}) {
    EXPECT_FALSE(ParseTimestamp(text).ok()) << text;
  }
  EXPECT_FALSE(TimestampFromJson(Value::array()).ok());
  EXPECT_EQ(TimestampFromJson(Value(1.5))->micros, 1500000);
}

// Found by timestamp_fuzzer: epoch seconds under the old 1e13 bound still
// overflowed the microsecond count (signed overflow, or llround out of range).
TEST(TimestampsTest, RejectsEpochsWhoseMicrosecondsOverflow) {
  EXPECT_FALSE(TimestampFromJson(Value(std::int64_t{-9747436723200})).ok());
  EXPECT_FALSE(TimestampFromJson(Value(9.5e12)).ok());
  EXPECT_FALSE(ParseTimestamp("-9747436723200").ok());
  EXPECT_FALSE(ParseTimestamp("9500000000000.5").ok());
  EXPECT_EQ(TimestampFromJson(Value(std::int64_t{-9000000000000}))->seconds(), -9000000000000);
  EXPECT_EQ(ParseTimestamp("9000000000000")->seconds(), 9000000000000);
}

}  // namespace
}  // namespace awsd::protocols
