#include "daemon/sts/sts_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "daemon/sts/sts_response.h"
#include "tests/support/scripted_http_client.h"

namespace awsd::sts {
namespace {

using std::chrono::milliseconds;
using test_support::ScriptedHttpClient;

// 2021-08-10T00:38:33Z, the instant the conformance traffic was signed at.
const auto kNow = std::chrono::system_clock::from_time_t(1628555913);

constexpr const char* kAssumeRoleXml = R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROARABCDEFGHIJKLMNOP:assume-role-provider-session</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/integration-test/assume-role-provider-session</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIARTESTID</AccessKeyId>
      <SecretAccessKey>TESTSECRETKEY</SecretAccessKey>
      <SessionToken>TESTSESSIONTOKEN</SessionToken>
      <Expiration>2021-08-05T19:58:02Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c2e971c2-702d-4124-9b1f-1670febbea18</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
)";

constexpr const char* kWebIdentityXml =
    R"(<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Audience>my-cluster.sk1.us-west-2.eks.amazonaws.com</Audience>
    <AssumedRoleUser>
      <AssumedRoleId>AROARTEST:test-session</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/sdk-test/test-session</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>AKIDTEST</AccessKeyId>
      <SecretAccessKey>SECRETKEYTEST</SecretAccessKey>
      <SessionToken>SESSIONTOKEN_TEST</SessionToken>
      <Expiration>2021-08-16T20:52:53.250Z</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>
)";

std::string ErrorXml(const std::string& code, const std::string& message) {
  return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n"
         "    <Code>" +
         code + "</Code>\n    <Message>" + message +
         "</Message>\n  </Error>\n"
         "  <RequestId>5045ca91-d123-4749-9d66-00a3c906be6c</RequestId>\n</ErrorResponse>\n";
}

