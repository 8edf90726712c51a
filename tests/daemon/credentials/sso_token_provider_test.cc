#include "daemon/credentials/sso_token_provider.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

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

// botocore: hashlib.sha1(b"test-sso") and of the start URL below.
constexpr char kSessionKey[] = "d12208e38164f558a1d06c99432ab77dbb346c45";
constexpr char kLegacyKey[] = "dace00cba5f8355ec9d274ceb2bcebdfbeed0e12";
constexpr char kStartUrl[] = "https://ssotest.awsapps.com/start";

std::string Iso(Clock::time_point time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromChrono(time), absl::UTCTimeZone());
}

class SsoTokenProviderTest : public ::testing::Test {
 protected:
  ProviderContext Context() {
    ProviderContext context;
    context.environment = FakeEnvironment({{"HOME", "/home"}});
    context.files = RootedFileSystem(root_.path().string());
    context.http = http_;
    context.clock = [this] { return Clock::time_point(std::chrono::seconds(now_seconds_.load())); };
    context.sleep = [](std::chrono::milliseconds) {};
    return context;
  }

  void SetNow(Clock::time_point now) { now_seconds_ = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count(); }
  Clock::time_point Now() const { return Clock::time_point(std::chrono::seconds(now_seconds_.load())); }

  static SsoSessionConfig Session() {
    SsoSessionConfig config;
    config.session_name = "test-sso";
    config.start_url = kStartUrl;
    config.region = "us-east-1";
    return config;
  }
  static SsoSessionConfig Legacy() {
    SsoSessionConfig config;
    config.start_url = kStartUrl;
    config.region = "us-east-2";
    return config;
  }

  std::filesystem::path CacheFile(const std::string& key) const {
    return root_.path() / "home/.aws/sso/cache" / (key + ".json");
  }
  void WriteCache(const std::string& key, const json& contents) {
    std::filesystem::create_directories(CacheFile(key).parent_path());
    std::ofstream(CacheFile(key)) << contents.dump();
  }
  json ReadCache(const std::string& key) const {
    std::ifstream in(CacheFile(key));
    return json::parse(in);
  }

  // A cache entry as `aws sso login` writes it, expiring at `expires`.
  json Refreshable(Clock::time_point expires) const {
    return {{"startUrl", kStartUrl},
            {"region", "us-east-1"},
            {"accessToken", "old-access-token"},
            {"expiresAt", Iso(expires)},
            {"clientId", "client-id-1"},
            {"clientSecret", "client-secret-1"},
            {"registrationExpiresAt", Iso(Now() + std::chrono::hours(24 * 30))},
            {"refreshToken", "refresh-token-1"}};
  }

  std::atomic<int64_t> now_seconds_{1'700'000'000};
  // Stands in for "/" (RootedFileSystem).
  test_support::TempDir root_;
  std::shared_ptr<ScriptedHttpClient> http_ = std::make_shared<ScriptedHttpClient>();
};

void ExpectNoSecrets(const absl::Status& status) {
  const std::string message(status.message());
  for (const char* secret : {"old-access-token", "client-secret-1", "refresh-token-1", "new-access-token",
                             "new-refresh-token"}) {
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
  }
}

TEST_F(SsoTokenProviderTest, CacheFileIsNamedAsBotocoreNamesIt) {
  EXPECT_EQ(SsoTokenCacheKey(Session()), kSessionKey);
  EXPECT_EQ(SsoTokenCacheKey(Legacy()), kLegacyKey);
  auto env = FakeEnvironment({{"HOME", "/home/user/"}});
  EXPECT_EQ(*SsoTokenCachePath(env, Session()), std::string("/home/user/.aws/sso/cache/") + kSessionKey + ".json");
  EXPECT_EQ(*SsoTokenCachePath(env, Legacy()), std::string("/home/user/.aws/sso/cache/") + kLegacyKey + ".json");
}

TEST_F(SsoTokenProviderTest, ServesTheCachedTokenWithoutTheNetwork) {
  WriteCache(kSessionKey, Refreshable(Now() + std::chrono::hours(1)));
  SsoTokenProvider provider(Context(), Session());
  auto token = provider.Token();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->access_token.view(), "old-access-token");
  EXPECT_EQ(token->expiration, Now() + std::chrono::hours(1));

