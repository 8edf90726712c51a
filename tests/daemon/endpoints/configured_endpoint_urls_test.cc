// $AWSD_CONFORMANCE_DIR/configured-endpoint-urls/profile-tests.json: which
// endpoint URL a client ends up with among the client's own endpoint_url,
// AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's `services`
// section and endpoint_url, and ignore_configured_endpoint_urls (client,
// environment or profile). With nothing configured the expected URL is the
// rule set's, so those cases go through the built-ins and the rule set too.
// Running the binary prints "profile-tests: passed P / total T".

#include <atomic>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "daemon/endpoints/endpoint_builtins.h"
#include "daemon/endpoints/endpoint_parameters.h"
#include "daemon/endpoints/endpoint_resolver.h"
#include "gtest/gtest.h"
#include "tests/daemon/endpoints/endpoint_test_support.h"
#include "tests/support/conformance_suite.h"
#include "tests/support/test_paths.h"

namespace awsd::endpoints::testing {
namespace {

namespace fs = std::filesystem;

std::atomic<int> passed_cases{0};
std::atomic<int> total_cases{0};

class SummaryPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    std::cout << "profile-tests: passed " << passed_cases.load() << " / total " << total_cases.load() << std::endl;
  }
};

::testing::Environment* const summary_printer = ::testing::AddGlobalTestEnvironment(new SummaryPrinter);

const fs::path& SuitePath() {
  static const fs::path path = fs::path(test_support::ConformanceDir()) / "configured-endpoint-urls/profile-tests.json";
  return path;
}

struct UrlCase {
  std::string name;
  nlohmann::json suite;  // the test suite the case belongs to
  nlohmann::json test;
};

std::vector<UrlCase> Cases() {
  std::vector<UrlCase> cases;
  const std::optional<nlohmann::json> file = ReadJson(SuitePath());
  if (file.has_value() && file->contains("testSuites")) {
    for (const nlohmann::json& suite : (*file)["testSuites"]) {
      for (const nlohmann::json& test : suite.value("endpointUrlTests", nlohmann::json::array())) {
        std::string name = test_support::SanitiseCaseName(test.value("name", ""));
        std::string unique = name;
        for (int n = 2; std::any_of(cases.begin(), cases.end(), [&](const UrlCase& c) { return c.name == unique; });
             ++n) {
          unique = name + "_" + std::to_string(n);
        }
        cases.push_back(UrlCase{unique, suite, test});
      }
    }
  }
  if (cases.empty()) cases.push_back(UrlCase{"suite_missing", nullptr, nullptr});
  return cases;
}

config::Value Plain(const std::string& text) { return config::Value{text, std::nullopt}; }

// The suite's profiles and services, as the config file parser would give.
config::ProfileSet ProfilesOf(const nlohmann::json& suite) {
  config::ProfileSet set;
  for (auto profile = suite["profiles"].begin(); profile != suite["profiles"].end(); ++profile) {
    config::Profile& out = set.profiles[profile.key()];
    for (auto key = profile.value().begin(); key != profile.value().end(); ++key) {
      out[key.key()] = Plain(key.value().get<std::string>());
    }
  }
  for (auto section = suite["services"].begin(); section != suite["services"].end(); ++section) {
    config::Section& out = set.services[section.key()];
    for (auto block = section.value().begin(); block != section.value().end(); ++block) {
      config::Value value;
      value.sub_properties.emplace();
      for (auto key = block.value().begin(); key != block.value().end(); ++key) {
        const std::string text = key.value().get<std::string>();
        value.text += "\n" + key.key() + " = " + text;
        (*value.sub_properties)[key.key()] = text;
      }
      out[block.key()] = value;
    }
  }
  return set;
}

