#include "daemon/credentials/web_identity_provider.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "tests/support/daemon_process.h"
#include "tests/support/fake_environment.h"
#include "tests/support/scripted_http_client.h"

namespace awsd::credentials {
namespace {

using test_support::FakeEnvironment;
using test_support::ScriptedHttpClient;
using test_support::TempDir;
using test_support::WriteFile;

const auto kNow = std::chrono::system_clock::from_time_t(1629229438);

constexpr const char* kResponse =
    "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><AssumedRoleUser><Arn>"
    "arn:aws:sts::123456789012:assumed-role/s3-reader/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>"
    "ASIAWEB</AccessKeyId><SecretAccessKey>TESTSECRET</SecretAccessKey><SessionToken>TESTSESSIONTOKEN"
    "</SessionToken><Expiration>2021-08-17T20:55:04Z</Expiration></Credentials>"
    "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";

// The conformance suite's web_identity_token_invalid_jwt answer.
constexpr const char* kInvalidJwt =
    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n"
    "    <Code>InvalidIdentityToken</Code>\n    <Message>No OpenIDConnect provider found in your account for "
    "https://s3-us-west-2.amazonaws.com/oidc-test-tzzotbwmznwimurcbkebndpxaimixbkc</Message>\n  </Error>\n"
    "  <RequestId>5045ca91-d123-4749-9d66-00a3c906be6c</RequestId>\n</ErrorResponse>\n";

class WebIdentityProviderTest : public ::testing::Test {
 protected:
  ProviderContext Context() {
    ProviderContext context;
    context.environment = FakeEnvironment({});
    context.files = RootedFileSystem(dir_.path().string());
    context.http = http_;
    context.clock = [] { return kNow; };
    context.sleep = [](std::chrono::milliseconds) {};
    return context;
  }
  WebIdentityProvider Provider(WebIdentityParams params) {
    auto sts = std::make_shared<sts::StsClient>(Context(), std::make_shared<signing::Signer>(),
                                                sts::StsEndpoint{"https://sts.us-east-1.amazonaws.com", "us-east-1"});
    return WebIdentityProvider(Context(), std::move(params), std::move(sts));
  }
  static WebIdentityParams Params() {
    return {"/var/run/token.jwt", "arn:aws:iam::123456789012:role/s3-reader", "pod-session"};
  }

  TempDir dir_;
  std::shared_ptr<ScriptedHttpClient> http_ = std::make_shared<ScriptedHttpClient>();
};

TEST_F(WebIdentityProviderTest, TheTokenIsReadAgainAtEveryCall) {
  std::filesystem::create_directories(dir_.path() / "var/run");
  WriteFile(dir_.path() / "var/run/token.jwt", "token-one\n");
  http_->Respond(200, kResponse);
  http_->Respond(200, kResponse);
  WebIdentityProvider provider = Provider(Params());

  auto first = provider.Resolve();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->access_key_id, "ASIAWEB");
  EXPECT_EQ((*first)->source, "assume-role-with-web-identity");
  EXPECT_EQ((*first)->account_id, "123456789012");

  WriteFile(dir_.path() / "var/run/token.jwt", "token-two");
  ASSERT_TRUE(provider.Resolve().ok());

  const auto sent = http_->sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].body,
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole"
            "%2Fs3-reader&RoleSessionName=pod-session&WebIdentityToken=token-one%0A");
  EXPECT_NE(sent[1].body.find("&WebIdentityToken=token-two"), std::string::npos) << sent[1].body;
  for (const auto& request : sent) {
    for (const auto& header : request.headers) EXPECT_FALSE(http::EqualsIgnoreCase(header.name, "Authorization"));
  }
}