  // Kept in memory while it is good: the file is not read again.
  std::filesystem::remove(CacheFile(kSessionKey));
  auto again = provider.AccessToken();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->view(), "old-access-token");
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(SsoTokenProviderTest, RefreshesInsideTheWindowAndRewritesTheCacheFile) {
  WriteCache(kSessionKey, Refreshable(Now() + std::chrono::minutes(5)));
  http_->Respond(200, R"({"accessToken":"new-access-token","expiresIn":3600,"refreshToken":"new-refresh-token",
                          "tokenType":"Bearer"})");
  SsoTokenProvider provider(Context(), Session());
  auto token = provider.Token();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->access_token.view(), "new-access-token");
  EXPECT_EQ(token->expiration, Now() + std::chrono::hours(1));

  const auto sent = http_->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].url, "https://oidc.us-east-1.amazonaws.com/token");
  EXPECT_EQ(json::parse(sent[0].body), (json{{"grantType", "refresh_token"},
                                             {"clientId", "client-id-1"},
                                             {"clientSecret", "client-secret-1"},
                                             {"refreshToken", "refresh-token-1"}}));
  bool json_type = false;
  for (const auto& header : sent[0].headers) {
    EXPECT_FALSE(http::EqualsIgnoreCase(header.name, "Authorization"));
    if (http::EqualsIgnoreCase(header.name, "Content-Type")) json_type = header.value == "application/json";
  }
  EXPECT_TRUE(json_type);
  const auto options = http_->options();
  EXPECT_LE(options[0].total_timeout, std::chrono::seconds(30));
  EXPECT_LE(options[0].max_response_bytes, std::size_t{1} << 20);

  // Rewritten whole, owner-only, with the fields botocore writes.
  struct stat info {};
  ASSERT_EQ(stat(CacheFile(kSessionKey).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const json saved = ReadCache(kSessionKey);
  EXPECT_EQ(saved, (json{{"startUrl", kStartUrl},
                         {"region", "us-east-1"},
                         {"accessToken", "new-access-token"},
                         {"expiresAt", Iso(Now() + std::chrono::hours(1))},
                         {"clientId", "client-id-1"},
                         {"clientSecret", "client-secret-1"},
                         {"registrationExpiresAt", Refreshable(Now())["registrationExpiresAt"]},
                         {"refreshToken", "new-refresh-token"}}));
  // The temporary file was renamed over the cache file, not left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(CacheFile(kSessionKey).parent_path())) {
    ++files;
  }
  EXPECT_EQ(files, 1);

  // The new token is served from memory from now on.
  auto again = provider.AccessToken();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->view(), "new-access-token");
  EXPECT_EQ(http_->sent().size(), 1u);
}

TEST_F(SsoTokenProviderTest, AnAnswerWithoutRefreshTokenDropsItAsBotocoreDoes) {
  WriteCache(kSessionKey, Refreshable(Now() + std::chrono::minutes(14)));
  http_->Respond(200, R"({"accessToken":"new-access-token","expiresIn":7200})");
  SsoTokenProvider provider(Context(), Session());
  ASSERT_TRUE(provider.AccessToken().ok());
  const json saved = ReadCache(kSessionKey);
  EXPECT_EQ(saved["accessToken"], "new-access-token");
  EXPECT_FALSE(saved.contains("refreshToken"));
}

TEST_F(SsoTokenProviderTest, AFailedRefreshServesTheStillValidToken) {
  WriteCache(kSessionKey, Refreshable(Now() + std::chrono::minutes(5)));
  const std::string before = ReadCache(kSessionKey).dump();
  http_->Respond(400, R"({"error":"invalid_grant","error_description":"bad refresh-token-1"})",
                 {{"x-amzn-errortype", "InvalidGrantException:http://internal.amazon.com/"}});
  SsoTokenProvider provider(Context(), Session());
  auto token = provider.AccessToken();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->view(), "old-access-token");
  EXPECT_EQ(ReadCache(kSessionKey).dump(), before);

  // Tried at most once a minute while the token is good.
  SetNow(Now() + std::chrono::seconds(30));
  ASSERT_TRUE(provider.AccessToken().ok());
  EXPECT_EQ(http_->sent().size(), 1u);
  SetNow(Now() + std::chrono::seconds(31));
  http_->Fail(absl::UnavailableError("POST https://oidc.us-east-1.amazonaws.com/token: connection refused"));
  token = provider.AccessToken();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->view(), "old-access-token");
  EXPECT_EQ(http_->sent().size(), 2u);
}

