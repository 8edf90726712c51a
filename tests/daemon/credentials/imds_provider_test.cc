// ImdsProvider over the real curl client against a local fake IMDS: the
// client's loopback hook sends what would go to 169.254.169.254 to
// FakeHttpServer, so the provider's URLs, headers and fault handling are
// exercised end to end. Time is injected for expiry; only the timeout tests
// spend real (sub-second) time.

#include "daemon/credentials/imds_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "daemon/http/curl_http_client.h"
#include "tests/support/fake_environment.h"
#include "tests/support/fake_http_server.h"

namespace awsd::credentials {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using test_support::FakeEnvironment;
using test_support::FakeHttpServer;
using test_support::FakeResponse;
using test_support::RefusingPort;
using time_point = std::chrono::system_clock::time_point;

constexpr char kRolePath[] = "/latest/meta-data/iam/security-credentials/";

// 2021-09-21T04:16:53Z, and an instant four hours before it.
constexpr int64_t kExpiry = 1632197813;
const time_point kNow = std::chrono::system_clock::from_time_t(kExpiry) - hours(4);

std::string CredentialsJson(const std::string& expiration = "2021-09-21T04:16:53Z") {
  return R"({"Code": "Success", "LastUpdated": "2021-09-20T21:42:26Z", "Type": "AWS-HMAC",
    "AccessKeyId": "ASIARTEST", "SecretAccessKey": "testsecret", "Token": "testtoken",
    "Expiration": ")" + expiration + "\"}";
}

const std::string* Find(const http::HttpRequest& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (http::EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

// A scriptable IMDS. Each path answers with a queue of responses (the last
// repeats); tokens are numbered so a test can tell them apart.
class FakeImds {
 public:
  FakeResponse Handle(const http::HttpRequest& request) {
    std::lock_guard lock(mutex_);
    if (request.method == "PUT" && request.url == "/latest/api/token") {
      FakeResponse response = Next(token_answers_);
      if (response.status == 200 && response.body.empty()) response.body = "token-" + std::to_string(++tokens_issued_);
      return response;
    }
    const std::string* token = Find(request, "x-aws-ec2-metadata-token");
    if (token != nullptr && rejected_token_ == *token) return FakeResponse{.status = 401};
    if (request.method == "GET" && request.url == kRolePath) return Next(role_answers_);
    if (request.method == "GET" && request.url == std::string(kRolePath) + "my-role") return Next(credential_answers_);
    return FakeResponse{.status = 404};
  }

  void Token(std::vector<FakeResponse> answers) { Set(token_answers_, std::move(answers)); }
  void Role(std::vector<FakeResponse> answers) { Set(role_answers_, std::move(answers)); }
  void Credentials(std::vector<FakeResponse> answers) { Set(credential_answers_, std::move(answers)); }
  void Reject(std::string token) {
    std::lock_guard lock(mutex_);
    rejected_token_ = std::move(token);
  }

 private:
  static FakeResponse Next(std::vector<FakeResponse>& answers) {
    FakeResponse next = answers.front();
    if (answers.size() > 1) answers.erase(answers.begin());
    return next;
  }
  void Set(std::vector<FakeResponse>& slot, std::vector<FakeResponse> answers) {
    std::lock_guard lock(mutex_);
    slot = std::move(answers);
  }

  std::mutex mutex_;
  std::vector<FakeResponse> token_answers_{FakeResponse{}};
  std::vector<FakeResponse> role_answers_{FakeResponse{.body = "my-role"}};
  std::vector<FakeResponse> credential_answers_{FakeResponse{.body = CredentialsJson()}};
  int tokens_issued_ = 0;
  std::string rejected_token_;
};

FakeResponse Status(int status) { return FakeResponse{.status = status}; }

class ImdsProviderTest : public ::testing::Test {
 protected:
  ImdsProviderTest() : server_([this](const http::HttpRequest& request) { return imds_.Handle(request); }) {}

  ProviderContext Context(std::optional<uint16_t> port = std::nullopt) {
    ProviderContext context;
    context.environment = FakeEnvironment({});
    http::CurlHttpClientOptions options;
    options.loopback_port = port.value_or(server_.port());
    context.http = http::MakeCurlHttpClient(options);
    context.clock = [this] {
      std::lock_guard lock(clock_mutex_);
      return now_;
    };
    context.sleep = [](milliseconds) { ADD_FAILURE() << "IMDS retries do not pause"; };
    return context;
  }

  ImdsProvider Provider(ImdsSettings settings = {}, std::optional<uint16_t> port = std::nullopt) {
    return ImdsProvider(Context(port), std::move(settings));
  }

  static ImdsSettings Settings(int attempts, bool v1_disabled = false, milliseconds timeout = seconds(1)) {
    ImdsSettings settings;
    settings.attempts = attempts;
    settings.v1_disabled = v1_disabled;
    settings.timeout = timeout;
    return settings;
  }

  void Advance(std::chrono::system_clock::duration by) {
    std::lock_guard lock(clock_mutex_);
    now_ += by;
  }

  // "PUT /latest/api/token", "GET /latest/..." for each request received.
  std::vector<std::string> Log() const {
    std::vector<std::string> log;
    for (const auto& request : server_.requests()) log.push_back(request.method + " " + request.url);
    return log;
  }

  FakeImds imds_;
  FakeHttpServer server_;
  std::mutex clock_mutex_;
  time_point now_ = kNow;
};

const std::string kPut = "PUT /latest/api/token";
const std::string kGetRole = std::string("GET ") + kRolePath;
const std::string kGetCredentials = std::string("GET ") + kRolePath + "my-role";

TEST_F(ImdsProviderTest, FetchesTheRoleCredentialsWithASessionToken) {
  auto provider = Provider();
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  ASSERT_NE(*credentials, nullptr);
  EXPECT_EQ((*credentials)->access_key_id, "ASIARTEST");
  EXPECT_EQ((*credentials)->secret_access_key.view(), "testsecret");
  EXPECT_EQ((*credentials)->session_token.view(), "testtoken");
  EXPECT_EQ((*credentials)->source, "iam-role");
  EXPECT_EQ((*credentials)->account_id, "");
  ASSERT_TRUE((*credentials)->expiration.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*credentials)->expiration), kExpiry);

  EXPECT_EQ(Log(), (std::vector<std::string>{kPut, kGetRole, kGetCredentials}));
  const auto requests = server_.requests();
  EXPECT_EQ(*Find(requests[0], "Host"), "169.254.169.254");
  EXPECT_EQ(*Find(requests[0], "x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(Find(requests[0], "x-aws-ec2-metadata-token"), nullptr);
  for (int i : {1, 2}) {
    ASSERT_NE(Find(requests[i], "x-aws-ec2-metadata-token"), nullptr);
    EXPECT_EQ(*Find(requests[i], "x-aws-ec2-metadata-token"), "token-1");
  }
}

TEST_F(ImdsProviderTest, ReusesTheTokenAcrossResolves) {
  auto provider = Provider();
  ASSERT_TRUE(provider.Resolve().ok());
  Advance(hours(5));
  auto again = provider.Resolve();
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_NE(*again, nullptr);
  EXPECT_EQ(Log(), (std::vector<std::string>{kPut, kGetRole, kGetCredentials, kGetRole, kGetCredentials}));
}

TEST_F(ImdsProviderTest, RenewsTheTokenBeforeItsTtlRunsOut) {
  auto provider = Provider();
  ASSERT_TRUE(provider.Resolve().ok());
  Advance(hours(6) - minutes(1));
  ASSERT_TRUE(provider.Resolve().ok());
  EXPECT_EQ(Log(), (std::vector<std::string>{kPut, kGetRole, kGetCredentials, kPut, kGetRole, kGetCredentials}));
  EXPECT_EQ(*Find(server_.requests().back(), "x-aws-ec2-metadata-token"), "token-2");
}

TEST_F(ImdsProviderTest, ReplacesAKeptTokenThatImdsNoLongerHonours) {
  auto provider = Provider();
  ASSERT_TRUE(provider.Resolve().ok());
  imds_.Reject("token-1");  // as after an IMDS restart
  auto again = provider.Resolve();
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_NE(*again, nullptr);
  EXPECT_EQ(Log(),
            (std::vector<std::string>{kPut, kGetRole, kGetCredentials, kGetRole, kPut, kGetRole, kGetCredentials}));
  EXPECT_EQ(*Find(server_.requests().back(), "x-aws-ec2-metadata-token"), "token-2");
}

TEST_F(ImdsProviderTest, ConcurrentCallersShareOneTokenRequest) {
  // A roomy timeout: this is about sharing, and under TSan on a busy
  // machine one answer can take longer than IMDS's 1 s.
  auto provider = Provider(Settings(1, /*v1_disabled=*/false, seconds(10)));
  std::vector<std::thread> threads;
  std::atomic<int> good = 0;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto credentials = provider.Resolve();
      if (credentials.ok() && *credentials != nullptr) ++good;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), 4);
  const auto log = Log();
  EXPECT_EQ(std::count(log.begin(), log.end(), kPut), 1);
}

TEST_F(ImdsProviderTest, TokenRefusedFallsBackToImdsV1) {
  for (int status : {403, 404, 405}) {
    SCOPED_TRACE(status);
    FakeImds imds;
    imds.Token({Status(status)});
    FakeHttpServer server([&](const http::HttpRequest& request) { return imds.Handle(request); });
    auto provider = Provider({}, server.port());
    auto credentials = provider.Resolve();
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    ASSERT_NE(*credentials, nullptr);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(Find(requests[1], "x-aws-ec2-metadata-token"), nullptr);
    EXPECT_EQ(Find(requests[2], "x-aws-ec2-metadata-token"), nullptr);
  }
}

TEST_F(ImdsProviderTest, TokenRefusedWithImdsV1DisabledIsAnError) {
  imds_.Token({Status(403)});
  auto provider = Provider(Settings(1, /*v1_disabled=*/true));
  auto credentials = provider.Resolve();
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.status().message().find("IMDSv1 has been disabled"), std::string::npos)
      << credentials.status();
  EXPECT_EQ(Log(), (std::vector<std::string>{kPut}));
}