// The URL of a client created for `service` with nothing but the built-ins
// (a call without context parameters, such as ListBuckets).
absl::StatusOr<std::string> ResolvedUrl(const std::string& service, const EndpointConfig& config) {
  std::string error;
  std::shared_ptr<const Partitions> partitions = InstalledPartitions(&error);
  if (partitions == nullptr) return absl::FailedPreconditionError(error);
  absl::StatusOr<nlohmann::json> rule_set = Models().LoadServiceFile(service, "endpoint-rule-set-1");
  if (!rule_set.ok()) return rule_set.status();
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver = EndpointResolver::Create(*rule_set, partitions);
  if (!resolver.ok()) return resolver.status();
  absl::StatusOr<EndpointParams> params =
      BuildEndpointParams((*resolver)->parameters(), OperationEndpointInputs{}, EndpointParams{}, config.builtins);
  if (!params.ok()) return params.status();
  absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> endpoint = (*resolver)->Resolve(*params);
  if (!endpoint.ok()) return endpoint.status();
  return (*endpoint)->url;
}

class ConfiguredEndpointUrls : public ::testing::TestWithParam<UrlCase> {};

TEST_P(ConfiguredEndpointUrls, PicksTheExpectedUrl) {
  const UrlCase& test_case = GetParam();
  ASSERT_NE(test_case.name, "suite_missing") << "missing or unreadable " << SuitePath();
  ++total_cases;
  const nlohmann::json& suite = test_case.suite;
  const nlohmann::json& test = test_case.test;

  const config::ProfileSet files = ProfilesOf(suite);
  const std::string profile_name = test["profile"].get<std::string>();
  const auto profile = files.profiles.find(profile_name);
  ASSERT_NE(profile, files.profiles.end()) << "unknown profile " << profile_name;
  const nlohmann::json environment = suite["environments"][test["environment"].get<std::string>()];
  const config::EnvLookup env = [&](const std::string& name) -> std::optional<std::string> {
    if (!environment.contains(name)) return std::nullopt;
    return environment[name].get<std::string>();
  };
  const nlohmann::json client = suite["client_configs"][test["client_config"].get<std::string>()];

  ClientEndpointOptions options;
  options.service = test["service"].get<std::string>();
  if (client.contains("endpoint_url")) options.endpoint_url = client["endpoint_url"].get<std::string>();
  if (client.contains("ignore_configured_endpoint_urls")) {
    options.ignore_configured_endpoint_urls = client["ignore_configured_endpoint_urls"].get<bool>();
  }
  // endpoints.json too, as botocore creates the client.
  absl::StatusOr<nlohmann::json> endpoints = Models().LoadDataFile("endpoints");
  ASSERT_TRUE(endpoints.ok()) << endpoints.status();
  absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> legacy = LegacyEndpoints::FromJson(*endpoints);
  ASSERT_TRUE(legacy.ok()) << legacy.status();
  absl::StatusOr<EndpointConfig> config = ComputeEndpointConfig(options, &profile->second, &files, env, legacy->get());
  ASSERT_TRUE(config.ok()) << config.status();

  const std::string expected = test["output"]["endpointUrl"].get<std::string>();
  std::string actual;
  if (config->configured_endpoint_url.has_value()) {
    actual = *config->configured_endpoint_url;
    // A configured URL is handed to the rule set as SDK::Endpoint.
    const auto endpoint = config->builtins.find("SDK::Endpoint");
    ASSERT_NE(endpoint, config->builtins.end());
    EXPECT_EQ(std::get<std::string>(endpoint->second), actual);
  } else {
    absl::StatusOr<std::string> resolved = ResolvedUrl(options.service, *config);
    ASSERT_TRUE(resolved.ok()) << resolved.status();
    actual = *resolved;
  }
  EXPECT_EQ(actual, expected) << test.value("name", "");
  if (actual == expected) ++passed_cases;
}

std::string CaseName(const ::testing::TestParamInfo<UrlCase>& param_info) { return param_info.param.name; }

INSTANTIATE_TEST_SUITE_P(ProfileTests, ConfiguredEndpointUrls, ::testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace awsd::endpoints::testing