TEST_F(SsoTokenProviderTest, AnExpiredTokenThatCannotBeRefreshedAsksForALogin) {
  json cached = {{"accessToken", "old-access-token"}, {"expiresAt", Iso(Now() - std::chrono::minutes(1))}};
  WriteCache(kSessionKey, cached);
  SsoTokenProvider provider(Context(), Session());
  auto token = provider.AccessToken();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated);
  const std::string message(token.status().message());
  EXPECT_NE(message.find("Error when retrieving token from sso: Token has expired and refresh failed"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("missing keys: ['refreshToken', 'clientId', 'clientSecret', 'registrationExpiresAt']"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("To refresh this SSO session run aws sso login with the corresponding profile."),
            std::string::npos)
      << message;
  ExpectNoSecrets(token.status());
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(SsoTokenProviderTest, AnExpiredTokenWhoseRefreshFailsSaysWhy) {
  WriteCache(kSessionKey, Refreshable(Now() - std::chrono::minutes(1)));
  http_->Respond(400, R"({"error":"invalid_grant","error_description":"refresh-token-1 is revoked"})");
  SsoTokenProvider provider(Context(), Session());
  auto token = provider.AccessToken();
  ASSERT_FALSE(token.ok());
  const std::string message(token.status().message());
  EXPECT_NE(message.find("An error occurred (invalid_grant) when calling the CreateToken operation"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("aws sso login"), std::string::npos);
  ExpectNoSecrets(token.status());
}

TEST_F(SsoTokenProviderTest, AnExpiredRegistrationIsNotUsed) {
  json cached = Refreshable(Now() - std::chrono::minutes(1));
  cached["registrationExpiresAt"] = Iso(Now() - std::chrono::hours(1));
  WriteCache(kSessionKey, cached);
  SsoTokenProvider provider(Context(), Session());
  auto token = provider.AccessToken();
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.status().message().find("SSO token registration expired at"), absl::string_view::npos);
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(SsoTokenProviderTest, LegacyTokensAreNeverRefreshed) {
  WriteCache(kLegacyKey, Refreshable(Now() + std::chrono::minutes(5)));
  SsoTokenProvider provider(Context(), Legacy());
  auto token = provider.AccessToken();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->view(), "old-access-token");

  SetNow(Now() + std::chrono::minutes(6));
  token = provider.AccessToken();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().message(),
            "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO "
            "session run aws sso login with the corresponding profile.");
  EXPECT_TRUE(http_->sent().empty());
}

TEST_F(SsoTokenProviderTest, AMissingCacheFileNamesThePath) {
  SsoTokenProvider provider(Context(), Legacy());
  auto token = provider.AccessToken();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(token.status().message(),
            std::string("Error loading SSO Token: Token for ") + kStartUrl + " does not exist (/home/.aws/sso/cache/" +
                kLegacyKey + ".json: No such file or directory)");
}

TEST_F(SsoTokenProviderTest, AnIncompleteCacheFileIsInvalid) {
  WriteCache(kSessionKey, json{{"accessToken", "old-access-token"}});
  SsoTokenProvider provider(Context(), Session());
  auto token = provider.AccessToken();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().message(), std::string("Error loading SSO Token: Token for ") + kStartUrl + " is invalid");

  std::ofstream(CacheFile(kSessionKey)) << "{not json old-access-token";
  token = provider.AccessToken();
  ASSERT_FALSE(token.ok());
  ExpectNoSecrets(token.status());
}