const std::string* Header(const http::HttpRequest& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (http::EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

class StsClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<StsClient> Client(int max_attempts = 3, RetryMode mode = RetryMode::kStandard,
                                    StsEndpoint endpoint = {"https://sts.us-east-1.amazonaws.com", "us-east-1"}) {
    credentials::ProviderContext context;
    context.http = http_;
    context.clock = [] { return kNow; };
    context.sleep = [this](milliseconds delay) { sleeps_.push_back(delay); };
    return std::make_unique<StsClient>(std::move(context), std::make_shared<signing::Signer>(), std::move(endpoint),
                                       max_attempts, mode);
  }

  static credentials::Credentials Caller(std::string session_token = "") {
    credentials::Credentials caller;
    caller.access_key_id = "AKIAFAKE";
    caller.secret_access_key = Secret("FAKE");
    caller.session_token = Secret(session_token);
    return caller;
  }

  static AssumeRoleRequest Request() {
    AssumeRoleRequest request;
    request.role_arn = "arn:aws:iam::123456789:role/integration-test";
    request.role_session_name = "assume-role-provider-session";
    return request;
  }

  static AssumeRoleWithWebIdentityRequest WebRequest(std::string token = "eyJ.token.sig\n") {
    AssumeRoleWithWebIdentityRequest request;
    request.role_arn = "arn:aws:iam::123456789012:role/test-role";
    request.role_session_name = "test-session";
    request.web_identity_token = Secret(token);
    return request;
  }

  std::shared_ptr<ScriptedHttpClient> http_ = std::make_shared<ScriptedHttpClient>();
  std::vector<milliseconds> sleeps_;
};

TEST_F(StsClientTest, AssumeRoleIsASignedFormPost) {
  http_->Respond(200, kAssumeRoleXml);
  auto credentials = Client()->AssumeRole(Request(), Caller());
  ASSERT_TRUE(credentials.ok()) << credentials.status();

  const std::vector<http::HttpRequest> requests = http_->sent();
  ASSERT_EQ(requests.size(), 1u);
  const http::HttpRequest& sent = requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "https://sts.us-east-1.amazonaws.com/");
  // The body the conformance suite recorded.
  EXPECT_EQ(sent.body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789%3Arole%2Fintegration-test"
            "&RoleSessionName=assume-role-provider-session");
  ASSERT_NE(Header(sent, "Content-Type"), nullptr);
  EXPECT_EQ(*Header(sent, "Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  ASSERT_NE(Header(sent, "Authorization"), nullptr);
  EXPECT_EQ(Header(sent, "Authorization")
                ->rfind("AWS4-HMAC-SHA256 Credential=AKIAFAKE/20210810/us-east-1/sts/aws4_request, ", 0),
            0u)
      << *Header(sent, "Authorization");
  EXPECT_EQ(*Header(sent, "X-Amz-Date"), "20210810T003833Z");
  EXPECT_EQ(Header(sent, "X-Amz-Security-Token"), nullptr);

  const http::RequestOptions options = http_->options()[0];
  EXPECT_EQ(options.max_response_bytes, 1u << 20);
  EXPECT_GT(options.total_timeout.count(), 0);
  EXPECT_LE(options.total_timeout, std::chrono::seconds(30));

  EXPECT_EQ((*credentials)->access_key_id, "ASIARTESTID");
  EXPECT_EQ((*credentials)->secret_access_key.view(), "TESTSECRETKEY");
  EXPECT_EQ((*credentials)->session_token.view(), "TESTSESSIONTOKEN");
  EXPECT_EQ((*credentials)->account_id, "123456789012");
  EXPECT_EQ((*credentials)->source, "assume-role");
  ASSERT_TRUE((*credentials)->expiration.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*credentials)->expiration), 1628193482);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(StsClientTest, SessionCredentialsSendTheirToken) {
  http_->Respond(200, kAssumeRoleXml);
  ASSERT_TRUE(Client()->AssumeRole(Request(), Caller("CALLERTOKEN")).ok());
  const auto sent = http_->sent();
  const std::string* token = Header(sent[0], "X-Amz-Security-Token");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(*token, "CALLERTOKEN");
}

TEST_F(StsClientTest, OptionalParametersAreSentInTheModelsOrder) {
  http_->Respond(200, kAssumeRoleXml);
  AssumeRoleRequest request = Request();
  request.duration_seconds = 3600;
  request.external_id = "ext id/1";
  request.serial_number = "arn:aws:iam::123456789012:mfa/me";
  request.token_code = Secret("123456");
  request.source_identity = "alice";
  ASSERT_TRUE(Client()->AssumeRole(request, Caller()).ok());
  EXPECT_EQ(http_->sent()[0].body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789%3Arole%2Fintegration-test"
            "&RoleSessionName=assume-role-provider-session&DurationSeconds=3600&ExternalId=ext%20id%2F1"
            "&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fme&TokenCode=123456&SourceIdentity=alice");
}

TEST_F(StsClientTest, WebIdentityIsSentUnsigned) {
  http_->Respond(200, kWebIdentityXml);
  AssumeRoleWithWebIdentityRequest request = WebRequest();
  request.duration_seconds = 900;
  auto credentials = Client()->AssumeRoleWithWebIdentity(request);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  const std::vector<http::HttpRequest> requests = http_->sent();
  const http::HttpRequest& sent = requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.body,
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole"
            "%2Ftest-role&RoleSessionName=test-session&WebIdentityToken=eyJ.token.sig%0A&DurationSeconds=900");
  EXPECT_EQ(Header(sent, "Authorization"), nullptr);
  EXPECT_EQ(Header(sent, "X-Amz-Date"), nullptr);
  EXPECT_NE(Header(sent, "Content-Type"), nullptr);
  EXPECT_EQ((*credentials)->access_key_id, "AKIDTEST");
  EXPECT_EQ((*credentials)->account_id, "123456789012");
  EXPECT_EQ((*credentials)->source, "assume-role-with-web-identity");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*credentials)->expiration), 1629147173);
}

