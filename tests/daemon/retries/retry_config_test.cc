#include "daemon/retries/retry_config.h"

#include <gtest/gtest.h>

#include "tests/support/fake_environment.h"

namespace awsd::retries {
namespace {

using test_support::FakeEnvironment;

ClientRetryOptions Client(std::optional<std::string> mode, std::optional<int> max_attempts,
                          std::optional<int> total_max_attempts = std::nullopt) {
  ClientRetryOptions options;
  options.mode = std::move(mode);
  options.max_attempts = max_attempts;
  options.total_max_attempts = total_max_attempts;
  return options;
}

config::Profile MakeProfile(std::map<std::string, std::string> keys) {
  config::Profile profile;
  for (auto& [key, value] : keys) profile[key] = config::Value{value, std::nullopt};
  return profile;
}

TEST(RetryConfigTest, DefaultsAreLegacyWithFiveAttempts) {
  absl::StatusOr<RetryConfig> config = ResolveRetryConfig(nullptr, FakeEnvironment({}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->mode, RetryMode::kLegacy);
  EXPECT_EQ(config->max_attempts, 5);
  EXPECT_FALSE(config->max_attempts_configured);
}

TEST(RetryConfigTest, StandardAndAdaptiveDefaultToThreeAttempts) {
  auto standard = ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_RETRY_MODE", "standard"}}));
  auto adaptive = ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_RETRY_MODE", "adaptive"}}));
  ASSERT_TRUE(standard.ok() && adaptive.ok());
  EXPECT_EQ(standard->mode, RetryMode::kStandard);
  EXPECT_EQ(standard->max_attempts, 3);
  EXPECT_EQ(adaptive->mode, RetryMode::kAdaptive);
  EXPECT_EQ(adaptive->max_attempts, 3);
}

TEST(RetryConfigTest, EnvironmentBeatsProfile) {
  const config::Profile profile = MakeProfile({{"retry_mode", "adaptive"}, {"max_attempts", "7"}});
  auto from_profile = ResolveRetryConfig(&profile, FakeEnvironment({}));
  ASSERT_TRUE(from_profile.ok());
  EXPECT_EQ(from_profile->mode, RetryMode::kAdaptive);
  EXPECT_EQ(from_profile->max_attempts, 7);
  EXPECT_TRUE(from_profile->max_attempts_configured);

  auto from_env =
      ResolveRetryConfig(&profile, FakeEnvironment({{"AWS_RETRY_MODE", "standard"}, {"AWS_MAX_ATTEMPTS", " 2 "}}));
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->mode, RetryMode::kStandard);
  EXPECT_EQ(from_env->max_attempts, 2);
}

TEST(RetryConfigTest, ClientOptionsBeatEverything) {
  const config::Profile profile = MakeProfile({{"retry_mode", "adaptive"}, {"max_attempts", "7"}});
  // Config(retries={'max_attempts': 4}) counts retries: 5 attempts in all.
  auto config = ResolveRetryConfig(&profile, FakeEnvironment({{"AWS_MAX_ATTEMPTS", "9"}}), Client("legacy", 4));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->mode, RetryMode::kLegacy);
  EXPECT_EQ(config->max_attempts, 5);
  auto total = ResolveRetryConfig(nullptr, FakeEnvironment({}), Client(std::nullopt, 4, 2));
  ASSERT_TRUE(total.ok());
  EXPECT_EQ(total->max_attempts, 2);
}

TEST(RetryConfigTest, BotocoreMessagesForBadValues) {
  EXPECT_EQ(ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_RETRY_MODE", "Standard"}})).status().message(),
            "Invalid value provided to \"mode\": \"Standard\" must be one of: ('legacy', 'standard', 'adaptive')");
  EXPECT_EQ(ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_MAX_ATTEMPTS", "abc"}})).status().message(),
            "invalid literal for int() with base 10: 'abc'");
  EXPECT_EQ(ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_MAX_ATTEMPTS", "3.0"}})).status().message(),
            "invalid literal for int() with base 10: '3.0'");
  EXPECT_EQ(ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_MAX_ATTEMPTS", ""}})).status().message(),
            "invalid literal for int() with base 10: ''");
  EXPECT_EQ(ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_MAX_ATTEMPTS", "0"}})).status().message(),
            "Value provided to \"max_attempts\": 0 must be an integer greater than or equal to 1.");
  EXPECT_EQ(ResolveRetryConfig(nullptr, FakeEnvironment({}), Client(std::nullopt, -1)).status().message(),
            "Value provided to \"max_attempts\": -1 must be an integer greater than or equal to 0.");
  // Both wrong: botocore validates the attempts first.
  const config::Profile profile = MakeProfile({{"retry_mode", "fast"}, {"max_attempts", "-2"}});
  EXPECT_EQ(ResolveRetryConfig(&profile, FakeEnvironment({})).status().message(),
            "Value provided to \"max_attempts\": -2 must be an integer greater than or equal to 1.");
  EXPECT_EQ(ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_RETRY_MODE", ""}})).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RetryConfigTest, PythonIntSyntax) {
  auto config = ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_MAX_ATTEMPTS", "+1_0"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->max_attempts, 10);
  EXPECT_FALSE(ResolveRetryConfig(nullptr, FakeEnvironment({{"AWS_MAX_ATTEMPTS", "1__0"}})).ok());
}

}  // namespace
}  // namespace awsd::retries
