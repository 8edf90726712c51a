// credential-chain/default-credential-provider-chain: the whole default chain
// against each case's environment, files (a fake root) and recorded HTTP
// traffic, replayed by a real server on 127.0.0.1 that the real libcurl
// client reaches (every recorded host is routed to it).
//
// Expected errors are the Rust SDK's words; awsd's are botocore's. A case
// expecting an error passes when awsd finds no credentials or fails, and, for
// the cases in kSameDiagnosis, when its message says the same thing.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "daemon/common/file_system.h"
#include "daemon/config/aws_config.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/settings.h"
#include "daemon/credentials/default_chain.h"
#include "daemon/http/curl_http_client.h"
#include "daemon/http/http_request.h"
#include "gtest/gtest.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/support/fake_http_server.h"
#include "tests/support/test_paths.h"

namespace awsd::credentials {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path SuiteDir() {
  return fs::path(test_support::ConformanceDir()) / "credential-chain" / "default-credential-provider-chain";
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(SuiteDir(), error)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// Substrings awsd's error must contain, where botocore and the suite name the
// same fault.
const std::map<std::string, std::vector<std::string>> kSameDiagnosis = {
    {"sso_no_token_file",
     {"/home/.aws/sso/cache/dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json", "No such file or directory"}},
    {"eks_pod_identity_no_token_file", {"/token.jwt", "No such file or directory"}},
    {"web_identity_token_invalid_jwt",
     {"InvalidIdentityTokenException: No OpenIDConnect provider found in your account"}},
    {"web_identity_source_profile_no_env", {"role"}},
};

// Path and query with the query's parameters sorted: botocore and the
// recording SDK order them differently.
std::string Normalise(const std::string& target) {
  const auto question = target.find('?');
  if (question == std::string::npos) return target;
  std::vector<std::string> params = absl::StrSplit(target.substr(question + 1), '&');
  std::sort(params.begin(), params.end());
  return absl::StrCat(target.substr(0, question), "?", absl::StrJoin(params, "&"));
}

// One recorded request and the answer to it.
struct Exchange {
  std::string method;
  std::string host;
  std::string target;  // path and query
  test_support::FakeResponse response;
  bool used = false;
};

std::vector<Exchange> LoadTraffic(const fs::path& file) {
  std::map<int, Exchange> by_connection;
  if (!fs::exists(file)) return {};
  const json traffic = ReadJson(file);
  for (const auto& event : traffic["events"]) {
    const int id = event["connection_id"];
    const auto& action = event["action"];
    Exchange& exchange = by_connection[id];
    if (action.contains("Request")) {
      const auto& request = action["Request"]["request"];
      exchange.method = request["method"];
      const std::string uri = request["uri"];
      auto url = http::ParseUrl(uri);
      EXPECT_TRUE(url.ok()) << uri;
      if (!url.ok()) continue;
      exchange.host = http::HostHeaderValue(*url);
      std::string target(url->path.empty() ? "/" : url->path);
      if (url->query) target += "?" + std::string(*url->query);
      exchange.target = Normalise(target);
    } else if (action.contains("Response")) {
      const auto& response = action["Response"]["response"];
      if (!response.contains("Ok")) {
        exchange.response.close_without_response = true;
        continue;
      }
      exchange.response.status = response["Ok"]["status"];
      for (const auto& [name, values] : response["Ok"]["headers"].items()) {
        // The server frames the body itself.
        if (name == "content-length" || name == "connection" || name == "transfer-encoding") continue;
        for (const auto& value : values) exchange.response.headers.push_back({name, value});
      }
    } else if (action.contains("Data") && action["Data"]["direction"] == "Response") {
      const auto& data = action["Data"]["data"];
      if (data.contains("Utf8")) exchange.response.body += data["Utf8"].get<std::string>();
    }
  }
  std::vector<Exchange> exchanges;
  for (auto& [id, exchange] : by_connection) exchanges.push_back(std::move(exchange));
  return exchanges;
}

// Answers each request with the first unused recorded exchange of the same
// method, host and target; anything unrecorded gets a 404.
class Replay {
 public:
  // `botocore_sts_host`: where botocore sends STS calls in this case, when
  // it differs from the recording (see RunCase).
  Replay(std::vector<Exchange> exchanges, std::string botocore_sts_host)
      : exchanges_(std::move(exchanges)), botocore_sts_host_(std::move(botocore_sts_host)) {}