TEST_F(StsClientTest, InvalidIdentityTokenReadsAsTheModeledExceptionAndIsNotRetried) {
  http_->Respond(400,
                 ErrorXml("InvalidIdentityToken",
                          "No OpenIDConnect provider found in your account for https://s3-us-west-2.amazonaws.com/x"));
  auto result = Client()->AssumeRoleWithWebIdentity(WebRequest());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(result.status().message());
  EXPECT_NE(message.find("InvalidIdentityTokenException: No OpenIDConnect provider found in your account"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("error code InvalidIdentityToken"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 400"), std::string::npos) << message;
  EXPECT_EQ(StsErrorCode(result.status()), "InvalidIdentityToken");
  EXPECT_EQ(http_->sent().size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(StsClientTest, ErrorsMapToStatusCodes) {
  struct Case {
    int status;
    std::string code;
    absl::StatusCode expected;
  };
  const Case cases[] = {
      {403, "AccessDenied", absl::StatusCode::kPermissionDenied},
      {403, "SignatureDoesNotMatch", absl::StatusCode::kPermissionDenied},
      {403, "InvalidClientTokenId", absl::StatusCode::kPermissionDenied},
      {400, "ValidationError", absl::StatusCode::kInvalidArgument},
      {400, "MalformedPolicyDocument", absl::StatusCode::kInvalidArgument},
      {400, "ExpiredToken", absl::StatusCode::kFailedPrecondition},
      {403, "RegionDisabledException", absl::StatusCode::kFailedPrecondition},
      {400, "Throttling", absl::StatusCode::kUnavailable},
      {503, "ServiceUnavailable", absl::StatusCode::kUnavailable},
  };
  for (const Case& c : cases) {
    http_ = std::make_shared<ScriptedHttpClient>();
    http_->Respond(c.status, ErrorXml(c.code, "Something about " + c.code));
    auto result = Client(1)->AssumeRole(Request(), Caller());
    EXPECT_EQ(result.status().code(), c.expected) << c.code << ": " << result.status();
    const std::string name = c.code == "MalformedPolicyDocument" ? c.code + "Exception" : c.code;
    EXPECT_EQ(std::string(result.status().message()).rfind(name + ": Something about " + c.code, 0), 0u)
        << result.status();
    EXPECT_EQ(StsErrorCode(result.status()), c.code);
  }
}

TEST_F(StsClientTest, ThrottlingIsRetriedWithBackoffThroughTheInjectedSleep) {
  http_->Respond(400, ErrorXml("Throttling", "Rate exceeded"));
  http_->Respond(400, ErrorXml("ThrottlingException", "Rate exceeded"));
  http_->Respond(200, kAssumeRoleXml);
  auto credentials = Client(3)->AssumeRole(Request(), Caller());
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(http_->sent().size(), 3u);
  ASSERT_EQ(sleeps_.size(), 2u);
  EXPECT_LE(sleeps_[0], milliseconds(1000));
  EXPECT_LE(sleeps_[1], milliseconds(2000));
  // Each attempt is signed afresh.
  EXPECT_NE(Header(http_->sent()[2], "Authorization"), nullptr);
}

TEST_F(StsClientTest, GivesUpAfterMaxAttempts) {
  for (int i = 0; i < 4; ++i) http_->Respond(503, "<html>busy SECRETBODY</html>");
  auto result = Client(3)->AssumeRole(Request(), Caller());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(http_->sent().size(), 3u);
  EXPECT_EQ(http_->remaining(), 1u);
  EXPECT_EQ(sleeps_.size(), 2u);
  const std::string message(result.status().message());
  EXPECT_NE(message.find("HTTP 503"), std::string::npos) << message;
  EXPECT_NE(message.find("3 attempts"), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRETBODY"), std::string::npos) << message;
}

TEST_F(StsClientTest, TransportFailuresAreRetried) {
  http_->Fail(absl::UnavailableError("POST https://sts.us-east-1.amazonaws.com/: connection refused"));
  http_->Fail(absl::DeadlineExceededError("POST https://sts.us-east-1.amazonaws.com/: timed out"));
  http_->Respond(200, kAssumeRoleXml);
  EXPECT_TRUE(Client(3)->AssumeRole(Request(), Caller()).ok());
  EXPECT_EQ(http_->sent().size(), 3u);

  http_ = std::make_shared<ScriptedHttpClient>();
  http_->Fail(absl::DeadlineExceededError("timed out"));
  http_->Fail(absl::DeadlineExceededError("timed out"));
  auto result = Client(2)->AssumeRole(Request(), Caller());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(http_->sent().size(), 2u);

  // A response over the size cap will not be smaller the second time.
  http_ = std::make_shared<ScriptedHttpClient>();
  http_->Fail(absl::ResourceExhaustedError("too big"));
  result = Client(3)->AssumeRole(Request(), Caller());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(http_->sent().size(), 1u);
}

TEST_F(StsClientTest, IdpCommunicationErrorIsRetried) {
  http_->Respond(400, ErrorXml("IDPCommunicationError", "The IdP could not be reached"));
  http_->Respond(200, kWebIdentityXml);
  EXPECT_TRUE(Client()->AssumeRoleWithWebIdentity(WebRequest()).ok());
  EXPECT_EQ(http_->sent().size(), 2u);

  http_ = std::make_shared<ScriptedHttpClient>();
  http_->Respond(400, ErrorXml("IDPCommunicationError", "unreachable"));
  auto result = Client(1)->AssumeRoleWithWebIdentity(WebRequest());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("IDPCommunicationErrorException: unreachable"), std::string_view::npos);
}

TEST_F(StsClientTest, ModesDisagreeOn429) {
  http_->Respond(429, "");
  http_->Respond(200, kAssumeRoleXml);
  EXPECT_TRUE(Client(3, RetryMode::kLegacy)->AssumeRole(Request(), Caller()).ok());
  EXPECT_EQ(http_->sent().size(), 2u);

  http_ = std::make_shared<ScriptedHttpClient>();
  http_->Respond(429, "");
  auto result = Client(3, RetryMode::kStandard)->AssumeRole(Request(), Caller());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(http_->sent().size(), 1u);
}

TEST_F(StsClientTest, GarbageIsAClearErrorWithoutTheBody) {
  const std::string bodies[] = {
      "SECRETBODY not xml <<<",
      "<html><body>SECRETBODY</body></html>",
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>SECRETBODY</AccessKeyId>"
      "</Credentials></AssumeRoleResult></AssumeRoleResponse>",
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
      "<SecretAccessKey>SECRETBODY</SecretAccessKey><SessionToken>T</SessionToken>"
      "<Expiration>SECRETBODY</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
  };
  const std::string expected[] = {"not XML", "not an AssumeRoleResponse", "Credentials/SecretAccessKey",
                                  "Credentials/Expiration"};
  for (int i = 0; i < 4; ++i) {
    http_ = std::make_shared<ScriptedHttpClient>();
    http_->Respond(200, bodies[i]);
    auto result = Client()->AssumeRole(Request(), Caller());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInternal);
    const std::string message(result.status().message());
    EXPECT_NE(message.find(expected[i]), std::string::npos) << message;
    EXPECT_EQ(message.find("SECRETBODY"), std::string::npos) << message;
    EXPECT_EQ(http_->sent().size(), 1u);
  }
}

TEST_F(StsClientTest, AnErrorWithoutADocumentSaysTheStatus) {
  http_->Respond(500, "<html>SECRETBODY</html>");
  auto result = Client(1)->AssumeRole(Request(), Caller());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("HTTP 500 (Internal Server Error) without an STS error document"),
            std::string_view::npos)
      << result.status();
  EXPECT_EQ(result.status().message().find("SECRETBODY"), std::string_view::npos);
  EXPECT_EQ(StsErrorCode(result.status()), std::nullopt);
}

TEST_F(StsClientTest, EchoedSecretsAreMasked) {
  const std::string token = "eyJhbGciOiJSUzI1NiJ9.payload.signature";
  http_->Respond(400, ErrorXml("InvalidIdentityToken", "Token " + token + " is bad\nreally"));
  auto result = Client()->AssumeRoleWithWebIdentity(WebRequest(token + "\n"));
  std::string message(result.status().message());
  EXPECT_EQ(message.find(token), std::string::npos) << message;
  EXPECT_NE(message.find("Token <redacted> is bad really"), std::string::npos) << message;

  http_ = std::make_shared<ScriptedHttpClient>();
  http_->Respond(400, ErrorXml("ValidationError", "Value '987654' at 'tokenCode' failed"));
  AssumeRoleRequest request = Request();
  request.serial_number = "arn:aws:iam::123456789012:mfa/me";
  request.token_code = Secret("987654");
  result = Client()->AssumeRole(request, Caller());
  message = std::string(result.status().message());
  EXPECT_EQ(message.find("987654"), std::string::npos) << message;

  http_ = std::make_shared<ScriptedHttpClient>();
  http_->Respond(400, ErrorXml("ValidationError", std::string(5000, 'x')));
  result = Client()->AssumeRole(Request(), Caller());
  EXPECT_LT(result.status().message().size(), 1000u);
}

TEST_F(StsClientTest, UnusableCallerCredentialsAreNotSent) {
  credentials::Credentials caller;
  auto result = Client()->AssumeRole(Request(), caller);
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(StsClientTest, ACustomEndpointKeepsItsPathAndIsSignedForItsRegion) {
  http_->Respond(200, kAssumeRoleXml);
  ASSERT_TRUE(Client(3, RetryMode::kStandard, {"http://127.0.0.1:5000/prefix", "eu-west-1"})
                  ->AssumeRole(Request(), Caller())
                  .ok());
  EXPECT_EQ(http_->sent()[0].url, "http://127.0.0.1:5000/prefix");
  EXPECT_NE(Header(http_->sent()[0], "Authorization")->find("/eu-west-1/sts/aws4_request"), std::string::npos);
}

TEST(StsResponseTest, AccountIdIsTheArnsFifthField) {
  EXPECT_EQ(AccountIdFromArn("arn:aws:sts::123456789012:assumed-role/r/s"), "123456789012");
  EXPECT_EQ(AccountIdFromArn("arn:aws-cn:sts::999:assumed-role/a:b:c"), "999");
  EXPECT_EQ(AccountIdFromArn("arn:aws:sts::123456789012"), "");
  EXPECT_EQ(AccountIdFromArn("not-an-arn:a:b:c:d:e"), "");
  EXPECT_EQ(AccountIdFromArn(""), "");
}

TEST(StsResponseTest, ErrorDocumentsAreRecognised) {
  auto error = ParseStsError(ErrorXml("AccessDenied", "nope"));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "AccessDenied");
  EXPECT_EQ(error->message, "nope");
  EXPECT_EQ(error->request_id, "5045ca91-d123-4749-9d66-00a3c906be6c");
  // moto's (and EC2's) form, which botocore's QueryParser also reads.
  error = ParseStsError(
      "<Response><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>"
      "</Errors><RequestID>r</RequestID></Response>");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "SignatureDoesNotMatch");
  EXPECT_EQ(error->request_id, "r");
  EXPECT_FALSE(ParseStsError("<html/>").has_value());
  EXPECT_FALSE(ParseStsError("").has_value());
  EXPECT_FALSE(ParseStsError("<ErrorResponse><Error></Error></ErrorResponse>").has_value());
}

TEST(StsResponseTest, TheBodyIsWipedAfterParsing) {
  std::string body = kAssumeRoleXml;
  ASSERT_TRUE(ParseCredentialsResult(body, "AssumeRole").ok());
  EXPECT_TRUE(body.empty());
  body = "<junk";
  EXPECT_FALSE(ParseCredentialsResult(body, "AssumeRole").ok());
  EXPECT_TRUE(body.empty());
}

}  // namespace
}  // namespace awsd::sts