TEST_F(WebIdentityProviderTest, AMissingTokenFileIsAnErrorNamingIt) {
  WebIdentityProvider provider = Provider(Params());
  auto result = provider.Resolve();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
  const std::string message(result.status().message());
  EXPECT_NE(message.find("/var/run/token.jwt"), std::string::npos) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(WebIdentityProviderTest, AnEmptyTokenFileIsAnError) {
  std::filesystem::create_directories(dir_.path() / "var/run");
  WriteFile(dir_.path() / "var/run/token.jwt", "");
  auto result = Provider(Params()).Resolve();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("/var/run/token.jwt is empty"), std::string_view::npos);
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(WebIdentityProviderTest, TheDefaultSessionNameIsBotocores) {
  WebIdentityParams params = Params();
  params.role_session_name = "";
  EXPECT_EQ(Provider(params).params().role_session_name, "botocore-session-1629229438");
}

TEST_F(WebIdentityProviderTest, AnInvalidTokenReadsAsTheOtherSdksSayIt) {
  WriteFile(dir_.path() / "token.jwt", "eyJhbGciOiJSUzI1NiIsImtpZCI6IjQxOTg5In0.e30.sig\n");
  http_->Respond(400, kInvalidJwt);
  WebIdentityParams params = Params();
  params.token_file = "/token.jwt";
  auto result = Provider(params).Resolve();
  ASSERT_FALSE(result.ok());
  const std::string message(result.status().message());
  EXPECT_NE(message.find("InvalidIdentityTokenException: No OpenIDConnect provider found in your account"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("eyJhbGci"), std::string::npos) << message;
  EXPECT_EQ(http_->sent().size(), 1u);
}

config::Profile Profile(std::map<std::string, std::string> keys) {
  config::Profile profile;
  for (auto& [key, value] : keys) profile[key] = config::Value{value, std::nullopt};
  return profile;
}

TEST(WebIdentityParamsTest, TheEnvironmentAloneIsEnough) {
  auto params = WebIdentityParamsFromConfig(nullptr,
                                            FakeEnvironment({{"AWS_WEB_IDENTITY_TOKEN_FILE", "/token.jwt"},
                                                             {"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"},
                                                             {"AWS_ROLE_SESSION_NAME", "s"}}),
                                            false);
  ASSERT_TRUE(params.ok()) << params.status();
  ASSERT_TRUE(params->has_value());
  EXPECT_EQ((*params)->token_file, "/token.jwt");
  EXPECT_EQ((*params)->role_arn, "arn:aws:iam::1:role/r");
  EXPECT_EQ((*params)->role_session_name, "s");
}

TEST(WebIdentityParamsTest, EachKeyComesFromTheEnvironmentFirstThenTheProfile) {
  const config::Profile profile = Profile({{"web_identity_token_file", "/profile.jwt"},
                                           {"role_arn", "arn:aws:iam::1:role/profile"},
                                           {"role_session_name", "profile-session"}});
  auto params =
      WebIdentityParamsFromConfig(&profile, FakeEnvironment({{"AWS_ROLE_ARN", "arn:aws:iam::1:role/env"}}), false);
  ASSERT_TRUE(params.ok() && params->has_value());
  EXPECT_EQ((*params)->token_file, "/profile.jwt");
  EXPECT_EQ((*params)->role_arn, "arn:aws:iam::1:role/env");
  EXPECT_EQ((*params)->role_session_name, "profile-session");

  // With the environment disabled (a source profile, an explicit profile).
  params = WebIdentityParamsFromConfig(&profile, FakeEnvironment({{"AWS_ROLE_ARN", "arn:aws:iam::1:role/env"}}), true);
  EXPECT_EQ((*params)->role_arn, "arn:aws:iam::1:role/profile");
}

TEST(WebIdentityParamsTest, NoTokenFileIsNotConfigured) {
  auto params =
      WebIdentityParamsFromConfig(nullptr, FakeEnvironment({{"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"}}), false);
  ASSERT_TRUE(params.ok());
  EXPECT_FALSE(params->has_value());

  // A variable set to "" still wins over the profile, and "" means none.
  const config::Profile profile = Profile({{"web_identity_token_file", "/p.jwt"}, {"role_arn", "arn:x"}});
  params = WebIdentityParamsFromConfig(&profile, FakeEnvironment({{"AWS_WEB_IDENTITY_TOKEN_FILE", ""}}), false);
  ASSERT_TRUE(params.ok());
  EXPECT_FALSE(params->has_value());
}

TEST(WebIdentityParamsTest, ATokenFileWithoutARoleIsAnError) {
  // The conformance suite's web_identity_source_profile_no_env: AWS_ROLE_ARN
  // is set but a source profile may not use it.
  const config::Profile profile = Profile({{"web_identity_token_file", "/token.jwt"}});
  auto params = WebIdentityParamsFromConfig(
      &profile, FakeEnvironment({{"AWS_ROLE_ARN", "arn:aws:iam::123456789:role/RoleB"}}), true);
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(params.status().message().find("`web_identity_token_file` was specified but `role_arn` was missing"),
            std::string_view::npos);

  params = WebIdentityParamsFromConfig(&profile, FakeEnvironment({{"AWS_ROLE_ARN", ""}}), false);
  EXPECT_EQ(params.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(WebIdentityParamsTest, AnEmptySessionNameMeansTheDefault) {
  auto params = WebIdentityParamsFromConfig(
      nullptr,
      FakeEnvironment(
          {{"AWS_WEB_IDENTITY_TOKEN_FILE", "/t"}, {"AWS_ROLE_ARN", "arn:x"}, {"AWS_ROLE_SESSION_NAME", ""}}),
      false);
  ASSERT_TRUE(params.ok() && params->has_value());
  EXPECT_EQ((*params)->role_session_name, "");
}

}  // namespace
}  // namespace awsd::credentials
