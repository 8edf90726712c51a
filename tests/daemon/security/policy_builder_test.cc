#include "daemon/security/policy_builder.h"

#include <gtest/gtest.h>

namespace awsd::security {
namespace {

NameResolver Fake() {
  NameResolver names;
  names.user = [](const std::string& name) -> std::optional<uid_t> {
    if (name == "alice") return 1001;
    return std::nullopt;
  };
  names.group = [](const std::string& name) -> std::optional<gid_t> {
    if (name == "deploy") return 2000;
    return std::nullopt;
  };
  return names;
}

CallerIdentity Caller(uid_t uid, gid_t gid) {
  CallerIdentity caller;
  caller.uid = uid;
  caller.gid = gid;
  return caller;
}

TEST(BuildPolicy, NoRulesIsTheDefault) {
  auto policy = BuildPolicy(SecurityConfig{}, 1000, Fake());
  ASSERT_TRUE(policy.ok());
  ASSERT_EQ(policy->rules().size(), 1u);
  EXPECT_EQ(policy->rules()[0].name, kDefaultRuleName);
  EXPECT_TRUE(policy->Decide(Caller(1000, 1), Action::Invoke("p", "s3", "GetObject")).allowed);
  EXPECT_FALSE(policy->Decide(Caller(1000, 1), Action::Export("p")).allowed);
  auto exporting = BuildPolicy(SecurityConfig{}, 1000, Fake(), /*default_allows_export=*/true);
  EXPECT_TRUE(exporting->Decide(Caller(1000, 1), Action::Export("p")).allowed);
}

TEST(BuildPolicy, NamesBecomeIds) {
  SecurityConfig config;
  RuleConfig rule;
  rule.name = "r";
  rule.users = {std::string("alice"), int64_t{7}};
  rule.groups = {std::string("deploy")};
  rule.profiles = {"*"};
  rule.allow = {"*"};
  config.rules.push_back(rule);
  auto policy = BuildPolicy(config, 0, Fake());
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->rules()[0].uids, (std::vector<uid_t>{1001, 7}));
  EXPECT_EQ(policy->rules()[0].gids, (std::vector<gid_t>{2000}));
  EXPECT_TRUE(policy->Decide(Caller(1001, 2000), Action::Invoke("p", "s3", "GetObject")).allowed);
  // Configured rules replace the default: root is not implicitly admitted.
  EXPECT_FALSE(policy->Decide(Caller(0, 0), Action::Connect()).allowed);
}

TEST(BuildPolicy, UnknownNamesAreErrorsNamingTheRule) {
  SecurityConfig config;
  RuleConfig rule;
  rule.name = "ops";
  rule.users = {std::string("mallory")};
  config.rules.push_back(rule);
  auto policy = BuildPolicy(config, 0, Fake());
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().message(), "policy rule 'ops': no user named 'mallory'");
  config.rules[0].users.clear();
  config.rules[0].groups = {std::string("nogroup-here")};
  EXPECT_EQ(BuildPolicy(config, 0, Fake()).status().message(), "policy rule 'ops': no group named 'nogroup-here'");
}

TEST(BuildPolicy, SystemResolverKnowsRoot) {
  NameResolver system = NameResolver::System();
  EXPECT_EQ(system.user("root"), uid_t{0});
  EXPECT_EQ(system.group("root"), gid_t{0});
  EXPECT_EQ(system.user("no-such-user-awsd-test"), std::nullopt);
}

}  // namespace
}  // namespace awsd::security