TEST_F(ImdsProviderTest, TokenServerErrorsAreRetriedThenImdsV1IsUsed) {
  imds_.Token({Status(503), Status(500)});
  auto provider = Provider(Settings(2));
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  ASSERT_NE(*credentials, nullptr);
  EXPECT_EQ(Log(), (std::vector<std::string>{kPut, kPut, kGetRole, kGetCredentials}));
}

TEST_F(ImdsProviderTest, MalformedTokenRequestMeansNotConfigured) {
  // botocore raises BadIMDSRequestError and catches it in
  // retrieve_iam_role_credentials: no credentials, no IMDSv1 attempt.
  imds_.Token({Status(400)});
  auto provider = Provider();
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(*credentials, nullptr);
  EXPECT_EQ(Log(), (std::vector<std::string>{kPut}));
}

TEST_F(ImdsProviderTest, UnreachableImdsMeansNotConfigured) {
  RefusingPort refusing;
  auto provider = Provider(Settings(2), refusing.port());
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(*credentials, nullptr);

  // Without IMDSv1 there is nothing to fall back to: botocore raises.
  auto strict = Provider(Settings(2, /*v1_disabled=*/true), refusing.port());
  EXPECT_FALSE(strict.Resolve().ok());
}

TEST_F(ImdsProviderTest, SlowImdsGivesUpWithinTheTimeout) {
  const FakeResponse slow{.body = "late", .delay_before_response = seconds(10)};
  imds_.Token({slow});
  imds_.Role({slow});
  for (bool v1_disabled : {false, true}) {
    SCOPED_TRACE(v1_disabled);
    auto provider = Provider(Settings(1, v1_disabled, milliseconds(100)));
    const auto start = std::chrono::steady_clock::now();
    auto credentials = provider.Resolve();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    // Two requests at most (token, role), each bounded by 2 x 100 ms.
    EXPECT_LT(elapsed, milliseconds(1500));
    if (v1_disabled) {
      EXPECT_FALSE(credentials.ok());
    } else {
      ASSERT_TRUE(credentials.ok()) << credentials.status();
      EXPECT_EQ(*credentials, nullptr);
    }
  }
}