TEST_F(SsoTokenProviderTest, ReadsTheTimeFormatsToolsWrite) {
  // 1'700'000'000 is 2023-11-14T22:13:20Z.
  for (const char* expires : {"2023-11-14T22:13:20Z", "2023-11-14T22:13:20.000Z", "2023-11-14T22:13:20+00:00",
                              "2023-11-14T22:13:20UTC", "2023-11-14T23:13:20+01:00"}) {
    WriteCache(kSessionKey, json{{"accessToken", "old-access-token"}, {"expiresAt", expires}});
    SetNow(Clock::time_point(std::chrono::seconds(1'700'000'000 - 3600)));
    SsoTokenProvider fresh(Context(), Session());
    auto token = fresh.Token();
    ASSERT_TRUE(token.ok()) << expires << ": " << token.status();
    EXPECT_EQ(token->expiration, Clock::time_point(std::chrono::seconds(1'700'000'000))) << expires;
  }
}

// Found by credentials_json_fuzzer: a year system_clock cannot hold was
// saturated, and `expiration - now` overflowed; a huge expiresIn overflowed
// when the refreshed token's expiry was computed.
TEST_F(SsoTokenProviderTest, TimesOutOfRangeAreInvalidNotOverflowed) {
  for (const char* expires : {"1013-01-01T00:01:00Z", "9999-12-31T23:59:59Z"}) {
    json cached = Refreshable(Now());
    cached["expiresAt"] = expires;
    WriteCache(kSessionKey, cached);
    SsoTokenProvider provider(Context(), Session());
    auto token = provider.Token();
    ASSERT_FALSE(token.ok()) << expires;
    EXPECT_NE(token.status().message().find("expiresAt is not a time"), std::string::npos) << token.status();
  }
  for (const char* answer : {R"({"accessToken":"new-access-token","expiresIn":9223372036854775807})",
                             R"({"accessToken":"new-access-token","expiresIn":18446744073709551615})",
                             R"({"accessToken":"new-access-token","expiresIn":-9223372036854775807})"}) {
    WriteCache(kSessionKey, Refreshable(Now() + std::chrono::minutes(5)));
    http_->Respond(200, answer);
    SsoTokenProvider provider(Context(), Session());
    auto token = provider.Token();
    // The refresh fails; the cached token, still valid, is served.
    ASSERT_TRUE(token.ok()) << answer << ": " << token.status();
    EXPECT_EQ(token->access_token.view(), "old-access-token") << answer;
  }
}

TEST_F(SsoTokenProviderTest, AdvisoryFailuresServeTheTokenMandatoryOnesDoNot) {
  WriteCache(kSessionKey, json{{"accessToken", "old-access-token"}, {"expiresAt", Iso(Now() + std::chrono::minutes(20))}});
  SsoTokenProvider provider(Context(), Session());
  ASSERT_TRUE(provider.AccessToken().ok());
  std::filesystem::remove(CacheFile(kSessionKey));

  SetNow(Now() + std::chrono::minutes(8));  // 12 minutes left: advisory
  auto token = provider.AccessToken();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->view(), "old-access-token");

  SetNow(Now() + std::chrono::minutes(7));  // 5 minutes left: mandatory
  token = provider.AccessToken();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SsoTokenProviderTest, ConcurrentCallersShareOneRefresh) {
  WriteCache(kSessionKey, Refreshable(Now() + std::chrono::minutes(5)));
  http_->Respond(200, R"({"accessToken":"new-access-token","expiresIn":3600})");
  SsoTokenProvider provider(Context(), Session());
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto token = provider.AccessToken();
      if (token.ok() && token->view() == "new-access-token") ++good;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), 8);
  EXPECT_EQ(http_->sent().size(), 1u);
}

// ---------------------------------------------------------------------------
// Configuration.

config::AwsConfig Parse(const std::string& text) {
  auto parsed = config::ParseProfileFile(text, "config", config::FileKind::kConfig);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  config::AwsConfig aws;
  aws.merged = parsed.ok() ? *parsed : config::ProfileSet();
  return aws;
}

TEST(SsoSessionConfigTest, ReadsAnSsoSessionSection) {
  auto aws = Parse(R"([profile dev]
sso_session = my-sso
[sso-session my-sso]
sso_start_url = https://d-123.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access, codewhisperer:completions
)");
  auto config = SsoSessionConfigFromProfile("dev", aws, FakeEnvironment({}));
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->has_value());
  EXPECT_EQ((*config)->session_name, "my-sso");
  EXPECT_EQ((*config)->start_url, "https://d-123.awsapps.com/start");
  EXPECT_EQ((*config)->region, "eu-west-1");
  EXPECT_EQ((*config)->registration_scopes,
            (std::vector<std::string>{"sso:account:access", "codewhisperer:completions"}));
  EXPECT_EQ(SsoTokenCacheKey(**config), "0ad374308c5a4e22f723adf10145eafad7c4031c");  // sha1("my-sso")
}

TEST(SsoSessionConfigTest, ReadsLegacyProfileKeys) {
  auto aws = Parse("[profile old]\nsso_start_url = https://ssotest.awsapps.com/start\nsso_region = us-east-2\n");
  auto config = SsoSessionConfigFromProfile("old", aws, FakeEnvironment({}));
  ASSERT_TRUE(config.ok() && config->has_value());
  EXPECT_EQ((*config)->session_name, "");
  EXPECT_EQ(SsoTokenCacheKey(**config), kLegacyKey);

  aws = Parse("[profile old]\nsso_start_url = https://ssotest.awsapps.com/start\n");
  EXPECT_EQ(SsoSessionConfigFromProfile("old", aws, FakeEnvironment({})).status().message(),
            "The profile \"old\" is configured to use SSO but is missing required configuration: sso_region");
}

TEST(SsoSessionConfigTest, ProfilesWithoutSsoHaveNone) {
  auto aws = Parse("[profile plain]\nregion = us-east-1\n");
  auto config = SsoSessionConfigFromProfile("plain", aws, FakeEnvironment({}));
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->has_value());
  config = SsoSessionConfigFromProfile("absent", aws, FakeEnvironment({}));
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->has_value());
}

