#include "daemon/pagination/resume_token.h"

#include <gtest/gtest.h>

namespace awsd::pagination {
namespace {

using Json = nlohmann::ordered_json;

// The expected tokens are what botocore's TokenEncoder().encode gives for
// the same dicts (python3 -c "from botocore.paginate import TokenEncoder ...").
TEST(ResumeTokenTest, EncodesAsBotocoreDoes) {
  EXPECT_EQ(EncodeResumeToken(Json{{"ContinuationToken", "abc/\xc3\xa9"}}, 3),
            "eyJDb250aW51YXRpb25Ub2tlbiI6ICJhYmMvXHUwMGU5IiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogM30=");
  EXPECT_EQ(EncodeResumeToken(Json{{"ExclusiveStartKey", {{"id", {{"S", "k1"}}}}}}, 1),
            "eyJFeGNsdXNpdmVTdGFydEtleSI6IHsiaWQiOiB7IlMiOiAiazEifX0sICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9");
  EXPECT_EQ(EncodeResumeToken(Json{{"Marker", nullptr}}, std::nullopt), "eyJNYXJrZXIiOiBudWxsfQ==");
}

TEST(ResumeTokenTest, DecodesWhatItEncodes) {
  const Json tokens = {{"ExclusiveStartKey", {{"id", {{"S", "k1"}}}}}};
  auto point = DecodeStartingToken(EncodeResumeToken(tokens, 7), {"ExclusiveStartKey"});
  ASSERT_TRUE(point.ok()) << point.status();
  EXPECT_EQ(point->tokens, tokens);
  EXPECT_EQ(point->truncate_amount, 7);
}

TEST(ResumeTokenTest, TakesTheOldFormAndServiceTokens) {
  auto old = DecodeStartingToken("m1___None___4", {"Marker", "KeyMarker"});
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->tokens, (Json{{"Marker", "m1"}, {"KeyMarker", nullptr}}));
  EXPECT_EQ(old->truncate_amount, 4);

  // A service's own token (not base64 JSON) becomes the first input token.
  auto raw = DecodeStartingToken("opaque-service-token", {"NextToken"});
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->tokens, (Json{{"NextToken", "opaque-service-token"}}));
  EXPECT_EQ(raw->truncate_amount, 0);

  auto too_many = DecodeStartingToken("a___b___c", {"NextToken"});
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(too_many.status().message(), "Bad starting token: a___b___c");
}

}  // namespace
}  // namespace awsd::pagination