TEST_F(ImdsProviderTest, NoRoleMeansNotConfigured) {
  imds_.Role({Status(404)});
  auto provider = Provider(Settings(3));
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(*credentials, nullptr);
  EXPECT_EQ(Log(), (std::vector<std::string>{kPut, kGetRole, kGetRole, kGetRole}));
}

TEST_F(ImdsProviderTest, ServerErrorsAndEmptyAnswersAreRetried) {
  imds_.Role({Status(500), FakeResponse{.body = ""}, FakeResponse{.body = "my-role"}});
  imds_.Credentials({Status(503), FakeResponse{.body = CredentialsJson()}});
  auto provider = Provider(Settings(3));
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  ASSERT_NE(*credentials, nullptr);
  EXPECT_EQ(Log(), (std::vector<std::string>{kPut, kGetRole, kGetRole, kGetRole, kGetCredentials, kGetCredentials}));

  // Failing every try is "no credentials", as botocore.
  imds_.Credentials({Status(500)});
  auto failing = Provider(Settings(2));
  auto none = failing.Resolve();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, nullptr);
}

TEST_F(ImdsProviderTest, GarbageJsonIsRetriedThenNotConfigured) {
  imds_.Credentials({FakeResponse{.body = "{\"AccessKeyId\": \"ASIA"}});
  auto provider = Provider(Settings(2));
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(*credentials, nullptr);
  EXPECT_EQ(Log(), (std::vector<std::string>{kPut, kGetRole, kGetCredentials, kGetCredentials}));
}