TEST(SsoSessionConfigTest, ErrorsAreBotocores) {
  auto message = [](const std::string& text) {
    return std::string(SsoSessionConfigFromProfile("dev", Parse(text), FakeEnvironment({})).status().message());
  };
  EXPECT_EQ(message("[profile dev]\nsso_session = nope\n"),
            "The profile \"dev\" is configured to use the SSO token provider but the \"nope\" sso_session "
            "configuration does not exist.");
  EXPECT_EQ(message("[profile dev]\nsso_session = s\n[sso-session s]\nsso_registration_scopes = x\n"),
            "The profile \"dev\" is configured to use the SSO token provider but is missing the following "
            "configuration: ['sso_start_url', 'sso_region'].");
  EXPECT_EQ(message("[profile dev]\nsso_session = s\nservices = gone\n[sso-session s]\nsso_start_url = u\n"
                    "sso_region = us-east-1\n"),
            "The profile is configured to use the services section but the \"gone\" services configuration does "
            "not exist.");
}

TEST(SsoSessionConfigTest, CarriesTheOidcEndpointSettings) {
  auto aws = Parse(R"([profile dev]
sso_session = s
use_fips_endpoint = True
[sso-session s]
sso_start_url = u
sso_region = us-gov-west-1
)");
  auto config = SsoSessionConfigFromProfile("dev", aws, FakeEnvironment({}));
  ASSERT_TRUE(config.ok() && config->has_value());
  EXPECT_TRUE((*config)->oidc_endpoint.use_fips_endpoint);
  EXPECT_EQ(*SsoServiceEndpoint("oidc", (*config)->region, (*config)->oidc_endpoint),
            "https://oidc.us-gov-west-1.amazonaws.com");
}

// ---------------------------------------------------------------------------
// Endpoints.

