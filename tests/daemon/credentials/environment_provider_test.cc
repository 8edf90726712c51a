#include "daemon/credentials/environment_provider.h"

#include <gtest/gtest.h>

#include <map>

#include "daemon/credentials/chain_provider.h"
#include "daemon/credentials/credentials.h"
#include "daemon/credentials/static_provider.h"
#include "tests/support/fake_environment.h"

namespace awsd::credentials {
namespace {

using test_support::FakeEnvironment;

TEST(EnvironmentProviderTest, NothingSetMeansNothingToOffer) {
  EnvironmentProvider provider(FakeEnvironment({}));
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(*credentials, nullptr);
}

TEST(EnvironmentProviderTest, ReadsKeysTokenAndExpiry) {
  EnvironmentProvider provider(FakeEnvironment({{"AWS_ACCESS_KEY_ID", "AKID"},
                                                {"AWS_SECRET_ACCESS_KEY", "SECRET"},
                                                {"AWS_SESSION_TOKEN", "TOKEN"},
                                                {"AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z"}}));
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  ASSERT_NE(*credentials, nullptr);
  EXPECT_EQ((*credentials)->access_key_id, "AKID");
  EXPECT_EQ((*credentials)->secret_access_key.view(), "SECRET");
  EXPECT_EQ((*credentials)->session_token.view(), "TOKEN");
  EXPECT_EQ((*credentials)->source, "env");
  ASSERT_TRUE((*credentials)->expiration.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*credentials)->expiration), 1893553445);
}

TEST(EnvironmentProviderTest, FallsBackToTheOlderSecurityTokenName) {
  EnvironmentProvider provider(FakeEnvironment(
      {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "SECRET"}, {"AWS_SECURITY_TOKEN", "OLD"}}));
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ((*credentials)->session_token.view(), "OLD");
}

TEST(EnvironmentProviderTest, AKeyIdWithoutItsSecretIsAnErrorThatNamesTheMissingHalf) {
  EnvironmentProvider provider(FakeEnvironment({{"AWS_ACCESS_KEY_ID", "AKIDHALF"}}));
  auto credentials = provider.Resolve();
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(std::string(credentials.status().message()).find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

// botocore's EnvProvider looks at the key id alone: a lone secret is no
// credentials, and the chain moves on.
TEST(EnvironmentProviderTest, ASecretWithoutAKeyIdIsNothing) {
  EnvironmentProvider provider(FakeEnvironment({{"AWS_SECRET_ACCESS_KEY", "SECRET"}}));
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(*credentials, nullptr);
}

TEST(EnvironmentProviderTest, BadExpiryIsAnError) {
  EnvironmentProvider provider(FakeEnvironment(
      {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "SECRET"}, {"AWS_CREDENTIAL_EXPIRATION", "soon"}}));
  EXPECT_FALSE(provider.Resolve().ok());
}

class FailingProvider : public CredentialsProvider {
 public:
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override {
    return absl::FailedPreconditionError("broken");
  }
};

TEST(ChainProviderTest, FirstWithCredentialsWinsAndABrokenOneStopsTheChain) {
  Credentials explicit_credentials;
  explicit_credentials.access_key_id = "FROM_STATIC";
  explicit_credentials.secret_access_key = Secret("s");
  explicit_credentials.source = "explicit";
  auto empty_env = std::make_shared<EnvironmentProvider>(FakeEnvironment({}));
  auto fixed = std::make_shared<StaticProvider>(explicit_credentials);

  ChainProvider chain({empty_env, fixed});
  auto found = chain.Resolve();
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)->access_key_id, "FROM_STATIC");

  ChainProvider broken({empty_env, std::make_shared<FailingProvider>(), fixed});
  EXPECT_EQ(broken.Resolve().status().code(), absl::StatusCode::kFailedPrecondition);

  ChainProvider nothing({empty_env});
  auto none = nothing.Resolve();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
}

TEST(MaskAccessKeyIdTest, KeepsOnlyTheEnds) {
  EXPECT_EQ(MaskAccessKeyId("AKIAIOSFODNN7EXAMPLE"), "AKIA************MPLE");
  EXPECT_EQ(MaskAccessKeyId("short"), "*****");
}

}  // namespace
}  // namespace awsd::credentials
