#include "daemon/credentials/sso_provider.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/support/fake_environment.h"
#include "tests/support/scripted_http_client.h"
#include "tests/support/temp_dir.h"

namespace awsd::credentials {
namespace {

using Clock = std::chrono::system_clock;
using nlohmann::json;
using test_support::FakeEnvironment;
using test_support::ScriptedHttpClient;

constexpr char kRoleCredentials[] =
    R"({"roleCredentials":{"accessKeyId":"ASIARTESTID","secretAccessKey":"TESTSECRETKEY",)"
    R"("sessionToken":"TESTSESSIONTOKEN","expiration":1651516560123}})";
constexpr char kLoginHint[] =
    "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session "
    "run aws sso login with the corresponding profile.";

config::AwsConfig Parse(const std::string& text) {
  auto parsed = config::ParseProfileFile(text, "config", config::FileKind::kConfig);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  config::AwsConfig aws;
  aws.merged = parsed.ok() ? *parsed : config::ProfileSet();
  return aws;
}

class SsoProviderTest : public ::testing::Test {
 protected:
  ProviderContext Context(std::map<std::string, std::string> env = {}) {
    env.emplace("HOME", "/home");
    ProviderContext context;
    context.environment = FakeEnvironment(std::move(env));
    context.files = RootedFileSystem(root_.path().string());
    context.http = http_;
    context.clock = [] { return Clock::time_point(std::chrono::seconds(1'700'000'000)); };
    context.sleep = [this](std::chrono::milliseconds delay) { sleeps_.push_back(delay); };
    return context;
  }

  // The token cache entry of session "dev" (or of `key`), valid for a day.
  void WriteToken(const std::string& key = "34c6fceca75e456f25e7e99531e2425c6c1de443") {
    const auto path = root_.path() / "home/.aws/sso/cache" / (key + ".json");
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << json{{"accessToken", "secret-access-token"}, {"expiresAt", "2023-11-15T22:13:20Z"}}.dump();
  }

  std::shared_ptr<SsoProvider> Provider(SsoParams params, std::map<std::string, std::string> env = {}) {
    SsoSessionConfig session;
    session.session_name = "dev";
    session.start_url = "https://d-abc123.awsapps.com/start";
    session.region = params.sso_region;
    auto tokens = std::make_shared<SsoTokenProvider>(Context(env), session);
    return std::make_shared<SsoProvider>(Context(env), std::move(params), std::move(tokens));
  }

  static SsoParams Params() {
    SsoParams params;
    params.account_id = "012345678901";
    params.role_name = "SampleRole";
    params.sso_region = "us-east-1";
    params.max_attempts = 3;
    return params;
  }

  // Stands in for "/" (RootedFileSystem).
  test_support::TempDir root_;
  std::shared_ptr<ScriptedHttpClient> http_ = std::make_shared<ScriptedHttpClient>();
  std::vector<std::chrono::milliseconds> sleeps_;
};

void ExpectNoSecrets(const absl::Status& status) {
  const std::string message(status.message());
  for (const char* secret : {"secret-access-token", "TESTSECRETKEY", "TESTSESSIONTOKEN"}) {
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
  }
}

TEST_F(SsoProviderTest, CallsGetRoleCredentialsWithTheBearerToken) {
  WriteToken();
  http_->Respond(200, kRoleCredentials);
  auto credentials = Provider(Params())->Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  ASSERT_NE(*credentials, nullptr);
  EXPECT_EQ((*credentials)->access_key_id, "ASIARTESTID");
  EXPECT_EQ((*credentials)->secret_access_key.view(), "TESTSECRETKEY");
  EXPECT_EQ((*credentials)->session_token.view(), "TESTSESSIONTOKEN");
  EXPECT_EQ((*credentials)->account_id, "012345678901");
  EXPECT_EQ((*credentials)->source, "sso");
  // Whole seconds, as botocore keeps them.
  EXPECT_EQ((*credentials)->expiration, Clock::time_point(std::chrono::seconds(1651516560)));

  const auto sent = http_->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "GET");
  EXPECT_EQ(sent[0].url,
            "https://portal.sso.us-east-1.amazonaws.com/federation/credentials?role_name=SampleRole&account_id="
            "012345678901");
  EXPECT_TRUE(sent[0].body.empty());
  ASSERT_EQ(sent[0].headers.size(), 1u);
  EXPECT_EQ(sent[0].headers[0].name, "x-amz-sso_bearer_token");
  EXPECT_EQ(sent[0].headers[0].value, "secret-access-token");
  const auto options = http_->options();
  EXPECT_LE(options[0].connect_timeout, std::chrono::seconds(10));
  EXPECT_LE(options[0].total_timeout, std::chrono::seconds(30));
  EXPECT_EQ(options[0].max_response_bytes, std::size_t{1} << 20);
}

TEST_F(SsoProviderTest, QueryValuesArePercentEncoded) {
  WriteToken();
  http_->Respond(200, kRoleCredentials);
  SsoParams params = Params();
  params.role_name = "Role With+Odd/Chars";
  ASSERT_TRUE(Provider(params)->Resolve().ok());
  EXPECT_EQ(http_->sent()[0].url,
            "https://portal.sso.us-east-1.amazonaws.com/federation/credentials?role_name=Role%20With%2BOdd%2FChars&"
            "account_id=012345678901");
}

TEST_F(SsoProviderTest, UnauthorizedAsksForALogin) {
  WriteToken();
  http_->Respond(401, R"({"message":"Session token not found or invalid"})",
                 {{"x-amzn-errortype", "UnauthorizedException:http://internal.amazon.com/coral/"}});
  auto credentials = Provider(Params())->Resolve();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(credentials.status().message(), kLoginHint);

  http_->Respond(401, R"({"__type":"com.amazonaws.switchboard.portal#UnauthorizedException","message":"x"})");
  credentials = Provider(Params())->Resolve();
  EXPECT_EQ(credentials.status().message(), kLoginHint);
  EXPECT_EQ(http_->sent().size(), 2u);
}

TEST_F(SsoProviderTest, ServerErrorsAreRetriedThenReported) {
  WriteToken();
  for (int i = 0; i < 3; ++i) http_->Respond(500, "<html>oops</html>");
  auto credentials = Provider(Params())->Resolve();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(credentials.status().message(),
            "Error when retrieving credentials from sso: An error occurred (500) when calling the "
            "GetRoleCredentials operation (reached max retries: 2): Internal Server Error");
  EXPECT_EQ(http_->sent().size(), 3u);
  ASSERT_EQ(sleeps_.size(), 2u);
  EXPECT_LT(sleeps_[0], std::chrono::milliseconds(1000));
  EXPECT_LT(sleeps_[1], std::chrono::milliseconds(2000));
  ExpectNoSecrets(credentials.status());
}

TEST_F(SsoProviderTest, ARetryCanSucceed) {
  WriteToken();
  http_->Fail(absl::UnavailableError("GET https://portal.sso.us-east-1.amazonaws.com/federation/credentials: reset"));
  http_->Respond(429, R"({"__type":"TooManyRequestsException","message":"slow down"})");
  http_->Respond(200, kRoleCredentials);
  auto credentials = Provider(Params())->Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(http_->sent().size(), 3u);
}

TEST_F(SsoProviderTest, ClientErrorsAreNotRetried) {
  WriteToken();
  http_->Respond(403, R"({"message":"No access"})", {{"x-amzn-errortype", "ForbiddenException"}});
  auto credentials = Provider(Params())->Resolve();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().message(),
            "Error when retrieving credentials from sso: An error occurred (ForbiddenException) when calling the "
            "GetRoleCredentials operation: No access");
  EXPECT_EQ(http_->sent().size(), 1u);
}

TEST_F(SsoProviderTest, AMalformedAnswerIsAnError) {
  WriteToken();
  http_->Respond(200, R"({"roleCredentials":{"accessKeyId":"ASIARTESTID","secretAccessKey":"TESTSECRETKEY"}})");
  auto credentials = Provider(Params())->Resolve();
  ASSERT_FALSE(credentials.ok());
  ExpectNoSecrets(credentials.status());
}

TEST_F(SsoProviderTest, TokenErrorsStopBeforeTheNetwork) {
  auto credentials = Provider(Params())->Resolve();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(credentials.status().message().find(
                "/home/.aws/sso/cache/34c6fceca75e456f25e7e99531e2425c6c1de443.json: No such file or directory"),
            absl::string_view::npos);
  EXPECT_TRUE(http_->sent().empty());
}

// ---------------------------------------------------------------------------
// From a profile.

constexpr char kSessionProfile[] = R"([profile default]
sso_session = dev
sso_account_id = 012345678901
sso_role_name = SampleRole
[sso-session dev]
sso_region = us-east-1
sso_start_url = https://d-abc123.awsapps.com/start
)";

TEST_F(SsoProviderTest, BuildsFromAnSsoSessionProfile) {
  WriteToken();
  http_->Respond(200, kRoleCredentials);
  auto provider = SsoProviderFromProfile(Context(), "default", Parse(kSessionProfile));
  ASSERT_TRUE(provider.ok()) << provider.status();
  ASSERT_NE(*provider, nullptr);
  auto credentials = (*provider)->Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ((*credentials)->account_id, "012345678901");
}

TEST_F(SsoProviderTest, BuildsFromALegacyProfileWithFipsAndDualStack) {
  WriteToken("dace00cba5f8355ec9d274ceb2bcebdfbeed0e12");
  http_->Respond(200, kRoleCredentials);
  auto aws = Parse(R"([profile sso-test]
sso_start_url = https://ssotest.awsapps.com/start
sso_region = us-east-2
sso_account_id = 123456789
sso_role_name = MySsoRole
)");
  auto provider = SsoProviderFromProfile(
      Context({{"AWS_USE_FIPS_ENDPOINT", "true"}, {"AWS_USE_DUALSTACK_ENDPOINT", "true"}}), "sso-test", aws);
  ASSERT_TRUE(provider.ok() && *provider != nullptr) << provider.status();
  auto credentials = (*provider)->Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(http_->sent()[0].url,
            "https://portal.sso-fips.us-east-2.api.aws/federation/credentials?role_name=MySsoRole&account_id=123456789");
}

TEST_F(SsoProviderTest, AConfiguredEndpointWins) {
  WriteToken();
  http_->Respond(200, kRoleCredentials);
  auto provider = SsoProviderFromProfile(Context({{"AWS_ENDPOINT_URL", "http://aws.global-env-override"}}), "default",
                                         Parse(kSessionProfile));
  ASSERT_TRUE(provider.ok() && *provider != nullptr);
  ASSERT_TRUE((*provider)->Resolve().ok());
  EXPECT_EQ(http_->sent()[0].url,
            "http://aws.global-env-override/federation/credentials?role_name=SampleRole&account_id=012345678901");
}

TEST_F(SsoProviderTest, ProfilesWithoutRoleOrAccountAreNotItsConcern) {
  for (const char* text : {"[profile default]\nregion = us-east-1\n",
                           // Meant for the token provider chain.
                           "[profile default]\nsso_session = dev\n[sso-session dev]\nsso_region = us-east-1\n"
                           "sso_start_url = https://d-abc123.awsapps.com/start\n"}) {
    auto provider = SsoProviderFromProfile(Context(), "default", Parse(text));
    ASSERT_TRUE(provider.ok()) << provider.status();
    EXPECT_EQ(*provider, nullptr) << text;
  }
  auto provider = SsoProviderFromProfile(Context(), "absent", Parse(kSessionProfile));
  ASSERT_TRUE(provider.ok());
  EXPECT_EQ(*provider, nullptr);
}

TEST_F(SsoProviderTest, ConfigErrorsAreBotocores) {
  auto message = [&](const std::string& text) {
    return std::string(SsoProviderFromProfile(Context(), "p", Parse(text)).status().message());
  };
  EXPECT_EQ(message("[profile p]\nsso_role_name = R\n"),
            "The profile \"p\" is configured to use SSO but is missing required configuration: sso_account_id, "
            "sso_start_url, sso_region");
  EXPECT_EQ(message("[profile p]\nsso_role_name = R\nsso_account_id = 1\nsso_session = s\n[sso-session s]\n"
                    "sso_region = us-east-1\n"),
            "The profile \"p\" is configured to use SSO but is missing required configuration: sso_start_url");
  EXPECT_EQ(message("[profile p]\nsso_role_name = R\nsso_account_id = 1\nsso_session = gone\n"),
            "The specified sso-session does not exist: \"gone\"");
  EXPECT_EQ(message("[profile p]\nsso_role_name = R\nsso_account_id = 1\nsso_session = s\nsso_region = us-west-2\n"
                    "[sso-session s]\nsso_region = us-east-1\nsso_start_url = u\n"),
            "The value for sso_region is inconsistent between profile (us-west-2) and sso-session (us-east-1).");
  // The same value in both places is fine.
  auto same = SsoProviderFromProfile(Context(), "p",
                                     Parse("[profile p]\nsso_role_name = R\nsso_account_id = 1\nsso_session = s\n"
                                           "sso_region = us-east-1\n[sso-session s]\nsso_region = us-east-1\n"
                                           "sso_start_url = u\n"));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_NE(*same, nullptr);
}

TEST_F(SsoProviderTest, AttemptsFollowTheRetrySettings) {
  WriteToken();
  for (int i = 0; i < 5; ++i) http_->Respond(503, "");
  auto provider = SsoProviderFromProfile(Context(), "default", Parse(kSessionProfile));
  ASSERT_TRUE(provider.ok() && *provider != nullptr);
  EXPECT_FALSE((*provider)->Resolve().ok());
  EXPECT_EQ(http_->sent().size(), 5u);  // retry_mode legacy

  for (int i = 0; i < 2; ++i) http_->Respond(503, "");
  provider = SsoProviderFromProfile(Context({{"AWS_MAX_ATTEMPTS", "2"}}), "default", Parse(kSessionProfile));
  ASSERT_TRUE(provider.ok() && *provider != nullptr);
  auto credentials = (*provider)->Resolve();
  EXPECT_NE(credentials.status().message().find("(503)"), absl::string_view::npos);
  EXPECT_EQ(http_->sent().size(), 7u);
}

}  // namespace
}  // namespace awsd::credentials
