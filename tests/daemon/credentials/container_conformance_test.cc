// The smithy-rs ECS provider suite (credential-chain/ecs-tests.json), one
// GoogleTest case per suite case, read in place. Each case's environment
// configures a ContainerProvider on the real curl client; the client's
// loopback hook delivers the request to a local server, and the URL the
// provider asked for is compared with the suite's.
//
// The suite's error texts are smithy-rs's. Its "provider is not enabled"
// error is botocore's None (the chain moves on), so it is checked as
// nullptr; the other error texts are checked as substrings of ours.

#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "daemon/credentials/container_provider.h"
#include "daemon/http/curl_http_client.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/fake_environment.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/test_paths.h"

namespace awsd::credentials {
namespace {

using nlohmann::json;

constexpr char kNotEnabled[] = "No environment variables were set to configure ECS provider";

struct Case {
  std::string name;  // sanitised, unique
  json data;
};

std::string Sanitise(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (ok) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "unnamed" : out;
}

// A missing or unreadable suite is one failing case, not zero cases.
std::vector<Case> LoadSuite() {
  const std::string path = test_support::ConformanceDir() + "/credential-chain/ecs-tests.json";
  std::ifstream in(path);
  json suite = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!in || suite.is_discarded() || !suite.contains("tests")) return {Case{"suite_missing", json{{"missing", path}}}};
  std::vector<Case> cases;
  std::set<std::string> seen;
  for (const json& test : suite["tests"]) {
    const std::string name = Sanitise(test.value("docs", ""));
    std::string unique = name;
    for (int n = 2; seen.contains(unique); ++n) unique = name + "_" + std::to_string(n);
    seen.insert(unique);
    cases.push_back(Case{unique, test});
  }
  return cases;
}

std::string CaseName(const testing::TestParamInfo<Case>& info) { return info.param.name; }

// Remembers the URLs the provider asked for, then sends the request on.
class RecordingClient : public http::HttpClient {
 public:
  explicit RecordingClient(std::shared_ptr<http::HttpClient> inner) : inner_(std::move(inner)) {}
  absl::StatusOr<http::HttpResponse> Send(const http::HttpRequest& request,
                                          const http::RequestOptions& options) override {
    {
      std::lock_guard lock(mutex_);
      urls_.push_back(request.url);
    }
    return inner_->Send(request, options);
  }
  std::vector<std::string> urls() const {
    std::lock_guard lock(mutex_);
    return urls_;
  }

 private:
  std::shared_ptr<http::HttpClient> inner_;
  mutable std::mutex mutex_;
  std::vector<std::string> urls_;
};

class EcsSuite : public testing::TestWithParam<Case> {};

TEST_P(EcsSuite, Case) {
  const json& test = GetParam().data;
  ASSERT_FALSE(test.contains("missing")) << "suite not found: " << test["missing"];
  std::map<std::string, std::string> env;
  for (const auto& [key, value] : test["env"].items()) env[key] = value.get<std::string>();

  test_support::FakeHttpServer server([](const http::HttpRequest&) {
    return test_support::FakeResponse{
        .body = R"({"AccessKeyId": "ASIARTEST", "SecretAccessKey": "s", "Token": "t",
                    "Expiration": "2030-01-01T00:00:00Z"})"};
  });
  http::CurlHttpClientOptions client_options;
  client_options.loopback_port = server.port();
  auto recording = std::make_shared<RecordingClient>(http::MakeCurlHttpClient(client_options));
  ProviderContext context;
  context.environment = test_support::FakeEnvironment(env);
  context.files = LocalFileSystem();
  context.http = recording;
  context.sleep = [](std::chrono::milliseconds) {};
  ContainerProvider provider(std::move(context));
  auto credentials = provider.Resolve();

  const json& result = test["result"];
  if (result.contains("Ok")) {
    const std::string expected = result["Ok"].get<std::string>();
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    ASSERT_NE(*credentials, nullptr);
    ASSERT_EQ(recording->urls().size(), 1u);
    EXPECT_EQ(recording->urls()[0], expected);
    // And what reached the wire says the same.
    auto parts = http::ParseUrl(expected);
    ASSERT_TRUE(parts.ok());
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    std::string target(parts->path.empty() ? "/" : parts->path);
    if (parts->query.has_value()) target += "?" + std::string(*parts->query);
    EXPECT_EQ(requests[0].url, target);
    bool host_seen = false;
    for (const auto& header : requests[0].headers) {
      if (http::EqualsIgnoreCase(header.name, "Host")) host_seen = header.value == http::HostHeaderValue(*parts);
    }
    EXPECT_TRUE(host_seen);
    return;
  }
  const std::string error = result["ErrorContains"].get<std::string>();
  if (error == kNotEnabled) {
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    EXPECT_EQ(*credentials, nullptr);
  } else {
    ASSERT_FALSE(credentials.ok()) << "expected an error containing '" << error << "'";
    EXPECT_NE(std::string(credentials.status().message()).find(error), std::string::npos) << credentials.status();
  }
  EXPECT_TRUE(recording->urls().empty());
}

INSTANTIATE_TEST_SUITE_P(EcsTests, EcsSuite, testing::ValuesIn(LoadSuite()), CaseName);

}  // namespace
}  // namespace awsd::credentials
