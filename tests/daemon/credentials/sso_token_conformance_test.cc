// Replays the SSO cases of the public credential-chain suites, in place:
//  * default-token-provider-chain/*: the token of the selected profile's
//    sso-session, through SsoSessionConfigFromProfile and SsoTokenProvider;
//  * profile-provider/*sso* and default-credential-provider-chain/*sso*:
//    credentials through SsoProviderFromProfile, GetRoleCredentials answered
//    from the recorded traffic.
// Each case is a directory: env.json, fs/ (the machine's files, "/" being
// fs/), http-traffic.json and test-case.json (the expected result). The
// suites come from smithy-rs; where botocore, which awsd follows, gives a
// different answer the case says so below and checks botocore's.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "daemon/config/aws_config.h"
#include "daemon/credentials/sso_provider.h"
#include "daemon/credentials/sso_token_provider.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/fake_environment.h"
#include "tests/support/test_paths.h"

namespace awsd::credentials {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The time the recordings were made (their Date headers); every cached
// token in the suites is valid then.
const auto kRecordedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1641237234));

json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The suite's files, never written: a refresh that tried would fail rather
// than change the shared suite.
class ReadOnlyFiles : public FileSystem {
 public:
  explicit ReadOnlyFiles(std::shared_ptr<const FileSystem> inner) : inner_(std::move(inner)) {}
  absl::StatusOr<std::string> ReadFile(const std::string& path, std::size_t max_bytes) const override {
    return inner_->ReadFile(path, max_bytes);
  }
  absl::Status WriteFileAtomically(const std::string& path, std::string_view, mode_t) const override {
    return absl::PermissionDeniedError(path + ": the conformance suite is read-only");
  }

 private:
  std::shared_ptr<const FileSystem> inner_;
};

// One recorded request and its answer.
struct Exchange {
  std::string method;
  std::string uri;
  std::map<std::string, std::string> headers;  // lower-cased names
  http::HttpResponse response;
};

std::vector<Exchange> ReadTraffic(const json& traffic) {
  std::vector<Exchange> exchanges;
  const json events = traffic.value("events", json::array());
  for (const json& event : events) {
    const json& action = event.at("action");
    if (action.contains("Request")) {
      const json& request = action["Request"]["request"];
      Exchange exchange;
      exchange.method = request.value("method", "");
      exchange.uri = request.value("uri", "");
      const json headers = request.value("headers", json::object());
      for (const auto& [name, values] : headers.items()) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        exchange.headers[lower] = values.empty() ? "" : values[0].get<std::string>();
      }
      exchanges.push_back(std::move(exchange));
    } else if (action.contains("Response") && !exchanges.empty()) {
      const json& ok = action["Response"]["response"]["Ok"];
      exchanges.back().response.status = ok.value("status", 0);
      const json headers = ok.value("headers", json::object());
      for (const auto& [name, values] : headers.items()) {
        for (const json& value : values) exchanges.back().response.headers.push_back({name, value.get<std::string>()});
      }
    } else if (action.contains("Data") && action["Data"].value("direction", "") == "Response" && !exchanges.empty()) {
      exchanges.back().response.body += action["Data"]["data"].value("Utf8", "");
    }
  }
  return exchanges;
}

