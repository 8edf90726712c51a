#include "daemon/sts/sts_retry.h"

#include <gtest/gtest.h>

#include "tests/support/fake_environment.h"

namespace awsd::sts {
namespace {

using test_support::FakeEnvironment;

AttemptOutcome Status(int status, std::string code = "") { return {status, std::move(code), false}; }

TEST(StsRetryTest, StandardModeRetriesTransientAndThrottlingErrors) {
  for (int status : {500, 502, 503, 504}) EXPECT_TRUE(IsRetryable(RetryMode::kStandard, Status(status))) << status;
  for (const char* code : {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
                           "RequestTimeout", "PriorRequestNotComplete", "IDPCommunicationError"}) {
    EXPECT_TRUE(IsRetryable(RetryMode::kStandard, Status(400, code))) << code;
  }
  EXPECT_TRUE(IsRetryable(RetryMode::kStandard, {std::nullopt, "", true}));
  for (const char* code : {"AccessDenied", "InvalidIdentityToken", "ExpiredToken", "ValidationError"}) {
    EXPECT_FALSE(IsRetryable(RetryMode::kStandard, Status(400, code))) << code;
  }
  EXPECT_FALSE(IsRetryable(RetryMode::kStandard, Status(429)));
  EXPECT_FALSE(IsRetryable(RetryMode::kStandard, Status(509)));
}

TEST(StsRetryTest, LegacyModeFollowsRetryJson) {
  for (int status : {429, 500, 502, 503, 504, 509}) {
    EXPECT_TRUE(IsRetryable(RetryMode::kLegacy, Status(status))) << status;
  }
  EXPECT_TRUE(IsRetryable(RetryMode::kLegacy, Status(400, "Throttling")));
  EXPECT_TRUE(IsRetryable(RetryMode::kLegacy, Status(400, "IDPCommunicationError")));
  // _retry.json's codes count only with HTTP 400.
  EXPECT_FALSE(IsRetryable(RetryMode::kLegacy, Status(403, "Throttling")));
  EXPECT_FALSE(IsRetryable(RetryMode::kLegacy, Status(400, "RequestLimitExceeded")));
  EXPECT_TRUE(IsRetryable(RetryMode::kLegacy, {std::nullopt, "", true}));
}

TEST(StsRetryTest, DelaysAreJitteredExponentialAndCapped) {
  EXPECT_EQ(RetryDelay(2, 0.5), std::chrono::milliseconds(500));
  EXPECT_EQ(RetryDelay(3, 0.5), std::chrono::milliseconds(1000));
  EXPECT_EQ(RetryDelay(4, 0.5), std::chrono::milliseconds(2000));
  EXPECT_EQ(RetryDelay(2, 0.0), std::chrono::milliseconds(0));
  EXPECT_EQ(RetryDelay(40, 0.999), std::chrono::milliseconds(19980));
}

TEST(StsRetryTest, SettingsAreBotocores) {
  auto settings = ResolveRetrySettings(nullptr, FakeEnvironment({}));
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->mode, RetryMode::kLegacy);
  EXPECT_EQ(settings->max_attempts, 5);

  settings = ResolveRetrySettings(nullptr, FakeEnvironment({{"AWS_RETRY_MODE", "standard"}}));
  EXPECT_EQ(settings->mode, RetryMode::kStandard);
  EXPECT_EQ(settings->max_attempts, 3);

  config::Profile profile;
  profile["retry_mode"] = config::Value{"adaptive", std::nullopt};
  profile["max_attempts"] = config::Value{"7", std::nullopt};
  settings = ResolveRetrySettings(&profile, FakeEnvironment({}));
  EXPECT_EQ(settings->mode, RetryMode::kStandard);
  EXPECT_EQ(settings->max_attempts, 7);
  settings = ResolveRetrySettings(&profile, FakeEnvironment({{"AWS_MAX_ATTEMPTS", "2"}}));
  EXPECT_EQ(settings->max_attempts, 2);

  EXPECT_EQ(ResolveRetrySettings(nullptr, FakeEnvironment({{"AWS_RETRY_MODE", "fast"}})).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveRetrySettings(nullptr, FakeEnvironment({{"AWS_MAX_ATTEMPTS", "x"}})).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveRetrySettings(nullptr, FakeEnvironment({{"AWS_MAX_ATTEMPTS", "0"}})).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace awsd::sts