TEST(SsoEndpointTest, FollowsTheRuleSets) {
  SsoEndpointSettings plain, fips, dual, both;
  fips.use_fips_endpoint = true;
  dual.use_dualstack_endpoint = true;
  both.use_fips_endpoint = both.use_dualstack_endpoint = true;
  EXPECT_EQ(*SsoServiceEndpoint("portal.sso", "us-east-2", plain), "https://portal.sso.us-east-2.amazonaws.com");
  EXPECT_EQ(*SsoServiceEndpoint("portal.sso", "us-east-2", both), "https://portal.sso-fips.us-east-2.api.aws");
  EXPECT_EQ(*SsoServiceEndpoint("portal.sso", "us-east-2", fips), "https://portal.sso-fips.us-east-2.amazonaws.com");
  EXPECT_EQ(*SsoServiceEndpoint("portal.sso", "us-east-2", dual), "https://portal.sso.us-east-2.api.aws");
  EXPECT_EQ(*SsoServiceEndpoint("portal.sso", "us-gov-west-1", fips),
            "https://portal.sso.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(*SsoServiceEndpoint("oidc", "cn-north-1", plain), "https://oidc.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(*SsoServiceEndpoint("oidc", "cn-north-1", dual), "https://oidc.cn-north-1.api.amazonwebservices.com.cn");
  EXPECT_EQ(*SsoServiceEndpoint("oidc", "us-isob-east-1", plain), "https://oidc.us-isob-east-1.sc2s.sgov.gov");
  EXPECT_EQ(*SsoServiceEndpoint("oidc", "eusc-de-east-1", plain), "https://oidc.eusc-de-east-1.amazonaws.eu");
  // Unknown shapes fall back to the aws partition.
  EXPECT_EQ(*SsoServiceEndpoint("oidc", "xx-new-1", plain), "https://oidc.xx-new-1.amazonaws.com");

  SsoEndpointSettings custom = both;
  custom.endpoint_url = "http://localhost:8080/";
  EXPECT_EQ(*SsoServiceEndpoint("portal.sso", "us-east-2", custom), "http://localhost:8080");

  EXPECT_EQ(SsoServiceEndpoint("oidc", "", plain).status().message(), "Invalid Configuration: Missing Region");
  EXPECT_EQ(SsoServiceEndpoint("oidc", "evil.com/x?", plain).status().message(),
            "Provided region_name 'evil.com/x?' doesn't match a supported format.");
  EXPECT_FALSE(SsoServiceEndpoint("oidc", "-us-east-1", plain).ok());
  EXPECT_FALSE(SsoServiceEndpoint("oidc", "12345", plain).ok());
}

// What botocore 1.43's clients resolve (client._ruleset_resolver), for each
// partition and variant. Left out: dual-stack in aws-iso-e and aws-iso-f,
// where botocore's legacy endpoints.json check refuses to create a client.
TEST(SsoEndpointTest, MatchesBotocoresResolver) {
  struct Row {
    const char* prefix;
    const char* region;
    bool fips;
    bool dual;
    const char* url;
  };
  const Row rows[] = {
      {"portal.sso", "us-east-2", false, false, "https://portal.sso.us-east-2.amazonaws.com"},
      {"portal.sso", "us-east-2", true, false, "https://portal.sso-fips.us-east-2.amazonaws.com"},
      {"portal.sso", "us-east-2", false, true, "https://portal.sso.us-east-2.api.aws"},
      {"portal.sso", "us-east-2", true, true, "https://portal.sso-fips.us-east-2.api.aws"},
      {"portal.sso", "us-gov-west-1", false, false, "https://portal.sso.us-gov-west-1.amazonaws.com"},
      {"portal.sso", "us-gov-west-1", true, false, "https://portal.sso.us-gov-west-1.amazonaws.com"},
      {"portal.sso", "us-gov-west-1", false, true, "https://portal.sso.us-gov-west-1.api.aws"},
      {"portal.sso", "us-gov-west-1", true, true, "https://portal.sso-fips.us-gov-west-1.api.aws"},
      {"portal.sso", "cn-north-1", false, false, "https://portal.sso.cn-north-1.amazonaws.com.cn"},
      {"portal.sso", "cn-north-1", true, false, "https://portal.sso-fips.cn-north-1.amazonaws.com.cn"},
      {"portal.sso", "cn-north-1", false, true, "https://portal.sso.cn-north-1.api.amazonwebservices.com.cn"},
      {"portal.sso", "cn-north-1", true, true, "https://portal.sso-fips.cn-north-1.api.amazonwebservices.com.cn"},
      {"portal.sso", "us-iso-east-1", false, false, "https://portal.sso.us-iso-east-1.c2s.ic.gov"},
      {"portal.sso", "us-iso-east-1", true, false, "https://portal.sso-fips.us-iso-east-1.c2s.ic.gov"},
      {"portal.sso", "us-iso-east-1", false, true, "https://portal.sso.us-iso-east-1.api.aws.ic.gov"},
      {"portal.sso", "us-iso-east-1", true, true, "https://portal.sso-fips.us-iso-east-1.api.aws.ic.gov"},
      {"portal.sso", "us-isob-east-1", false, false, "https://portal.sso.us-isob-east-1.sc2s.sgov.gov"},
      {"portal.sso", "us-isob-east-1", true, false, "https://portal.sso-fips.us-isob-east-1.sc2s.sgov.gov"},
      {"portal.sso", "us-isob-east-1", false, true, "https://portal.sso.us-isob-east-1.api.aws.scloud"},
      {"portal.sso", "us-isob-east-1", true, true, "https://portal.sso-fips.us-isob-east-1.api.aws.scloud"},
      {"portal.sso", "eu-isoe-west-1", false, false, "https://portal.sso.eu-isoe-west-1.cloud.adc-e.uk"},
      {"portal.sso", "eu-isoe-west-1", true, false, "https://portal.sso-fips.eu-isoe-west-1.cloud.adc-e.uk"},
      {"portal.sso", "us-isof-south-1", false, false, "https://portal.sso.us-isof-south-1.csp.hci.ic.gov"},
      {"portal.sso", "us-isof-south-1", true, false, "https://portal.sso-fips.us-isof-south-1.csp.hci.ic.gov"},
      {"portal.sso", "eusc-de-east-1", false, false, "https://portal.sso.eusc-de-east-1.amazonaws.eu"},
      {"portal.sso", "eusc-de-east-1", true, false, "https://portal.sso-fips.eusc-de-east-1.amazonaws.eu"},
      {"portal.sso", "eusc-de-east-1", false, true, "https://portal.sso.eusc-de-east-1.api.amazonwebservices.eu"},
      {"portal.sso", "eusc-de-east-1", true, true, "https://portal.sso-fips.eusc-de-east-1.api.amazonwebservices.eu"},
      {"portal.sso", "xx-new-1", false, false, "https://portal.sso.xx-new-1.amazonaws.com"},
      {"portal.sso", "xx-new-1", true, false, "https://portal.sso-fips.xx-new-1.amazonaws.com"},
      {"portal.sso", "xx-new-1", false, true, "https://portal.sso.xx-new-1.api.aws"},
      {"portal.sso", "xx-new-1", true, true, "https://portal.sso-fips.xx-new-1.api.aws"},
      {"portal.sso", "aws-global", false, false, "https://portal.sso.aws-global.amazonaws.com"},
      {"portal.sso", "aws-global", true, false, "https://portal.sso-fips.aws-global.amazonaws.com"},
      {"portal.sso", "aws-global", false, true, "https://portal.sso.aws-global.api.aws"},
      {"portal.sso", "aws-global", true, true, "https://portal.sso-fips.aws-global.api.aws"},
      {"portal.sso", "aws-us-gov-global", false, false, "https://portal.sso.aws-us-gov-global.amazonaws.com"},
      {"portal.sso", "aws-us-gov-global", true, false, "https://portal.sso.aws-us-gov-global.amazonaws.com"},
      {"portal.sso", "aws-us-gov-global", false, true, "https://portal.sso.aws-us-gov-global.api.aws"},
      {"portal.sso", "aws-us-gov-global", true, true, "https://portal.sso-fips.aws-us-gov-global.api.aws"},
      {"oidc", "us-east-2", false, false, "https://oidc.us-east-2.amazonaws.com"},
      {"oidc", "us-east-2", true, false, "https://oidc-fips.us-east-2.amazonaws.com"},
      {"oidc", "us-east-2", false, true, "https://oidc.us-east-2.api.aws"},
      {"oidc", "us-east-2", true, true, "https://oidc-fips.us-east-2.api.aws"},
      {"oidc", "us-gov-west-1", false, false, "https://oidc.us-gov-west-1.amazonaws.com"},
      {"oidc", "us-gov-west-1", true, false, "https://oidc.us-gov-west-1.amazonaws.com"},
      {"oidc", "us-gov-west-1", false, true, "https://oidc.us-gov-west-1.api.aws"},
      {"oidc", "us-gov-west-1", true, true, "https://oidc-fips.us-gov-west-1.api.aws"},
      {"oidc", "cn-north-1", false, false, "https://oidc.cn-north-1.amazonaws.com.cn"},
      {"oidc", "cn-north-1", true, false, "https://oidc-fips.cn-north-1.amazonaws.com.cn"},
      {"oidc", "cn-north-1", false, true, "https://oidc.cn-north-1.api.amazonwebservices.com.cn"},
      {"oidc", "cn-north-1", true, true, "https://oidc-fips.cn-north-1.api.amazonwebservices.com.cn"},
      {"oidc", "us-iso-east-1", false, false, "https://oidc.us-iso-east-1.c2s.ic.gov"},
      {"oidc", "us-iso-east-1", true, false, "https://oidc-fips.us-iso-east-1.c2s.ic.gov"},
      {"oidc", "us-iso-east-1", false, true, "https://oidc.us-iso-east-1.api.aws.ic.gov"},
      {"oidc", "us-iso-east-1", true, true, "https://oidc-fips.us-iso-east-1.api.aws.ic.gov"},
      {"oidc", "us-isob-east-1", false, false, "https://oidc.us-isob-east-1.sc2s.sgov.gov"},
      {"oidc", "us-isob-east-1", true, false, "https://oidc-fips.us-isob-east-1.sc2s.sgov.gov"},
      {"oidc", "us-isob-east-1", false, true, "https://oidc.us-isob-east-1.api.aws.scloud"},
      {"oidc", "us-isob-east-1", true, true, "https://oidc-fips.us-isob-east-1.api.aws.scloud"},
      {"oidc", "eu-isoe-west-1", false, false, "https://oidc.eu-isoe-west-1.cloud.adc-e.uk"},
      {"oidc", "eu-isoe-west-1", true, false, "https://oidc-fips.eu-isoe-west-1.cloud.adc-e.uk"},
      {"oidc", "us-isof-south-1", false, false, "https://oidc.us-isof-south-1.csp.hci.ic.gov"},
      {"oidc", "us-isof-south-1", true, false, "https://oidc-fips.us-isof-south-1.csp.hci.ic.gov"},
      {"oidc", "eusc-de-east-1", false, false, "https://oidc.eusc-de-east-1.amazonaws.eu"},
      {"oidc", "eusc-de-east-1", true, false, "https://oidc-fips.eusc-de-east-1.amazonaws.eu"},
      {"oidc", "eusc-de-east-1", false, true, "https://oidc.eusc-de-east-1.api.amazonwebservices.eu"},
      {"oidc", "eusc-de-east-1", true, true, "https://oidc-fips.eusc-de-east-1.api.amazonwebservices.eu"},
      {"oidc", "xx-new-1", false, false, "https://oidc.xx-new-1.amazonaws.com"},
      {"oidc", "xx-new-1", true, false, "https://oidc-fips.xx-new-1.amazonaws.com"},
      {"oidc", "xx-new-1", false, true, "https://oidc.xx-new-1.api.aws"},
      {"oidc", "xx-new-1", true, true, "https://oidc-fips.xx-new-1.api.aws"},
      {"oidc", "aws-global", false, false, "https://oidc.aws-global.amazonaws.com"},
      {"oidc", "aws-global", true, false, "https://oidc-fips.aws-global.amazonaws.com"},
      {"oidc", "aws-global", false, true, "https://oidc.aws-global.api.aws"},
      {"oidc", "aws-global", true, true, "https://oidc-fips.aws-global.api.aws"},
      {"oidc", "aws-us-gov-global", false, false, "https://oidc.aws-us-gov-global.amazonaws.com"},
      {"oidc", "aws-us-gov-global", true, false, "https://oidc.aws-us-gov-global.amazonaws.com"},
      {"oidc", "aws-us-gov-global", false, true, "https://oidc.aws-us-gov-global.api.aws"},
      {"oidc", "aws-us-gov-global", true, true, "https://oidc-fips.aws-us-gov-global.api.aws"},
  };
  for (const Row& row : rows) {
    SsoEndpointSettings settings;
    settings.use_fips_endpoint = row.fips;
    settings.use_dualstack_endpoint = row.dual;
    auto url = SsoServiceEndpoint(row.prefix, row.region, settings);
    ASSERT_TRUE(url.ok()) << url.status();
    EXPECT_EQ(*url, row.url) << row.prefix << " " << row.region << " fips=" << row.fips << " dual=" << row.dual;
  }
}

TEST(SsoEndpointTest, ConfiguredEndpointsInBotocoresOrder) {
  auto set = Parse(R"([profile dev]
endpoint_url = http://profile-global
services = mine
[services mine]
sso =
  endpoint_url = http://services-sso
)").merged;
  const config::Profile* profile = config::FindProfile(set, "dev");
  auto resolve = [&](std::map<std::string, std::string> env, std::string_view service = "sso") {
    auto settings = ResolveSsoEndpointSettings(service, profile, set, FakeEnvironment(std::move(env)));
    EXPECT_TRUE(settings.ok()) << settings.status();
    return settings.ok() ? settings->endpoint_url : "";
  };
  EXPECT_EQ(resolve({{"AWS_ENDPOINT_URL_SSO", "http://env-sso"}, {"AWS_ENDPOINT_URL", "http://env-global"}}),
            "http://env-sso");
  EXPECT_EQ(resolve({{"AWS_ENDPOINT_URL", "http://env-global"}}), "http://env-global");
  EXPECT_EQ(resolve({}), "http://services-sso");
  EXPECT_EQ(resolve({}, "sso_oidc"), "http://profile-global");
  EXPECT_EQ(resolve({{"AWS_ENDPOINT_URL_SSO_OIDC", "http://env-oidc"}}, "sso_oidc"), "http://env-oidc");
  EXPECT_EQ(resolve({{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, {"AWS_ENDPOINT_URL", "http://env-global"}}), "");

  auto flags = ResolveSsoEndpointSettings("sso", profile, set,
                                          FakeEnvironment({{"AWS_USE_FIPS_ENDPOINT", "TRUE"},
                                                           {"AWS_USE_DUALSTACK_ENDPOINT", "yes"}}));
  ASSERT_TRUE(flags.ok());
  EXPECT_TRUE(flags->use_fips_endpoint);
  EXPECT_FALSE(flags->use_dualstack_endpoint);  // ensure_boolean: only "true"
}

}  // namespace
}  // namespace awsd::credentials