// The URL with its query parameters sorted: the recordings differ in the
// order they list them.
std::string CanonicalUrl(const std::string& url) {
  const std::size_t question = url.find('?');
  if (question == std::string::npos) return url;
  std::vector<std::string> params;
  std::string query = url.substr(question + 1);
  for (std::size_t start = 0; start <= query.size();) {
    const std::size_t amp = std::min(query.find('&', start), query.size());
    params.push_back(query.substr(start, amp - start));
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out = url.substr(0, question + 1);
  for (std::size_t i = 0; i < params.size(); ++i) out += (i ? "&" : "") + params[i];
  return out;
}

// Answers requests from a recording, in order, and notes every way a
// request differs from the recorded one. A client that retries past the
// recording gets the last answer again.
class ReplayHttpClient : public http::HttpClient {
 public:
  explicit ReplayHttpClient(std::vector<Exchange> exchanges) : exchanges_(std::move(exchanges)) {}

  absl::StatusOr<http::HttpResponse> Send(const http::HttpRequest& request, const http::RequestOptions&) override {
    std::lock_guard lock(mutex_);
    ++sent_;
    if (exchanges_.empty()) {
      mismatches_.push_back("unexpected request: " + request.method + " " + request.url);
      return absl::UnavailableError("no traffic recorded");
    }
    const Exchange& expected = exchanges_[std::min(next_++, exchanges_.size() - 1)];
    if (request.method != expected.method) mismatches_.push_back("method " + request.method);
    if (CanonicalUrl(request.url) != CanonicalUrl(expected.uri)) mismatches_.push_back("url " + request.url);
    for (const auto& expected_header : expected.headers) {
      // Named, not bound: clang 14 cannot capture structured bindings.
      const std::string& name = expected_header.first;
      const std::string& value = expected_header.second;
      if (name == "host") {
        auto url = http::ParseUrl(request.url);
        if (!url.ok() || http::HostHeaderValue(*url) != value) mismatches_.push_back("host of " + request.url);
        continue;
      }
      auto sent = std::find_if(request.headers.begin(), request.headers.end(),
                               [&](const http::Header& h) { return http::EqualsIgnoreCase(h.name, name); });
      if (sent == request.headers.end() || sent->value != value) mismatches_.push_back("header " + name);
    }
    for (const auto& header : request.headers) {
      if (http::EqualsIgnoreCase(header.name, "Authorization")) mismatches_.push_back("signed request");
    }
    return expected.response;
  }

  std::vector<std::string> mismatches() const {
    std::lock_guard lock(mutex_);
    return mismatches_;
  }
  std::size_t sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  std::size_t recorded() const { return exchanges_.size(); }

 private:
  mutable std::mutex mutex_;
  std::vector<Exchange> exchanges_;
  std::size_t next_ = 0;
  std::size_t sent_ = 0;
  std::vector<std::string> mismatches_;
};

struct Case {
  std::string name;  // suite_dir, sanitised
  fs::path dir;
  bool missing = false;  // the suite is not there
};

std::string Sanitise(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

// The case directories of `suite` whose name contains `filter`; a missing
// suite is one failing case, never silently none.
std::vector<Case> Cases(const std::string& suite, const std::string& filter) {
  const fs::path root = fs::path(test_support::ConformanceDir()) / "credential-chain" / suite;
  std::vector<Case> cases;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(root, error)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.find(filter) != std::string::npos) {
      cases.push_back({Sanitise(suite + "_" + name), entry.path()});
    }
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  if (cases.empty()) cases.push_back({Sanitise(suite + "_missing"), root, true});
  return cases;
}

std::string CaseName(const testing::TestParamInfo<Case>& info) { return info.param.name; }

// A case laid out for the code under test.
struct Replay {
  std::map<std::string, std::string> env_vars;
  config::EnvLookup env;
  config::AwsConfig aws;
  std::string profile;
  std::shared_ptr<ReplayHttpClient> http;
  ProviderContext context;
  json expected;
};

Replay Load(const Case& test) {
  Replay replay;
  const json env = ReadJson(test.dir / "env.json");
  EXPECT_TRUE(env.is_object()) << test.dir;
  if (env.is_object()) {
    for (const auto& [name, value] : env.items()) replay.env_vars[name] = value.get<std::string>();
  }
  replay.env = test_support::FakeEnvironment(replay.env_vars);
  const std::string root = (test.dir / "fs").string();
  config::FileLocations files = config::ResolveFileLocations(replay.env);
  files.config_file = root + files.config_file;
  files.credentials_file = root + files.credentials_file;
  auto aws = config::LoadAwsConfig(files);
  EXPECT_TRUE(aws.ok()) << aws.status();
  if (aws.ok()) replay.aws = *std::move(aws);
  replay.profile = config::ResolveProfileName(replay.env);
  replay.http = std::make_shared<ReplayHttpClient>(ReadTraffic(ReadJson(test.dir / "http-traffic.json")));
  replay.context.environment = replay.env;
  replay.context.files = std::make_shared<ReadOnlyFiles>(RootedFileSystem(root));
  replay.context.http = replay.http;
  replay.context.clock = [] { return kRecordedAt; };
  replay.context.sleep = [](std::chrono::milliseconds) {};
  replay.expected = ReadJson(test.dir / "test-case.json").value("result", json::object());
  return replay;
}

std::chrono::system_clock::time_point ParseIso(const std::string& text) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, text, &time, &error)) << text << ": " << error;
  return absl::ToChronoTime(time);
}

// ---------------------------------------------------------------------------

class SsoTokenChainConformance : public testing::TestWithParam<Case> {};

TEST_P(SsoTokenChainConformance, Replays) {
  const Case& test = GetParam();
  ASSERT_FALSE(test.missing) << "no cases in " << test.dir;
  Replay replay = Load(test);
  ASSERT_TRUE(replay.expected.contains("Ok")) << "only Ok cases are known to this test: " << replay.expected;

  auto config = SsoSessionConfigFromProfile(replay.profile, replay.aws, replay.env);
  ASSERT_TRUE(config.ok()) << config.status();
  // botocore's token chain reads sso-session profiles only.
  ASSERT_TRUE(config->has_value() && !(*config)->session_name.empty());
  SsoTokenProvider provider(replay.context, **config);
  auto token = provider.Token();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->access_token.view(), replay.expected["Ok"]["token"].get<std::string>());
  EXPECT_EQ(token->expiration, ParseIso(replay.expected["Ok"]["expiration"].get<std::string>()));
  EXPECT_EQ(replay.http->mismatches(), std::vector<std::string>());
  EXPECT_EQ(replay.http->sent(), replay.http->recorded());
}

