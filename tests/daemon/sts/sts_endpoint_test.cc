#include "daemon/sts/sts_endpoint.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "daemon/config/aws_config.h"
#include "tests/support/fake_environment.h"

namespace awsd::sts {
namespace {

using test_support::FakeEnvironment;

struct BotocoreCase {
  std::string region;
  std::map<std::string, std::string> env;
  std::string url;
  std::string signing_region;
};

// Computed by botocore 1.43: the URL its STS client (create_client('sts',
// region_name=region or None)) sent AssumeRole to, less the trailing "/",
// and the region in the Authorization credential scope. "" is region None.
const std::vector<BotocoreCase> kBotocoreCases = {
    {"", {}, "https://sts.amazonaws.com", "us-east-1"},
    {"", {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "https://sts.amazonaws.com", "us-east-1"},
    {"", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts-fips.aws-global.amazonaws.com", "us-east-1"},
    {"", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.aws-global.api.aws", "us-east-1"},
    {"",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.aws-global.api.aws",
     "us-east-1"},
    {"",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.aws-global.amazonaws.com",
     "us-east-1"},
    {"us-east-1", {}, "https://sts.us-east-1.amazonaws.com", "us-east-1"},
    {"us-east-1", {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "https://sts.amazonaws.com", "us-east-1"},
    {"us-east-1", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts-fips.us-east-1.amazonaws.com", "us-east-1"},
    {"us-east-1", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.us-east-1.api.aws", "us-east-1"},
    {"us-east-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.us-east-1.api.aws",
     "us-east-1"},
    {"us-east-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.us-east-1.amazonaws.com",
     "us-east-1"},
    {"us-west-2", {}, "https://sts.us-west-2.amazonaws.com", "us-west-2"},
    {"us-west-2", {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "https://sts.amazonaws.com", "us-east-1"},
    {"us-west-2", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts-fips.us-west-2.amazonaws.com", "us-west-2"},
    {"us-west-2", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.us-west-2.api.aws", "us-west-2"},
    {"us-west-2",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.us-west-2.api.aws",
     "us-west-2"},
    {"us-west-2",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.us-west-2.amazonaws.com",
     "us-west-2"},
    {"eu-west-1", {}, "https://sts.eu-west-1.amazonaws.com", "eu-west-1"},
    {"eu-west-1", {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "https://sts.amazonaws.com", "us-east-1"},
    {"eu-west-1", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts-fips.eu-west-1.amazonaws.com", "eu-west-1"},
    {"eu-west-1", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.eu-west-1.api.aws", "eu-west-1"},
    {"eu-west-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.eu-west-1.api.aws",
     "eu-west-1"},
    {"eu-west-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.eu-west-1.amazonaws.com",
     "eu-west-1"},
    {"ap-east-1", {}, "https://sts.ap-east-1.amazonaws.com", "ap-east-1"},
    {"ap-east-1", {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "https://sts.ap-east-1.amazonaws.com", "ap-east-1"},
    {"ap-east-1", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts-fips.ap-east-1.amazonaws.com", "ap-east-1"},
    {"ap-east-1", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.ap-east-1.api.aws", "ap-east-1"},
    {"ap-east-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.ap-east-1.api.aws",
     "ap-east-1"},
    {"ap-east-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.ap-east-1.amazonaws.com",
     "ap-east-1"},
    {"cn-north-1", {}, "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
    {"cn-north-1", {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
    {"cn-north-1", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts-fips.cn-north-1.amazonaws.com.cn", "cn-north-1"},
    {"cn-north-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}},
     "https://sts.cn-north-1.api.amazonwebservices.com.cn",
     "cn-north-1"},
    {"cn-north-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.cn-north-1.api.amazonwebservices.com.cn",
     "cn-north-1"},
    {"cn-north-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.cn-north-1.amazonaws.com.cn",
     "cn-north-1"},
    {"cn-northwest-1", {}, "https://sts.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"},
    {"cn-northwest-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}},
     "https://sts.cn-northwest-1.amazonaws.com.cn",
     "cn-northwest-1"},
    {"cn-northwest-1",
     {{"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.cn-northwest-1.amazonaws.com.cn",
     "cn-northwest-1"},
    {"cn-northwest-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}},
     "https://sts.cn-northwest-1.api.amazonwebservices.com.cn",
     "cn-northwest-1"},
    {"cn-northwest-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.cn-northwest-1.api.amazonwebservices.com.cn",
     "cn-northwest-1"},
    {"cn-northwest-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.cn-northwest-1.amazonaws.com.cn",
     "cn-northwest-1"},
    {"us-gov-west-1", {}, "https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
    {"us-gov-west-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}},
     "https://sts.us-gov-west-1.amazonaws.com",
     "us-gov-west-1"},
    {"us-gov-west-1", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
    {"us-gov-west-1", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.us-gov-west-1.api.aws", "us-gov-west-1"},
    {"us-gov-west-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.us-gov-west-1.api.aws",
     "us-gov-west-1"},
    {"us-gov-west-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts.us-gov-west-1.amazonaws.com",
     "us-gov-west-1"},
    {"us-iso-east-1", {}, "https://sts.us-iso-east-1.c2s.ic.gov", "us-iso-east-1"},
    {"us-iso-east-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}},
     "https://sts.us-iso-east-1.c2s.ic.gov",
     "us-iso-east-1"},
    {"us-iso-east-1",
     {{"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.us-iso-east-1.c2s.ic.gov",
     "us-iso-east-1"},
    {"us-iso-east-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}},
     "https://sts.us-iso-east-1.api.aws.ic.gov",
     "us-iso-east-1"},
    {"us-iso-east-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.us-iso-east-1.api.aws.ic.gov",
     "us-iso-east-1"},
    {"us-iso-east-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.us-iso-east-1.c2s.ic.gov",
     "us-iso-east-1"},
    {"us-isob-east-1", {}, "https://sts.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1"},
    {"us-isob-east-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}},
     "https://sts.us-isob-east-1.sc2s.sgov.gov",
     "us-isob-east-1"},
    {"us-isob-east-1",
     {{"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.us-isob-east-1.sc2s.sgov.gov",
     "us-isob-east-1"},
    {"us-isob-east-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}},
     "https://sts.us-isob-east-1.api.aws.scloud",
     "us-isob-east-1"},
    {"us-isob-east-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.us-isob-east-1.api.aws.scloud",
     "us-isob-east-1"},
    {"us-isob-east-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.us-isob-east-1.sc2s.sgov.gov",
     "us-isob-east-1"},
    {"eusc-de-east-1", {}, "https://sts.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1"},
    {"eusc-de-east-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}},
     "https://sts.eusc-de-east-1.amazonaws.eu",
     "eusc-de-east-1"},
    {"eusc-de-east-1",
     {{"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.eusc-de-east-1.amazonaws.eu",
     "eusc-de-east-1"},
    {"eusc-de-east-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}},
     "https://sts.eusc-de-east-1.api.amazonwebservices.eu",
     "eusc-de-east-1"},
    {"eusc-de-east-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.eusc-de-east-1.api.amazonwebservices.eu",
     "eusc-de-east-1"},
    {"eusc-de-east-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.eusc-de-east-1.amazonaws.eu",
     "eusc-de-east-1"},
    {"aws-global", {}, "https://sts.amazonaws.com", "us-east-1"},
    {"aws-global", {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "https://sts.amazonaws.com", "us-east-1"},
    {"aws-global", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts-fips.aws-global.amazonaws.com", "us-east-1"},
    {"aws-global", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.aws-global.api.aws", "us-east-1"},
    {"aws-global",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.aws-global.api.aws",
     "us-east-1"},
    {"aws-global",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.aws-global.amazonaws.com",
     "us-east-1"},
    {"foo-bar-1", {}, "https://sts.foo-bar-1.amazonaws.com", "foo-bar-1"},
    {"foo-bar-1", {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "https://sts.foo-bar-1.amazonaws.com", "foo-bar-1"},
    {"foo-bar-1", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts-fips.foo-bar-1.amazonaws.com", "foo-bar-1"},
    {"foo-bar-1", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.foo-bar-1.api.aws", "foo-bar-1"},
    {"foo-bar-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.foo-bar-1.api.aws",
     "foo-bar-1"},
    {"foo-bar-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.foo-bar-1.amazonaws.com",
     "foo-bar-1"},
    {"sa-east-1", {}, "https://sts.sa-east-1.amazonaws.com", "sa-east-1"},
    {"sa-east-1", {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "https://sts.amazonaws.com", "us-east-1"},
    {"sa-east-1", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "https://sts-fips.sa-east-1.amazonaws.com", "sa-east-1"},
    {"sa-east-1", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.sa-east-1.api.aws", "sa-east-1"},
    {"sa-east-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.sa-east-1.api.aws",
     "sa-east-1"},
    {"sa-east-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.sa-east-1.amazonaws.com",
     "sa-east-1"},
    {"il-central-1", {}, "https://sts.il-central-1.amazonaws.com", "il-central-1"},
    {"il-central-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}},
     "https://sts.il-central-1.amazonaws.com",
     "il-central-1"},
    {"il-central-1",
     {{"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.il-central-1.amazonaws.com",
     "il-central-1"},
    {"il-central-1", {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "https://sts.il-central-1.api.aws", "il-central-1"},
    {"il-central-1",
     {{"AWS_USE_DUALSTACK_ENDPOINT", "true"}, {"AWS_USE_FIPS_ENDPOINT", "TRUE"}},
     "https://sts-fips.il-central-1.api.aws",
     "il-central-1"},
    {"il-central-1",
     {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
     "https://sts-fips.il-central-1.amazonaws.com",
     "il-central-1"},
};

TEST(StsEndpointTest, MatchesBotocoreForEveryPartitionAndVariant) {
  for (const BotocoreCase& c : kBotocoreCases) {
    SCOPED_TRACE("region '" + c.region + "', " + std::to_string(c.env.size()) + " variables");
    auto endpoint = ResolveStsEndpoint(c.region, nullptr, nullptr, FakeEnvironment(c.env));
    ASSERT_TRUE(endpoint.ok()) << endpoint.status();
    EXPECT_EQ(endpoint->url, c.url);
    EXPECT_EQ(endpoint->signing_region, c.signing_region);
    EXPECT_EQ(StsRequestUrl(endpoint->url), c.url + "/");
  }
}

config::ProfileSet Parse(const std::string& text) {
  auto parsed = config::ParseProfileFile(text, "config", config::FileKind::kConfig);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : config::ProfileSet{};
}

absl::StatusOr<StsEndpoint> Resolve(const std::string& region, const config::ProfileSet& files,
                                    std::map<std::string, std::string> env = {}) {
  return ResolveStsEndpoint(region, config::FindProfile(files, "default"), &files, FakeEnvironment(std::move(env)));
}

TEST(StsEndpointTest, SettingsComeFromTheProfileWhenTheEnvironmentHasNone) {
  auto files = Parse("[default]\nuse_fips_endpoint = True\nsts_regional_endpoints = legacy\n");
  EXPECT_EQ(Resolve("us-west-2", files)->url, "https://sts-fips.us-west-2.amazonaws.com");
  files = Parse("[default]\nsts_regional_endpoints = legacy\nuse_dualstack_endpoint = false\n");
  EXPECT_EQ(Resolve("eu-west-1", files)->url, "https://sts.amazonaws.com");
  // A variable set, even to "", hides the profile's key.
  EXPECT_EQ(Resolve("eu-west-1", files, {{"AWS_STS_REGIONAL_ENDPOINTS", ""}})->url,
            "https://sts.eu-west-1.amazonaws.com");
  files = Parse("[default]\nuse_fips_endpoint = true\n");
  EXPECT_EQ(Resolve("us-east-1", files, {{"AWS_USE_FIPS_ENDPOINT", "yes"}})->url,
            "https://sts.us-east-1.amazonaws.com");
}

TEST(StsEndpointTest, ConfiguredEndpointsFollowBotocoresOrder) {
  const auto files = Parse(
      "[default]\nendpoint_url = http://profile-global\nservices = urls\n"
      "[services urls]\nsts =\n  endpoint_url = http://profile-sts\n");
  const std::map<std::string, std::string> both = {{"AWS_ENDPOINT_URL_STS", "http://env-sts"},
                                                   {"AWS_ENDPOINT_URL", "http://env-global"}};
  EXPECT_EQ(Resolve("us-west-2", files, both)->url, "http://env-sts");
  // The global variable beats the services section (configprovider's
  // _ENDPOINT_URL_LOOKUP_ORDER), which beats the profile's own endpoint_url.
  EXPECT_EQ(Resolve("us-west-2", files, {{"AWS_ENDPOINT_URL", "http://env-global"}})->url, "http://env-global");
  EXPECT_EQ(Resolve("us-west-2", files)->url, "http://profile-sts");
  EXPECT_EQ(Resolve("us-west-2", Parse("[default]\nendpoint_url = http://profile-global\n"))->url,
            "http://profile-global");
  // An empty variable is skipped.
  EXPECT_EQ(Resolve("us-west-2", files, {{"AWS_ENDPOINT_URL_STS", ""}, {"AWS_ENDPOINT_URL", "http://g"}})->url,
            "http://g");
  // A services section without an sts block falls through to the profile.
  EXPECT_EQ(Resolve("us-west-2", Parse("[default]\nendpoint_url = http://p\nservices = s\n"
                                       "[services s]\ns3 =\n  endpoint_url = http://s3\n"))
                ->url,
            "http://p");
}

TEST(StsEndpointTest, AConfiguredEndpointIsSignedForTheRegionAndTurnsVariantsOff) {
  const std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL_STS", "http://localhost:5000"},
                                                  {"AWS_USE_FIPS_ENDPOINT", "true"},
                                                  {"AWS_USE_DUALSTACK_ENDPOINT", "true"},
                                                  {"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}};
  auto endpoint = Resolve("us-west-2", {}, env);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(endpoint->url, "http://localhost:5000");
  EXPECT_EQ(endpoint->signing_region, "us-west-2");

  // botocore: NoRegionError.
  auto no_region = Resolve("", {}, env);
  EXPECT_EQ(no_region.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(no_region.status().message().find("You must specify a region"), std::string_view::npos);
}

TEST(StsEndpointTest, IgnoreConfiguredEndpointUrlsSkipsThemAll) {
  const auto files = Parse("[default]\nendpoint_url = http://profile\nignore_configured_endpoint_urls = true\n");
  EXPECT_EQ(Resolve("us-west-2", files, {{"AWS_ENDPOINT_URL_STS", "http://x"}})->url,
            "https://sts.us-west-2.amazonaws.com");
  EXPECT_EQ(
      Resolve("us-west-2", {}, {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"}, {"AWS_ENDPOINT_URL_STS", "http://x"}})
          ->url,
      "https://sts.us-west-2.amazonaws.com");
  EXPECT_EQ(
      Resolve("us-west-2", {}, {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"}, {"AWS_ENDPOINT_URL_STS", "http://x"}})
          ->url,
      "http://x");
}

TEST(StsEndpointTest, ConfigurationErrorsAreBotocores) {
  auto missing = Resolve("us-west-2", Parse("[default]\nendpoint_url = http://p\nservices = missing\n"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().message(),
            "The profile is configured to use the services section but the \"missing\" services configuration "
            "does not exist.");
  // Not consulted when a variable already gave the URL, as in botocore.
  EXPECT_TRUE(Resolve("us-west-2", Parse("[default]\nservices = missing\n"), {{"AWS_ENDPOINT_URL", "http://g"}}).ok());

  auto not_a_block = Resolve("us-west-2", Parse("[default]\nservices = s\n[services s]\nsts = http://x\n"));
  EXPECT_EQ(not_a_block.status().code(), absl::StatusCode::kInvalidArgument);

  auto bad_url = Resolve("us-west-2", {}, {{"AWS_ENDPOINT_URL_STS", "notaurl"}});
  EXPECT_EQ(bad_url.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_url.status().message(), "Invalid endpoint: notaurl");
  // A URL's userinfo and query stay out of the message.
  bad_url = Resolve("us-west-2", {}, {{"AWS_ENDPOINT_URL_STS", "ftp://user:pw@host/?sig=abc"}});
  EXPECT_EQ(bad_url.status().message().find("pw"), std::string_view::npos);
  EXPECT_EQ(bad_url.status().message().find("sig"), std::string_view::npos);

  auto bad_mode = Resolve("us-west-2", {}, {{"AWS_STS_REGIONAL_ENDPOINTS", "Legacy"}});
  EXPECT_EQ(bad_mode.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_mode.status().message(),
            "STS regional endpoints option Legacy is invalid. Valid options are: \"legacy\", \"regional\"");

  for (const std::string& region :
       std::vector<std::string>{"bad_region", "a.b", "123", "-a", "a-", "x/y", std::string(64, 'a')}) {
    auto bad_region = Resolve(region, {});
    EXPECT_EQ(bad_region.status().code(), absl::StatusCode::kInvalidArgument) << region;
  }
  EXPECT_EQ(Resolve("bad_region", {}).status().message(),
            "Provided region_name 'bad_region' doesn't match a supported format.");
}

TEST(StsEndpointTest, RequestUrlGetsARootPathOnlyWhenItHasNone) {
  EXPECT_EQ(StsRequestUrl("https://sts.amazonaws.com"), "https://sts.amazonaws.com/");
  EXPECT_EQ(StsRequestUrl("http://127.0.0.1:5000"), "http://127.0.0.1:5000/");
  EXPECT_EQ(StsRequestUrl("http://h:1/"), "http://h:1/");
  EXPECT_EQ(StsRequestUrl("http://h/prefix"), "http://h/prefix");
  EXPECT_EQ(StsRequestUrl("http://h/prefix/"), "http://h/prefix/");
  EXPECT_EQ(StsRequestUrl("http://h?a=b"), "http://h/?a=b");
}

TEST(StsEndpointTest, ConfiguredEndpointUrlIsPerService) {
  const auto files = Parse("[default]\nservices = s\n[services s]\nsso_oidc =\n  endpoint_url = http://oidc\n");
  auto url = ConfiguredEndpointUrl("sso_oidc", config::FindProfile(files, "default"), &files,
                                   FakeEnvironment({{"AWS_ENDPOINT_URL_STS", "http://sts"}}));
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "http://oidc");
  url =
      ConfiguredEndpointUrl("sso_oidc", nullptr, nullptr, FakeEnvironment({{"AWS_ENDPOINT_URL_SSO_OIDC", "http://x"}}));
  EXPECT_EQ(*url, "http://x");
  url = ConfiguredEndpointUrl("sts", nullptr, nullptr, FakeEnvironment({}));
  EXPECT_EQ(*url, std::nullopt);
}

}  // namespace
}  // namespace awsd::sts