TEST_F(ImdsProviderTest, ErrorDocumentOrMissingFieldMeansNotConfigured) {
  for (const std::string& body :
       {std::string(R"({"Code": "AssumeRoleUnauthorizedAccess", "Message": "EC2 cannot assume the role"})"),
        std::string(R"({"AccessKeyId": "ASIA", "SecretAccessKey": "s", "Expiration": "2021-09-21T04:16:53Z"})"),
        std::string(R"(["AccessKeyId", "SecretAccessKey", "Token", "Expiration"])")}) {
    imds_.Credentials({FakeResponse{.body = body}});
    auto provider = Provider();
    auto credentials = provider.Resolve();
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    EXPECT_EQ(*credentials, nullptr) << body;
  }
}

TEST_F(ImdsProviderTest, OversizedAnswerIsAnErrorWithoutTheBody) {
  imds_.Credentials({FakeResponse{.body = "{\"SecretAccessKey\": \"" + std::string(100 * 1024, 's') + "\"}"}});
  auto provider = Provider();
  auto credentials = provider.Resolve();
  ASSERT_EQ(credentials.status().code(), absl::StatusCode::kResourceExhausted) << credentials.status();
  const std::string message(credentials.status().message());
  EXPECT_NE(message.find("iam-role"), std::string::npos);
  EXPECT_EQ(message.find("sss"), std::string::npos);
  EXPECT_EQ(message.find("token-1"), std::string::npos);
}

TEST_F(ImdsProviderTest, UnreadableExpirationIsAnErrorWithoutSecrets) {
  imds_.Credentials({FakeResponse{.body = CredentialsJson("next tuesday")}});
  auto provider = Provider();
  auto credentials = provider.Resolve();
  ASSERT_FALSE(credentials.ok());
  const std::string message(credentials.status().message());
  EXPECT_NE(message.find("Expiration"), std::string::npos);
  for (const char* secret : {"testsecret", "testtoken", "token-1"}) EXPECT_EQ(message.find(secret), std::string::npos);
}

TEST_F(ImdsProviderTest, ExpiredOrExpiringCredentialsAreExtended) {
  // botocore's static stability: within 15 min + 2-10 min jitter of expiry
  // (or past it), the credentials are reported valid for that long from now.
  for (minutes expires_in : {minutes(-60), minutes(5), minutes(16)}) {
    SCOPED_TRACE(expires_in.count());
    now_ = std::chrono::system_clock::from_time_t(kExpiry) - expires_in;
    auto provider = Provider();
    auto credentials = provider.Resolve();
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    ASSERT_NE(*credentials, nullptr);
    const auto extended = *(*credentials)->expiration - now_;
    EXPECT_GE(extended, seconds(15 * 60 + 120) - seconds(1));
    EXPECT_LE(extended, seconds(15 * 60 + 600));
  }
  // Past the widest window: left alone.
  now_ = std::chrono::system_clock::from_time_t(kExpiry) - minutes(26);
  auto provider = Provider();
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*credentials)->expiration), kExpiry);
}