INSTANTIATE_TEST_SUITE_P(DefaultTokenProviderChain, SsoTokenChainConformance,
                         testing::ValuesIn(Cases("default-token-provider-chain", "")), CaseName);

// ---------------------------------------------------------------------------

// Cases whose expected error is smithy-rs's wording of something botocore
// words differently: what botocore's message says instead.
const std::map<std::string, std::vector<std::string>> kBotocoreWording = {
    {"default_credential_provider_chain_sso_no_token_file",
     {"/home/.aws/sso/cache/dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json", "No such file or directory"}},
    {"default_credential_provider_chain_sso_server_error",
     {"An error occurred (503) when calling the GetRoleCredentials operation"}},
};

// Cases where smithy-rs fails but botocore's SSOProvider returns None (a
// profile with an sso_session but no sso_account_id / sso_role_name is for
// the token provider chain), so the SSO provider alone has nothing to say.
const std::set<std::string> kBotocoreNotConfigured = {
    "profile_provider_invalid_sso_credentials_config",
    "profile_provider_sso_token",
};

class SsoCredentialsConformance : public testing::TestWithParam<Case> {};

TEST_P(SsoCredentialsConformance, Replays) {
  const Case& test = GetParam();
  ASSERT_FALSE(test.missing) << "no cases in " << test.dir;
  Replay replay = Load(test);
  auto provider = SsoProviderFromProfile(replay.context, replay.profile, replay.aws);

  if (kBotocoreNotConfigured.contains(test.name)) {
    ASSERT_TRUE(replay.expected.contains("ErrorContains")) << "the suite changed: " << replay.expected;
    ASSERT_TRUE(provider.ok()) << provider.status();
    EXPECT_EQ(*provider, nullptr);
    EXPECT_EQ(replay.http->sent(), 0u);
    return;
  }

  absl::StatusOr<std::shared_ptr<const Credentials>> credentials =
      provider.ok() ? (*provider == nullptr ? absl::NotFoundError("SSO provider not configured") : (*provider)->Resolve())
                    : provider.status();
  if (replay.expected.contains("Ok")) {
    const json& ok = replay.expected["Ok"];
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    EXPECT_EQ((*credentials)->access_key_id, ok["access_key_id"].get<std::string>());
    EXPECT_EQ((*credentials)->secret_access_key.view(), ok["secret_access_key"].get<std::string>());
    EXPECT_EQ((*credentials)->session_token.view(), ok["session_token"].get<std::string>());
    EXPECT_EQ((*credentials)->account_id, ok["account_id"].get<std::string>());
    EXPECT_EQ((*credentials)->source, "sso");
    ASSERT_TRUE((*credentials)->expiration.has_value());
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>((*credentials)->expiration->time_since_epoch()).count(),
              ok["expiry"].get<int64_t>());
    EXPECT_EQ(replay.http->mismatches(), std::vector<std::string>());
    EXPECT_EQ(replay.http->sent(), replay.http->recorded());
  } else {
    ASSERT_TRUE(replay.expected.contains("ErrorContains")) << replay.expected;
    ASSERT_FALSE(credentials.ok());
    const std::string message(credentials.status().message());
    const auto wording = kBotocoreWording.find(test.name);
    const std::vector<std::string> needles = wording != kBotocoreWording.end()
                                                 ? wording->second
                                                 : std::vector<std::string>{replay.expected["ErrorContains"]};
    for (const std::string& needle : needles) EXPECT_NE(message.find(needle), std::string::npos) << message;
    EXPECT_EQ(replay.http->mismatches(), std::vector<std::string>());
    // Retries may repeat the recorded request; they never skip it.
    EXPECT_GE(replay.http->sent(), replay.http->recorded());
  }
}

std::vector<Case> CredentialCases() {
  std::vector<Case> cases = Cases("profile-provider", "sso");
  for (Case& c : Cases("default-credential-provider-chain", "sso")) cases.push_back(std::move(c));
  return cases;
}

INSTANTIATE_TEST_SUITE_P(SsoProvider, SsoCredentialsConformance, testing::ValuesIn(CredentialCases()), CaseName);

}  // namespace
}  // namespace awsd::credentials
