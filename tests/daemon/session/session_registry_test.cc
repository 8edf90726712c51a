#include "daemon/session/session_registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include <gmock/gmock.h>

#include "tests/support/daemon_process.h"
#include "tests/support/fake_environment.h"
#include "tests/support/scripted_http_client.h"

namespace awsd::session {
namespace {

// An environment that names config and credentials files which do not
// exist unless a test writes them, so no test reads the machine's ~/.aws.
credentials::EnvironmentLookup HermeticEnvironment(std::map<std::string, std::string> vars) {
  vars.try_emplace("AWS_CONFIG_FILE", "/nonexistent/awsd-test/config");
  vars.try_emplace("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/awsd-test/credentials");
  // Never reach for a real instance metadata service from a test.
  vars.try_emplace("AWS_EC2_METADATA_DISABLED", "true");
  return test_support::FakeEnvironment(std::move(vars));
}

SessionOptions Explicit(const std::string& key_id, const std::string& secret) {
  SessionOptions options;
  credentials::Credentials c;
  c.access_key_id = key_id;
  c.secret_access_key = Secret(secret);
  options.explicit_credentials = std::move(c);
  return options;
}

TEST(SessionRegistryTest, CreatedSessionsAreFoundByIdUntilClosed) {
  SessionRegistry registry(HermeticEnvironment({}));
  auto session = registry.Create(Explicit("AKID", "SECRET"));
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_TRUE((*session)->id().starts_with("s-"));
  auto found = registry.Get((*session)->id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->get(), session->get());
  auto credentials = (*found)->Credentials();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ((*credentials)->source, "explicit");

  registry.Close((*session)->id());
  EXPECT_EQ(registry.Get((*session)->id()).status().code(), absl::StatusCode::kNotFound);
  registry.Close((*session)->id());  // closing twice is fine
}

TEST(SessionRegistryTest, IdsAreUnique) {
  SessionRegistry registry(HermeticEnvironment({}));
  auto a = registry.Create({});
  auto b = registry.Create({});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)->id(), (*b)->id());
}

