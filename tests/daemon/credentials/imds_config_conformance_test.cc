// The smithy-rs IMDS endpoint suite
// (credential-chain/imds-config/imds-endpoint-tests.json), one GoogleTest
// case per suite case, read in place. Each case's environment and config
// file go through ImdsSettings::Resolve; an ImdsProvider on the real curl
// client (its loopback hook delivering to a local fake IMDS) then resolves,
// and the first URL it asked for, the token PUT, is compared with the
// suite's.
//
// The suite's endpoint_override / mode_override are explicit builder values
// in smithy-rs, which rank above the environment. botocore's chain has no
// such input (only InstanceMetadataFetcher's base_url), so they are applied
// as the highest-ranked source it has: the environment variables
// AWS_EC2_METADATA_SERVICE_ENDPOINT / _ENDPOINT_MODE. Error texts are
// smithy-rs's, checked as substrings of ours.

#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"
#include "daemon/credentials/imds_provider.h"
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

using Case = test_support::SuiteCase;

std::vector<Case> LoadSuite() {
  return test_support::LoadSuiteCases("credential-chain/imds-config/imds-endpoint-tests.json", "docs");
}

constexpr auto CaseName = test_support::SuiteCaseName;

using RecordingClient = test_support::RecordingHttpClient;

test_support::FakeResponse FakeImds(const http::HttpRequest &request) {
  if (request.method == "PUT") return test_support::FakeResponse{.body = "token"};
  if (request.url == "/latest/meta-data/iam/security-credentials/") return test_support::FakeResponse{.body = "role"};
  return test_support::FakeResponse{.body = R"({"Code": "Success", "AccessKeyId": "ASIARTEST",
      "SecretAccessKey": "s", "Token": "t", "Expiration": "2030-01-01T00:00:00Z"})"};
}

class ImdsEndpointSuite : public testing::TestWithParam<Case> {};

TEST_P(ImdsEndpointSuite, Case) {
  const json &test = GetParam().data;
  ASSERT_FALSE(test.contains("missing")) << "suite not found: " << test["missing"];
  std::map<std::string, std::string> env;
  for (const auto &[key, value] : test["env"].items()) env[key] = value.get<std::string>();
  if (test.contains("endpoint_override")) env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = test["endpoint_override"];
  if (test.contains("mode_override")) env["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"] = test["mode_override"];
  const config::EnvLookup lookup = test_support::FakeEnvironment(env);

  // The suite's "fs" maps the AWS_CONFIG_FILE value to the file's text.
  std::optional<config::ProfileSet> profiles;
  if (auto config_file = lookup("AWS_CONFIG_FILE"); config_file && test["fs"].contains(*config_file)) {
    auto parsed =
        config::ParseProfileFile(test["fs"][*config_file].get<std::string>(), *config_file, config::FileKind::kConfig);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    profiles = *parsed;
  }
  const config::Profile *profile = nullptr;
  if (profiles.has_value()) {
    auto it = profiles->profiles.find(config::ResolveProfileName(lookup));
    if (it != profiles->profiles.end()) profile = &it->second;
  }

  auto settings = ImdsSettings::Resolve(profile, lookup);
  const json &result = test["result"];
  if (result.contains("Err")) {
    const std::string error = result["Err"].get<std::string>();
    ASSERT_FALSE(settings.ok()) << "expected an error containing '" << error << "'";
    EXPECT_NE(std::string(settings.status().message()).find(error), std::string::npos) << settings.status();
    return;
  }
  ASSERT_TRUE(settings.ok()) << settings.status();

  test_support::FakeHttpServer server(&FakeImds);
  http::CurlHttpClientOptions client_options;
  client_options.loopback_port = server.port();
  auto recording = std::make_shared<RecordingClient>(http::MakeCurlHttpClient(client_options));
  ProviderContext context;
  context.environment = lookup;
  context.http = recording;
  ImdsProvider provider(std::move(context), *settings);
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(*credentials, nullptr);
  ASSERT_FALSE(recording->urls().empty());
  EXPECT_EQ(recording->urls()[0], result["Ok"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(ImdsEndpointTests, ImdsEndpointSuite, testing::ValuesIn(LoadSuite()), CaseName);

}  // namespace
}  // namespace awsd::credentials
