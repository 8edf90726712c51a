// credential-chain/assume-role-tests.json: the profile chain awsd plans for a
// selected profile (base credentials, then each AssumeRole), against the
// suite's. The base is what the source profile's own providers give, as
// botocore's ProfileProviderBuilder orders them: web identity, SSO, keys.
//
// Expected errors are the suite SDK's words; a case passes when awsd refuses
// the configuration too (botocore's message), or, for a profile with no
// credentials at all, finds none in it.

#include <fstream>
#include <string>

#include "daemon/config/aws_config.h"
#include "daemon/credentials/profile_keys_provider.h"
#include "daemon/credentials/role_chain.h"
#include "daemon/credentials/sso_provider.h"
#include "daemon/credentials/web_identity_provider.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/fake_environment.h"
#include "tests/support/test_paths.h"

namespace awsd::credentials {
namespace {

using nlohmann::json;

json Suite() {
  std::ifstream in(test_support::ConformanceDir() + "/credential-chain/assume-role-tests.json");
  return json::parse(in);
}

config::AwsConfig ConfigOf(const json& input) {
  config::AwsConfig aws;
  auto sections = [](const json& from, std::map<std::string, config::Section>& into) {
    for (const auto& [name, keys] : from.items()) {
      auto& section = into[name];
      for (const auto& [key, value] : keys.items()) section[key] = config::Value{value.get<std::string>(), {}};
    }
  };
  sections(input["profiles"], aws.config_only.profiles);
  if (input.contains("sso_sessions")) sections(input["sso_sessions"], aws.config_only.sso_sessions);
  aws.merged = aws.config_only;
  return aws;
}

const config::EnvLookup kNoEnvironment = test_support::FakeEnvironment({});

// The first link of a chain, in the suite's words, from `name`'s own
// providers; an error when they are misconfigured or have nothing.
absl::StatusOr<json> OwnSource(const config::AwsConfig& aws, const std::string& name) {
  const config::Profile* profile = config::FindProfile(aws.merged, name);
  if (profile == nullptr) return absl::NotFoundError("The config profile (" + name + ") could not be found");
  auto web_identity = WebIdentityParamsFromConfig(profile, kNoEnvironment, /*disable_env_vars=*/true);
  if (!web_identity.ok()) return web_identity.status();
  if (*web_identity) {
    json step = {{"role_arn", (*web_identity)->role_arn}, {"web_identity_token_file", (*web_identity)->token_file}};
    if (profile->contains("role_session_name")) step["role_session_name"] = (*web_identity)->role_session_name;
    return json{{"WebIdentityToken", step}};
  }
  ProviderContext context;
  context.environment = kNoEnvironment;
  auto sso = SsoProviderFromProfile(context, name, aws);
  if (!sso.ok()) return sso.status();
  if (*sso) return json{{"Sso", "configured"}};
  auto keys = ProfileKeysProvider(*profile, "config-file", "config").Resolve();
  if (!keys.ok()) return keys.status();
  if (*keys == nullptr) return absl::NotFoundError("profile " + name + " has no credentials");
  json step = {{"access_key_id", (*keys)->access_key_id},
               {"secret_access_key", std::string((*keys)->secret_access_key.view())}};
  if (!(*keys)->account_id.empty()) step["account_id"] = (*keys)->account_id;
  return json{{"AccessKey", step}};
}

// The whole chain in the suite's words.
absl::StatusOr<json> Chain(const config::AwsConfig& aws, const std::string& selected) {
  if (config::FindProfile(aws.merged, selected) == nullptr) {
    return absl::NotFoundError("The config profile (" + selected + ") could not be found");
  }
  auto plan = PlanRoleChain(aws.merged, selected);
  if (!plan.ok()) return plan.status();
  json chain = json::array();
  if (!*plan) {
    auto own = OwnSource(aws, selected);
    if (!own.ok()) return own.status();
    chain.push_back(*own);
    return chain;
  }
  if (const auto* source = std::get_if<SourceProfile>(&(*plan)->base)) {
    auto own = OwnSource(aws, source->profile);
    if (!own.ok()) return own.status();
    chain.push_back(*own);
  } else {
    static const char* kNames[] = {"Environment", "Ec2InstanceMetadata", "EcsContainer"};
    chain.push_back({{"NamedSource", kNames[static_cast<int>(std::get<NamedSource>((*plan)->base))]}});
  }
  for (const RoleLink& link : (*plan)->roles) {
    json step = {{"role_arn", link.role_arn}};
    if (link.role_session_name) step["role_session_name"] = *link.role_session_name;
    if (link.external_id) step["external_id"] = *link.external_id;
    chain.push_back({{"AssumeRole", step}});
  }
  return chain;
}

// SSO steps are compared as "configured": the suite lists the profile's and
// the session section's keys, which OwnSource has just validated.
json Comparable(json chain) {
  for (auto& step : chain) {
    if (step.contains("Sso")) step["Sso"] = "configured";
  }
  return chain;
}

class RoleChainConformance : public ::testing::TestWithParam<int> {};

// A profile with only sso_session serves SSO bearer tokens; botocore's
// SSOProvider needs sso_account_id and sso_role_name to make credentials
// and, without them, finds none in the profile (no error), where the
// suite's SDK plans an SSO link.
constexpr const char* kSsoTokenOnlyProfile = "SSO token profile selected";

TEST_P(RoleChainConformance, PlansTheSuitesChain) {
  const json test = Suite()[GetParam()];
  SCOPED_TRACE(test["docs"].get<std::string>());
  const config::AwsConfig aws = ConfigOf(test["input"]);
  const auto chain = Chain(aws, test["input"]["selected_profile"]);
  const json& output = test["output"];
  if (test["docs"] == kSsoTokenOnlyProfile) {
    ASSERT_FALSE(chain.ok());
    EXPECT_EQ(chain.status().code(), absl::StatusCode::kNotFound) << chain.status();
    return;
  }
  if (output.contains("Error")) {
    EXPECT_FALSE(chain.ok()) << "expected \"" << output["Error"].get<std::string>() << "\", planned " << chain->dump();
    return;
  }
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ(*chain, Comparable(output["ProfileChain"]));
}

INSTANTIATE_TEST_SUITE_P(Cases, RoleChainConformance, ::testing::Range(0, static_cast<int>(Suite().size())));

TEST(RoleChainConformanceSuite, HasAllTwentyEightCases) { EXPECT_EQ(Suite().size(), 28u); }

}  // namespace
}  // namespace awsd::credentials
