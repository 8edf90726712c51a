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
#include "tests/support/conformance_suite.h"
#include "tests/support/fake_environment.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/recording_http_client.h"
#include "tests/support/test_paths.h"

namespace awsd::credentials {
namespace {

using nlohmann::json;

constexpr char kNotEnabled[] = "No environment variables were set to configure ECS provider";

using Case = test_support::SuiteCase;

std::vector<Case> LoadSuite() { return test_support::LoadSuiteCases("credential-chain/ecs-tests.json", "docs"); }

constexpr auto CaseName = test_support::SuiteCaseName;

using RecordingClient = test_support::RecordingHttpClient;

class EcsSuite : public testing::TestWithParam<Case> {};

TEST_P(EcsSuite, Case) {
  const json &test = GetParam().data;
  ASSERT_FALSE(test.contains("missing")) << "suite not found: " << test["missing"];
  std::map<std::string, std::string> env;
  for (const auto &[key, value] : test["env"].items()) env[key] = value.get<std::string>();

  test_support::FakeHttpServer server([](const http::HttpRequest &) {
    return test_support::FakeResponse{.body =
                                          R"({"AccessKeyId": "ASIARTEST", "SecretAccessKey": "s", "Token": "t",
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

  const json &result = test["result"];
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
    for (const auto &header : requests[0].headers) {
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