TEST(SessionRegistryTest, InlineSessionsAreReusedForEqualOptionsOnly) {
  SessionRegistry registry(HermeticEnvironment({}));
  auto a = registry.ForOptions(Explicit("AKID", "SECRET"));
  auto b = registry.ForOptions(Explicit("AKID", "SECRET"));
  auto c = registry.ForOptions(Explicit("AKID", "OTHER"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_NE(a->get(), c->get());
}

TEST(SessionRegistryTest, InlineCacheIsBounded) {
  SessionRegistry registry(HermeticEnvironment({}), /*max_inline_sessions=*/2);
  auto first = registry.ForOptions(Explicit("A", "1"));
  registry.ForOptions(Explicit("B", "2")).IgnoreError();
  registry.ForOptions(Explicit("C", "3")).IgnoreError();
  auto again = registry.ForOptions(Explicit("A", "1"));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_NE(first->get(), again->get()) << "the least recently used session should have been evicted";
}

TEST(SessionRegistryTest, ProfileAndRegionDefaultFromTheEnvironment) {
  test_support::TempDir dir;
  test_support::WriteFile(dir.path() / "config", "[profile dev]\n[profile prod]\n");
  SessionRegistry registry(HermeticEnvironment({{"AWS_PROFILE", "dev"},
                                            {"AWS_DEFAULT_REGION", "eu-west-1"},
                                            {"AWS_CONFIG_FILE", (dir.path() / "config").string()}}));
  auto session = registry.ForOptions({});
  ASSERT_TRUE(session.ok());
  EXPECT_EQ((*session)->profile(), "dev");
  EXPECT_EQ((*session)->region(), "eu-west-1");
  SessionOptions named;
  named.profile = "prod";
  named.region = "us-west-2";
  auto explicit_session = registry.ForOptions(named);
  EXPECT_EQ((*explicit_session)->profile(), "prod");
  EXPECT_EQ((*explicit_session)->region(), "us-west-2");
}

TEST(SessionRegistryTest, NoCredentialsIsFailedPrecondition) {
  SessionRegistry registry(HermeticEnvironment({}));
  auto session = registry.ForOptions({});
  ASSERT_TRUE(session.ok());
  EXPECT_EQ((*session)->Credentials().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SessionRegistryTest, ExplicitCredentialsNeedBothHalves) {
  SessionRegistry registry(HermeticEnvironment({}));
  auto status = registry.Create(Explicit("AKID", "")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("explicit_credentials.secret_access_key"), std::string::npos);
}

class SessionRegistryFilesTest : public ::testing::Test {
 protected:
  credentials::EnvironmentLookup Env(std::map<std::string, std::string> extra = {}) {
    extra["AWS_CONFIG_FILE"] = (dir_.path() / "config").string();
    extra["AWS_SHARED_CREDENTIALS_FILE"] = (dir_.path() / "credentials").string();
    return HermeticEnvironment(std::move(extra));
  }
  void Config(const std::string& text) { test_support::WriteFile(dir_.path() / "config", text); }
  void Credentials(const std::string& text) { test_support::WriteFile(dir_.path() / "credentials", text); }

  test_support::TempDir dir_;
};

TEST_F(SessionRegistryFilesTest, RegionComesFromTheProfileUnlessTheEnvironmentSaysOtherwise) {
  Config("[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n");
  SessionRegistry registry(Env());
  EXPECT_EQ((*registry.ForOptions({}))->region(), "eu-west-1");
  SessionOptions dev;
  dev.profile = "dev";
  EXPECT_EQ((*registry.ForOptions(dev))->region(), "ap-south-1");
  SessionRegistry env_wins(Env({{"AWS_DEFAULT_REGION", "us-east-2"}}));
  EXPECT_EQ((*env_wins.ForOptions(dev))->region(), "us-east-2");
}

TEST_F(SessionRegistryFilesTest, AvailableProfilesListBothFiles) {
  Config("[default]\n[profile dev]\n");
  Credentials("[ci]\naws_access_key_id = A\naws_secret_access_key = B\n");
  SessionRegistry registry(Env());
  EXPECT_THAT(registry.AvailableProfiles(), ::testing::UnorderedElementsAre("default", "dev", "ci"));
}

TEST_F(SessionRegistryFilesTest, MissingNamedProfileIsAConfigErrorButMissingDefaultIsNot) {
  Config("[profile dev]\n");
  SessionRegistry registry(Env());
  SessionOptions nope;
  nope.profile = "nope";
  auto status = registry.ForOptions(nope).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(status.message()), "The config profile (nope) could not be found");
  EXPECT_TRUE(registry.ForOptions({}).ok());
  SessionRegistry from_env(Env({{"AWS_PROFILE", "nope"}}));
  EXPECT_EQ(from_env.ForOptions({}).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SessionRegistryFilesTest, CredentialsFileBeforeConfigFileAndTokensAsBotocoreReadsThem) {
  Config("[default]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = c\n"
         "[profile only-config]\naws_access_key_id = ONLYCONFIG\naws_secret_access_key = c\n"
         "aws_session_token = session\naws_security_token = security\n");
  Credentials("[default]\naws_access_key_id = FROMCREDS\naws_secret_access_key = k\n");
  SessionRegistry registry(Env());
  auto by_default = (*registry.ForOptions({}))->Credentials();
  ASSERT_TRUE(by_default.ok());
  EXPECT_EQ((*by_default)->access_key_id, "FROMCREDS");
  EXPECT_EQ((*by_default)->source, "shared-credentials-file");
  SessionOptions only_config;
  only_config.profile = "only-config";
  auto from_config = (*registry.ForOptions(only_config))->Credentials();
  ASSERT_TRUE(from_config.ok());
  EXPECT_EQ((*from_config)->source, "config-file");
  EXPECT_EQ((*from_config)->session_token.view(), "security");
}

TEST_F(SessionRegistryFilesTest, BrokenFilesRefuseSessionsUntilAReloadMendsThem) {
  Config("[default]\nregion = eu-west-1\nnot a key value line\n");
  SessionRegistry registry(Env());
  ASSERT_FALSE(registry.aws_config_status().ok());
  EXPECT_NE(std::string(registry.aws_config_status().message()).find("config:3"), std::string::npos)
      << registry.aws_config_status();
  EXPECT_EQ(registry.ForOptions({}).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(registry.ForOptions(Explicit("AKID", "SECRET")).ok()) << "explicit keys need no files";

  EXPECT_FALSE(registry.ReloadAwsConfig().ok());
  Config("[default]\nregion = eu-west-1\n");
  ASSERT_TRUE(registry.ReloadAwsConfig().ok());
  auto session = registry.ForOptions({});
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ((*session)->region(), "eu-west-1");
}

TEST_F(SessionRegistryFilesTest, AFailedReloadKeepsTheFilesAsLastRead) {
  Config("[default]\nregion = eu-west-1\n");
  SessionRegistry registry(Env());
  Config("[default]\nregion = eu-west-1\nbroken\n");
  EXPECT_FALSE(registry.ReloadAwsConfig().ok());
  auto session = registry.ForOptions({});
  ASSERT_TRUE(session.ok());
  EXPECT_EQ((*session)->region(), "eu-west-1");
}

TEST_F(SessionRegistryFilesTest, ChangedFilesAreReloadedOnceAndBrokenOnesAreNotRetried) {
  Config("[default]\nregion = eu-west-1\n");
  SessionRegistry registry(Env());
  EXPECT_FALSE(*registry.ReloadAwsConfigIfChanged());
  // Created: the credentials file did not exist at the first load.
  Credentials("[default]\naws_access_key_id = AKID\naws_secret_access_key = s\n");
  EXPECT_TRUE(*registry.ReloadAwsConfigIfChanged());
  EXPECT_FALSE(*registry.ReloadAwsConfigIfChanged());
  // Replaced by rename, as editors and `aws configure` do.
  test_support::WriteFile(dir_.path() / "config.new", "[default]\nregion = ap-south-1\n");
  std::filesystem::rename(dir_.path() / "config.new", dir_.path() / "config");
  EXPECT_TRUE(*registry.ReloadAwsConfigIfChanged());
  EXPECT_EQ((*registry.ForOptions({}))->region(), "ap-south-1");
  // Broken: reported once, the previous files kept, not re-read until the
  // next change.
  Config("[default]\nregion = eu-west-1\nbroken line\n");
  EXPECT_FALSE(registry.ReloadAwsConfigIfChanged().ok());
  EXPECT_FALSE(*registry.ReloadAwsConfigIfChanged());
  EXPECT_EQ((*registry.ForOptions({}))->region(), "ap-south-1");
}

constexpr const char* kAssumedRole = R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAMFAROLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>
      <SessionToken>token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>)";

// The MFA code comes through the API (SessionSpec.mfa_code), is sent once,
// and the role's credentials are then shared by every session of the
// profile, code or not, as one identity.
TEST_F(SessionRegistryFilesTest, AnMfaCodeFromTheApiIsUsedOnceAndItsRoleIsShared) {
  Config("[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n"
         "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n"
         "mfa_serial = arn:aws:iam::123456789012:mfa/dev\nregion = eu-west-1\n");
  auto http = std::make_shared<test_support::ScriptedHttpClient>();
  SessionRegistry registry(Env(), 16, {.files = nullptr, .http = http, .clock = nullptr});
  SessionOptions options;
  options.profile = "mfa";

  auto without_code = registry.Create(options);
  ASSERT_TRUE(without_code.ok());
  // The role, the container endpoint and IMDS (the chain's tail).
  const std::size_t identities = registry.cached_identities();
  auto refused = (*without_code)->Credentials();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(std::string(refused.status().message()).find("arn:aws:iam::123456789012:mfa/dev"), std::string::npos);
  EXPECT_TRUE(http->sent().empty());

  http->Respond(200, kAssumedRole);
  options.mfa_code = "123456";
  auto with_code = registry.Create(options);
  ASSERT_TRUE(with_code.ok());
  auto assumed = (*with_code)->Credentials();
  ASSERT_TRUE(assumed.ok()) << assumed.status();
  EXPECT_EQ((*assumed)->access_key_id, "ASIAMFAROLE");
  ASSERT_EQ(http->sent().size(), 1u);
  const std::string body = http->sent()[0].body;  // sent() is a copy
  EXPECT_NE(body.find("SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fdev"), std::string::npos) << body;
  EXPECT_NE(body.find("TokenCode=123456"), std::string::npos) << body;
  EXPECT_EQ(http->sent()[0].url.find("sts.eu-west-1.amazonaws.com"), 8u);

  // The first session shares the identity now: no second call, no code.
  auto shared = (*without_code)->Credentials();
  ASSERT_TRUE(shared.ok()) << shared.status();
  EXPECT_EQ((*shared)->access_key_id, "ASIAMFAROLE");
  EXPECT_EQ(http->sent().size(), 1u);
  EXPECT_EQ(registry.cached_identities(), identities);
}

}  // namespace
}  // namespace awsd::session