  test_support::FakeResponse Answer(const http::HttpRequest& request) {
    std::string host;
    for (const auto& header : request.headers) {
      if (absl::AsciiStrToLower(header.name) == "host") host = header.value;
    }
    std::lock_guard lock(mutex_);
    for (auto& exchange : exchanges_) {
      const bool same_host = exchange.host == host || (!botocore_sts_host_.empty() && host == botocore_sts_host_ &&
                                                        absl::StartsWith(exchange.host, "sts."));
      if (!exchange.used && exchange.method == request.method && exchange.target == Normalise(request.url) &&
          same_host) {
        exchange.used = true;
        return exchange.response;
      }
    }
    unmatched_.push_back(request.method + " " + host + request.url);
    return {404, {}, "no recorded exchange"};
  }

  std::vector<std::string> unmatched() const {
    std::lock_guard lock(mutex_);
    return unmatched_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Exchange> exchanges_;
  std::string botocore_sts_host_;
  std::vector<std::string> unmatched_;
};

// The recording's time: an hour before the earliest expiry in the case (the
// expected one, and those in recorded answers), so that every set of
// credentials is as fresh as when it was recorded.
int64_t RecordingTime(const fs::path& dir, const json& expected) {
  int64_t earliest = 1600000000 + 3600;
  if (expected.contains("Ok") && expected["Ok"].contains("expiry")) earliest = expected["Ok"]["expiry"];
  std::ifstream in(dir / "http-traffic.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static const std::regex kIso(R"((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kIso); it != std::sregex_iterator(); ++it) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, (*it)[1].str(), &time, &error)) {
      earliest = std::min(earliest, absl::ToUnixSeconds(time));
    }
  }
  return earliest - 3600;
}

struct Outcome {
  absl::StatusOr<std::shared_ptr<const Credentials>> credentials;
  std::vector<std::string> unmatched;
};

Outcome RunCase(const std::string& name, std::map<std::string, std::string> overrides = {}) {
  const fs::path dir = SuiteDir() / name;
  const fs::path root = dir / "fs";
  std::map<std::string, std::string> vars;
  const json env_json = ReadJson(dir / "env.json");
  for (const auto& [key, value] : env_json.items()) vars[key] = value.get<std::string>();
  for (auto& [key, value] : overrides) vars[key] = value;
  config::EnvLookup env = [vars](const std::string& key) -> std::optional<std::string> {
    auto it = vars.find(key);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };

  auto locations = config::ResolveFileLocations(env);
  locations.config_file = root.string() + locations.config_file;
  locations.credentials_file = root.string() + locations.credentials_file;
  auto aws = config::LoadAwsConfig(locations);
  if (!aws.ok()) return {aws.status(), {}};

  ChainOptions options;
  options.aws = &*aws;
  options.profile_name = config::ResolveProfileName(env);
  const config::Profile* profile = config::FindProfile(aws->merged, options.profile_name);
  options.region = config::Resolve("region", profile, env).value_or("");
  // botocore reads AWS_DEFAULT_REGION, not AWS_REGION: with no region it
  // calls the global STS endpoint where the recording SDK used a regional one.
  const std::string botocore_sts_host = options.region.empty() ? "sts.amazonaws.com" : "";
  auto replay = std::make_shared<Replay>(LoadTraffic(dir / "http-traffic.json"), botocore_sts_host);
  test_support::FakeHttpServer server([replay](const http::HttpRequest& r) { return replay->Answer(r); });

  const int64_t now = RecordingTime(dir, ReadJson(dir / "test-case.json")["result"]);
  options.context.environment = env;
  options.context.files = RootedFileSystem(root.string());
  options.context.http = http::MakeCurlHttpClient({.max_idle_handles = 4, .loopback_port = server.port()});
  options.context.clock = [now] { return std::chrono::system_clock::from_time_t(now); };
  options.context.sleep = [](std::chrono::milliseconds) {};
  options.signer = std::make_shared<signing::Signer>();
  auto chain = BuildDefaultChain(options);
  Outcome outcome{chain->Resolve(), {}};
  outcome.unmatched = replay->unmatched();
  return outcome;
}

void ExpectCredentials(const Outcome& outcome, const json& ok) {
  ASSERT_TRUE(outcome.credentials.ok()) << outcome.credentials.status();
  const auto& c = *outcome.credentials;
  ASSERT_NE(c, nullptr) << "no credentials found";
  EXPECT_EQ(c->access_key_id, ok["access_key_id"].get<std::string>());
  EXPECT_EQ(c->secret_access_key.view(), ok["secret_access_key"].get<std::string>());
  EXPECT_EQ(c->session_token.view(), ok.value("session_token", ""));
  if (ok.contains("account_id")) {
    EXPECT_EQ(c->account_id, ok["account_id"].get<std::string>());
  }
  if (ok.contains("expiry")) {
    ASSERT_TRUE(c->expiration);
    EXPECT_EQ(std::chrono::system_clock::to_time_t(*c->expiration), ok["expiry"].get<int64_t>());
  }
}

class DefaultChainConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(DefaultChainConformance, MatchesTheRecordedOutcome) {
  const std::string name = GetParam();
  // botocore asks IMDS once by default (metadata_service_num_attempts = 1);
  // the suite's SDK retries. Run as botocore first, then with the suite's
  // attempts.
  // botocore takes environment keys that are blank but not empty (" ") as
  // they are; the suite's SDK skips them.
  if (name == "environment_variables_blank") {
    const Outcome as_botocore = RunCase(name);
    ASSERT_TRUE(as_botocore.credentials.ok()) << as_botocore.credentials.status();
    ASSERT_NE(*as_botocore.credentials, nullptr);
    EXPECT_EQ((*as_botocore.credentials)->access_key_id, " ");
    EXPECT_EQ((*as_botocore.credentials)->source, "env");
    return;
  }
  if (name == "imds_default_chain_retries") {
    const Outcome as_botocore = RunCase(name);
    ASSERT_TRUE(as_botocore.credentials.ok()) << as_botocore.credentials.status();
    EXPECT_EQ(*as_botocore.credentials, nullptr) << "botocore gives up after one IMDS attempt";
    const json ok = ReadJson(SuiteDir() / name / "test-case.json")["result"]["Ok"];
    ExpectCredentials(RunCase(name, {{"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3"}}), ok);
    return;
  }
  const Outcome outcome = RunCase(name);
  const json expected = ReadJson(SuiteDir() / name / "test-case.json")["result"];
  if (expected.contains("Ok")) {
    ExpectCredentials(outcome, expected["Ok"]);
    EXPECT_TRUE(outcome.unmatched.empty()) << "unrecorded request: " << outcome.unmatched.front();
    return;
  }
  const bool found = outcome.credentials.ok() && *outcome.credentials != nullptr;
  EXPECT_FALSE(found) << "expected: " << expected["ErrorContains"] << ", got credentials from "
                      << (*outcome.credentials)->source;
  if (auto same = kSameDiagnosis.find(name); same != kSameDiagnosis.end()) {
    ASSERT_FALSE(outcome.credentials.ok()) << "expected an error: " << expected["ErrorContains"];
    for (const auto& part : same->second) {
      EXPECT_NE(std::string(outcome.credentials.status().message()).find(part), std::string::npos)
          << outcome.credentials.status() << " lacks " << part;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, DefaultChainConformance, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

TEST(DefaultChainConformanceSuite, HasAllTwentyNineCases) { EXPECT_EQ(CaseNames().size(), 29u); }

}  // namespace
}  // namespace awsd::credentials