TEST_F(ImdsProviderTest, OtherExpirationFormatsAreUsedAsGiven) {
  // Not what strptime("%Y-%m-%dT%H:%M:%SZ") reads, so never extended.
  now_ = std::chrono::system_clock::from_time_t(kExpiry) + hours(1);
  imds_.Credentials({FakeResponse{.body = CredentialsJson("2021-09-21T04:16:53.000+00:00")}});
  auto provider = Provider();
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*credentials)->expiration), kExpiry);
}

TEST_F(ImdsProviderTest, DisabledByTheEnvironmentSendsNothing) {
  auto settings = ImdsSettings::Resolve(nullptr, FakeEnvironment({{"AWS_EC2_METADATA_DISABLED", "TRUE"}}));
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_TRUE(settings->disabled);
  auto provider = Provider(*settings);
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(*credentials, nullptr);
  EXPECT_TRUE(server_.requests().empty());
}

// --- ImdsSettings::Resolve --------------------------------------------------

TEST(ImdsSettingsTest, DefaultsAreBotocores) {
  auto settings = ImdsSettings::Resolve(nullptr, FakeEnvironment({}));
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->endpoint, "http://169.254.169.254/");
  EXPECT_EQ(settings->timeout, seconds(1));
  EXPECT_EQ(settings->attempts, 1);
  EXPECT_FALSE(settings->v1_disabled);
  EXPECT_FALSE(settings->disabled);
}

TEST(ImdsSettingsTest, ReadsTheEnvironmentAndTheProfile) {
  config::Profile profile;
  profile["metadata_service_timeout"] = config::Value{"3", std::nullopt};
  profile["metadata_service_num_attempts"] = config::Value{"4", std::nullopt};
  profile["ec2_metadata_v1_disabled"] = config::Value{"True", std::nullopt};
  profile["ec2_metadata_service_endpoint_mode"] = config::Value{"IPv6", std::nullopt};
  auto settings = ImdsSettings::Resolve(&profile, FakeEnvironment({{"AWS_METADATA_SERVICE_NUM_ATTEMPTS", " 2 "},
                                                                   {"AWS_EC2_METADATA_DISABLED", "false"}}));
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->timeout, seconds(3));
  EXPECT_EQ(settings->attempts, 2);
  EXPECT_TRUE(settings->v1_disabled);
  EXPECT_FALSE(settings->disabled);
  EXPECT_EQ(settings->endpoint, "http://[fd00:ec2::254]/");

  auto overridden = ImdsSettings::Resolve(
      &profile, FakeEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://[fd00:ec2::254%25eth0]:81"}}));
  ASSERT_TRUE(overridden.ok()) << overridden.status();
  EXPECT_EQ(overridden->endpoint, "http://[fd00:ec2::254%25eth0]:81");

  auto ipv6 = ImdsSettings::Resolve(nullptr, FakeEnvironment({{"AWS_IMDS_USE_IPV6", "true"}}));
  ASSERT_TRUE(ipv6.ok()) << ipv6.status();
  EXPECT_EQ(ipv6->endpoint, "http://[fd00:ec2::254]/");
}

TEST(ImdsSettingsTest, RefusesWhatBotocoreRefuses) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv7"},
           {"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", ""},
           {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "not a uri"},
           {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://-bad-/"},
           {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://[fd00:zz::1]/"},
           {"AWS_METADATA_SERVICE_TIMEOUT", "1.5"},
           {"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "three"},
       }) {
    // Even when IMDS is disabled: botocore fails building the chain.
    auto settings = ImdsSettings::Resolve(nullptr, FakeEnvironment({{name, value}, {"AWS_EC2_METADATA_DISABLED", "true"}}));
    EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument) << name << "=" << value;
  }
}

}  // namespace
}  // namespace awsd::credentials
