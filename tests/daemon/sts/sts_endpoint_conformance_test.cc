// The STS endpoints the credential-chain suites recorded, from their env.json
// and fs/home/.aws/config, read in place from $AWSD_CONFORMANCE_DIR.

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "daemon/config/aws_config.h"
#include "daemon/sts/sts_endpoint.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace awsd::sts {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string TrimSlash(std::string url) {
  if (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

class StsEndpointConformanceTest : public testing::TestWithParam<std::string> {};

TEST_P(StsEndpointConformanceTest, ResolvesTheRecordedEndpoint) {
  const fs::path dir = fs::path(test_support::ConformanceDir()) / "credential-chain" / GetParam();
  const std::optional<std::string> env_text = ReadFile(dir / "env.json");
  const std::optional<std::string> traffic_text = ReadFile(dir / "http-traffic.json");
  ASSERT_TRUE(env_text && traffic_text) << "missing suite files in " << dir;
  const nlohmann::json env_json = nlohmann::json::parse(*env_text);
  const nlohmann::json traffic = nlohmann::json::parse(*traffic_text);
  std::string recorded;
  for (const auto& event : traffic["events"]) {
    if (event["action"].contains("Request")) {
      recorded = event["action"]["Request"]["request"]["uri"];
      break;
    }
  }
  ASSERT_FALSE(recorded.empty());

  config::ProfileSet files;
  if (std::optional<std::string> config_text = ReadFile(dir / "fs/home/.aws/config")) {
    auto parsed = config::ParseProfileFile(*config_text, "config", config::FileKind::kConfig);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    files = *std::move(parsed);
  }
  const config::EnvLookup env = [&](const std::string& name) -> std::optional<std::string> {
    if (!env_json.contains(name)) return std::nullopt;
    return env_json[name].get<std::string>();
  };
  const config::Profile* profile = config::FindProfile(files, env("AWS_PROFILE").value_or("default"));
  // The suites were recorded by an SDK that reads AWS_REGION; the region is
  // the caller's business here, so take it as they did.
  std::string region = env("AWS_REGION").value_or(env("AWS_DEFAULT_REGION").value_or(""));
  if (region.empty() && profile != nullptr && profile->count("region")) region = profile->at("region").text;

  auto endpoint = ResolveStsEndpoint(region, profile, &files, env);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(TrimSlash(StsRequestUrl(endpoint->url)), TrimSlash(recorded));
}

INSTANTIATE_TEST_SUITE_P(Suites, StsEndpointConformanceTest,
                         testing::Values("profile-provider/assume_role_override_global_env_url",
                                         "profile-provider/assume_role_override_global_profile_url",
                                         "profile-provider/assume_role_override_service_env_url",
                                         "profile-provider/assume_role_override_service_profile_url",
                                         "profile-provider/e2e_fips_and_dual_stack_sts",
                                         "profile-provider/e2e_assume_role", "profile-provider/region_override",
                                         "profile-provider/retry_on_error",
                                         "default-credential-provider-chain/web_identity_token_env",
                                         "default-credential-provider-chain/web_identity_token_profile",
                                         "default-credential-provider-chain/web_identity_token_source_profile",
                                         "default-credential-provider-chain/web_identity_token_invalid_jwt"),
                         [](const testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param.substr(param_info.param.find('/') + 1);
                           return name;
                         });

}  // namespace
}  // namespace awsd::sts
