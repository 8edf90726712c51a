#include "daemon/config/settings.h"

#include <map>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/fake_environment.h"

namespace awsd::config {
namespace {

using test_support::FakeEnvironment;
constexpr auto Env = FakeEnvironment;

TEST(Settings, EnvThenProfileThenDefault) {
  const Profile profile{{"retry_mode", Value{"adaptive", std::nullopt}}, {"region", Value{"eu-west-1", std::nullopt}}};
  EXPECT_EQ(Resolve("retry_mode", &profile, Env({{"AWS_RETRY_MODE", "standard"}})), "standard");
  EXPECT_EQ(Resolve("retry_mode", &profile, Env({})), "adaptive");
  EXPECT_EQ(Resolve("retry_mode", nullptr, Env({})), "legacy");
  EXPECT_EQ(Resolve("region", &profile, Env({{"AWS_REGION", "ignored"}})), "eu-west-1");  // botocore reads AWS_DEFAULT_REGION
  EXPECT_EQ(Resolve("region", nullptr, Env({})), std::nullopt);
}

TEST(Settings, EmptyEnvironmentValueWins) {
  const Profile profile{{"region", Value{"eu-west-1", std::nullopt}}};
  EXPECT_EQ(Resolve("region", &profile, Env({{"AWS_DEFAULT_REGION", ""}})), "");
}

TEST(Settings, EnvOnlyAndConfigOnly) {
  const Profile profile{{"profile", Value{"x", std::nullopt}}, {"parameter_validation", Value{"false", std::nullopt}}};
  EXPECT_EQ(Resolve("profile", &profile, Env({})), std::nullopt);  // no config key
  EXPECT_EQ(Resolve("profile", &profile, Env({{"AWS_PROFILE", "p"}, {"AWS_DEFAULT_PROFILE", "d"}})), "d");
  EXPECT_EQ(Resolve("parameter_validation", &profile, Env({})), "false");
  const Profile app{{"sdk_ua_app_id", Value{"app", std::nullopt}}};
  EXPECT_EQ(Resolve("user_agent_appid", &app, Env({})), "app");
}

TEST(Settings, UnknownName) { EXPECT_EQ(Resolve("no_such_setting", nullptr, Env({})), std::nullopt); }

TEST(Settings, TableCoversBotocore) {
  // BOTOCORE_DEFAUT_SESSION_VARIABLES of botocore 1.43.11.
  const char* const kBotocore[] = {
      "profile", "region", "data_path", "config_file", "ca_bundle", "api_versions", "credentials_file",
      "metadata_service_timeout", "metadata_service_num_attempts", "ec2_metadata_service_endpoint",
      "ec2_metadata_service_endpoint_mode", "ec2_metadata_v1_disabled", "imds_use_ipv6", "use_dualstack_endpoint",
      "use_fips_endpoint", "ignore_configured_endpoint_urls", "parameter_validation", "csm_enabled", "csm_host",
      "csm_port", "csm_client_id", "endpoint_discovery_enabled", "sts_regional_endpoints", "retry_mode",
      "defaults_mode", "max_attempts", "user_agent_appid", "request_min_compression_size_bytes",
      "disable_request_compression", "sigv4a_signing_region_set", "request_checksum_calculation",
      "response_checksum_validation", "account_id_endpoint_mode", "disable_host_prefix_injection",
      "auth_scheme_preference", "tcp_keepalive", "s3_disable_express_session_auth"};
  for (const char* name : kBotocore) EXPECT_NE(FindSetting(name), nullptr) << name;
  std::set<std::string_view> names;
  for (const Setting& setting : AllSettings()) EXPECT_TRUE(names.insert(setting.name).second) << setting.name;
  EXPECT_EQ(Resolve("request_min_compression_size_bytes", nullptr, Env({})), "10240");
  EXPECT_EQ(Resolve("metadata_service_timeout", nullptr, Env({})), "1");
  EXPECT_EQ(Resolve("ec2_metadata_v1_disabled", nullptr, Env({})), "false");
  EXPECT_EQ(Resolve("account_id_endpoint_mode", nullptr, Env({})), "preferred");
}

}  // namespace
}  // namespace awsd::config
