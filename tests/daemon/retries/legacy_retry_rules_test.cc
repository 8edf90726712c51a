#include "daemon/retries/legacy_retry_rules.h"

#include <gtest/gtest.h>

namespace awsd::retries {
namespace {

AttemptResult Response(int status, std::string code = "") {
  AttemptResult result;
  result.http_status = status;
  result.error_code = std::move(code);
  return result;
}

TEST(LegacyRetryRulesTest, GeneralRules) {
  const LegacyRetryRules rules = LegacyRetryRules::Builtin("lambda");
  EXPECT_EQ(rules.max_attempts(), 5);
  EXPECT_TRUE(rules.base_is_random());
  for (int status : {429, 500, 502, 503, 504, 509}) EXPECT_NE(rules.Match(Response(status)), nullptr) << status;
  for (const char* code : {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
                           "ProvisionedThroughputExceededException"}) {
    EXPECT_NE(rules.Match(Response(400, code)), nullptr) << code;
    EXPECT_EQ(rules.Match(Response(403, code)), nullptr) << code;  // codes only count with HTTP 400
  }
  EXPECT_EQ(rules.Match(Response(400, "TooManyRequestsException")), nullptr);
  EXPECT_EQ(rules.Match(Response(501)), nullptr);
  AttemptResult reset;
  reset.transport = absl::UnavailableError("connection reset");
  EXPECT_NE(rules.Match(reset), nullptr);
  AttemptResult cancelled;
  cancelled.transport = absl::CancelledError("client went away");
  EXPECT_EQ(rules.Match(cancelled), nullptr);
  // rand * 2^(attempts - 1).
  EXPECT_DOUBLE_EQ(rules.DelaySeconds(1, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(rules.DelaySeconds(4, 0.5), 4.0);
}

TEST(LegacyRetryRulesTest, DynamoDbHasTenAttemptsAndFixedBase) {
  const LegacyRetryRules rules = LegacyRetryRules::Builtin("dynamodb");
  EXPECT_EQ(rules.max_attempts(), 10);
  EXPECT_FALSE(rules.base_is_random());
  EXPECT_DOUBLE_EQ(rules.base(), 0.05);
  const double expected[] = {0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8};
  for (int attempt = 1; attempt <= 9; ++attempt) {
    EXPECT_DOUBLE_EQ(rules.DelaySeconds(attempt, 0.99), expected[attempt - 1]);
  }
  EXPECT_NE(rules.Match(Response(400, "TransactionInProgressException")), nullptr);
  EXPECT_NE(rules.Match(Response(409, "ReplicatedWriteConflictException")), nullptr);
}

TEST(LegacyRetryRulesTest, PerServiceAdditions) {
  EXPECT_NE(LegacyRetryRules::Builtin("s3").Match(Response(400, "RequestTimeout")), nullptr);
  EXPECT_EQ(LegacyRetryRules::Builtin("lambda").Match(Response(400, "RequestTimeout")), nullptr);
  EXPECT_NE(LegacyRetryRules::Builtin("ec2").Match(Response(503, "RequestLimitExceeded")), nullptr);
  EXPECT_NE(LegacyRetryRules::Builtin("ec2").Match(Response(503, "EC2ThrottledException")), nullptr);
  EXPECT_NE(LegacyRetryRules::Builtin("sts").Match(Response(400, "IDPCommunicationError")), nullptr);
  // organizations' too_many_requests is merged into the general one: 429
  // becomes "400 TooManyRequestsException".
  const LegacyRetryRules organizations = LegacyRetryRules::Builtin("organizations");
  EXPECT_NE(organizations.Match(Response(400, "TooManyRequestsException")), nullptr);
  EXPECT_EQ(organizations.Match(Response(429)), nullptr);
}

TEST(LegacyRetryRulesTest, ReadsADocumentAndRejectsBadOnes) {
  nlohmann::json document = LegacyRetryRules::BuiltinDocument();
  document["retry"]["__default__"]["max_attempts"] = 2;
  absl::StatusOr<LegacyRetryRules> rules = LegacyRetryRules::FromJson(document, "s3");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->max_attempts(), 2);

  document["retry"]["__default__"]["delay"]["base"] = 0;
  EXPECT_EQ(LegacyRetryRules::FromJson(document, "s3").status().message(),
            "_retry.json: The 'base' param must be greater than 0, got: 0");
  document = LegacyRetryRules::BuiltinDocument();
  document["retry"]["__default__"]["policies"]["x"] = {{"$ref", "nope"}};
  EXPECT_FALSE(LegacyRetryRules::FromJson(document, "s3").ok());
}

}  // namespace
}  // namespace awsd::retries
