#include "daemon/credentials/assume_role_provider.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/scripted_http_client.h"

namespace awsd::credentials {
namespace {

using test_support::ScriptedHttpClient;

const auto kNow = std::chrono::system_clock::from_time_t(1628555913);

std::string AssumeRoleXml(const std::string& key_id, const std::string& token) {
  return "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s"
         "</Arn></AssumedRoleUser><Credentials><AccessKeyId>" +
         key_id +
         "</AccessKeyId><SecretAccessKey>secret"
         "</SecretAccessKey><SessionToken>" +
         token +
         "</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>"
         "</Credentials></AssumeRoleResult></AssumeRoleResponse>";
}

const std::string* Header(const http::HttpRequest& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (http::EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

// A source that answers from a list and counts its calls.
class FakeSource : public CredentialsProvider {
 public:
  explicit FakeSource(absl::StatusOr<std::shared_ptr<const Credentials>> answer) : answer_(std::move(answer)) {}
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override {
    ++calls;
    return answer_;
  }
  int calls = 0;

 private:
  absl::StatusOr<std::shared_ptr<const Credentials>> answer_;
};

std::shared_ptr<const Credentials> Keys(const std::string& key_id) {
  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = key_id;
  credentials->secret_access_key = Secret("sourcesecret");
  credentials->source = "shared-credentials-file";
  return credentials;
}

class AssumeRoleProviderTest : public ::testing::Test {
 protected:
  std::shared_ptr<sts::StsClient> Sts() {
    ProviderContext context;
    context.http = http_;
    context.clock = [] { return kNow; };
    context.sleep = [](std::chrono::milliseconds) {};
    return std::make_shared<sts::StsClient>(std::move(context), std::make_shared<signing::Signer>(),
                                            sts::StsEndpoint{"https://sts.us-east-1.amazonaws.com", "us-east-1"});
  }
  static AssumeRoleParams Params() {
    AssumeRoleParams params;
    params.role_arn = "arn:aws:iam::123456789012:role/target";
    return params;
  }

  std::shared_ptr<ScriptedHttpClient> http_ = std::make_shared<ScriptedHttpClient>();
};

TEST_F(AssumeRoleProviderTest, AssumesTheRoleWithTheSourceCredentials) {
  http_->Respond(200, AssumeRoleXml("ASIAROLE", "roletoken"));
  auto source = std::make_shared<FakeSource>(Keys("AKIASOURCE"));
  AssumeRoleParams params = Params();
  params.role_session_name = "mine";
  params.external_id = "ext";
  params.duration_seconds = 1800;
  AssumeRoleProvider provider(source, params, Sts());
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ((*credentials)->access_key_id, "ASIAROLE");
  EXPECT_EQ((*credentials)->source, "assume-role");
  EXPECT_EQ((*credentials)->account_id, "123456789012");

  const auto sent = http_->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Ftarget"
            "&RoleSessionName=mine&DurationSeconds=1800&ExternalId=ext");
  ASSERT_NE(Header(sent[0], "Authorization"), nullptr);
  EXPECT_NE(Header(sent[0], "Authorization")->find("Credential=AKIASOURCE/20210810/us-east-1/sts/"), std::string::npos);
}

TEST_F(AssumeRoleProviderTest, TheDefaultSessionNameIsBotocoresAndStaysTheSame) {
  http_->Respond(200, AssumeRoleXml("ASIA1", "t1"));
  http_->Respond(200, AssumeRoleXml("ASIA2", "t2"));
  AssumeRoleProvider provider(std::make_shared<FakeSource>(Keys("AKIASOURCE")), Params(), Sts());
  EXPECT_EQ(provider.params().role_session_name, "botocore-session-1628555913");
  // Nothing is cached here: each call is a new AssumeRole.
  EXPECT_EQ((*provider.Resolve())->access_key_id, "ASIA1");
  EXPECT_EQ((*provider.Resolve())->access_key_id, "ASIA2");
  const auto sent = http_->sent();
  ASSERT_EQ(sent.size(), 2u);
  for (const auto& request : sent) {
    EXPECT_NE(request.body.find("&RoleSessionName=botocore-session-1628555913"), std::string::npos) << request.body;
  }
}

TEST_F(AssumeRoleProviderTest, ASourceWithoutCredentialsIsAnError) {
  auto source = std::make_shared<FakeSource>(std::shared_ptr<const Credentials>());
  AssumeRoleProvider provider(source, Params(), Sts());
  auto result = provider.Resolve();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("arn:aws:iam::123456789012:role/target"), std::string_view::npos);
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(AssumeRoleProviderTest, TheSourcesErrorIsPassedOn) {
  auto source = std::make_shared<FakeSource>(
      absl::InvalidArgumentError("`web_identity_token_file` was specified but `role_arn` was missing"));
  AssumeRoleProvider provider(source, Params(), Sts());
  auto result = provider.Resolve();
  EXPECT_EQ(result.status(), source->Resolve().status());
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(AssumeRoleProviderTest, AnMfaSerialWithoutACodeSourceNeedsACode) {
  auto source = std::make_shared<FakeSource>(Keys("AKIASOURCE"));
  AssumeRoleParams params = Params();
  params.mfa_serial = "arn:aws:iam::123456789012:mfa/me";
  AssumeRoleProvider provider(source, params, Sts());
  auto result = provider.Resolve();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("needs an MFA code for arn:aws:iam::123456789012:mfa/me"),
            std::string_view::npos)
      << result.status();
  EXPECT_EQ(source->calls, 0);
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(AssumeRoleProviderTest, TheMfaCodeIsAskedForAndSent) {
  http_->Respond(200, AssumeRoleXml("ASIAMFA", "t"));
  AssumeRoleParams params = Params();
  params.mfa_serial = "arn:aws:iam::123456789012:mfa/me";
  std::vector<std::string> asked;
  AssumeRoleProvider provider(std::make_shared<FakeSource>(Keys("AKIASOURCE")), params, Sts(),
                              [&](const std::string& serial) -> absl::StatusOr<std::string> {
                                asked.push_back(serial);
                                return "123456";
                              });
  ASSERT_TRUE(provider.Resolve().ok());
  EXPECT_EQ(asked, std::vector<std::string>{"arn:aws:iam::123456789012:mfa/me"});
  EXPECT_NE(http_->sent()[0].body.find("&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fme&TokenCode=123456"),
            std::string::npos)
      << http_->sent()[0].body;
}

TEST_F(AssumeRoleProviderTest, TheMfaSourcesRefusalIsPassedOn) {
  AssumeRoleParams params = Params();
  params.mfa_serial = "arn:aws:iam::123456789012:mfa/me";
  AssumeRoleProvider provider(std::make_shared<FakeSource>(Keys("AKIASOURCE")), params, Sts(),
                              [](const std::string&) -> absl::StatusOr<std::string> {
                                return absl::FailedPreconditionError("no code was given with the call");
                              });
  EXPECT_EQ(provider.Resolve().status().message(), "no code was given with the call");
  EXPECT_TRUE(http_->sent().empty());

  AssumeRoleProvider empty(std::make_shared<FakeSource>(Keys("AKIASOURCE")), params, Sts(),
                           [](const std::string&) -> absl::StatusOr<std::string> { return ""; });
  EXPECT_EQ(empty.Resolve().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(AssumeRoleProviderTest, RolesChainThroughTheirSessionCredentials) {
  http_->Respond(200, AssumeRoleXml("ASIAFIRST", "firsttoken"));
  http_->Respond(200, AssumeRoleXml("ASIASECOND", "secondtoken"));
  auto first = std::make_shared<AssumeRoleProvider>(std::make_shared<FakeSource>(Keys("AKIASOURCE")), Params(), Sts());
  AssumeRoleParams second_params = Params();
  second_params.role_arn = "arn:aws:iam::210987654321:role/second";
  AssumeRoleProvider second(first, second_params, Sts());
  auto credentials = second.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ((*credentials)->access_key_id, "ASIASECOND");
  const auto sent = http_->sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(Header(sent[1], "Authorization")->find("Credential=ASIAFIRST/"), std::string::npos);
  ASSERT_NE(Header(sent[1], "X-Amz-Security-Token"), nullptr);
  EXPECT_EQ(*Header(sent[1], "X-Amz-Security-Token"), "firsttoken");
}

TEST_F(AssumeRoleProviderTest, StsErrorsComeBackAsTheyAre) {
  http_->Respond(403,
                 "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not allowed</Message></Error>"
                 "</ErrorResponse>");
  AssumeRoleProvider provider(std::make_shared<FakeSource>(Keys("AKIASOURCE")), Params(), Sts());
  auto result = provider.Resolve();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(std::string(result.status().message()).rfind("AccessDenied: not allowed", 0), 0u) << result.status();
}

}  // namespace
}  // namespace awsd::credentials
