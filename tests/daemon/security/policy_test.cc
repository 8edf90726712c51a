// The policy alone: which rules apply to which callers, and what they grant.
#include "daemon/security/policy.h"

#include <gtest/gtest.h>

namespace awsd::security {
namespace {

CallerIdentity Caller(uid_t uid, gid_t gid = 100, std::string exe = "", std::string cgroup = "",
                      std::vector<gid_t> groups = {}) {
  CallerIdentity caller;
  caller.uid = uid;
  caller.gid = gid;
  caller.pid = 4242;
  caller.attested = !exe.empty();
  caller.exe = std::move(exe);
  caller.cgroup = std::move(cgroup);
  caller.groups = std::move(groups);
  return caller;
}

PolicyRule Rule(std::string name) {
  PolicyRule rule;
  rule.name = std::move(name);
  return rule;
}

TEST(DefaultPolicy, AdmitsTheDaemonsUidAndRootOnly) {
  const Policy policy = Policy::Default(1000);
  const Action call = Action::Invoke("prod", "s3", "ListBuckets");
  EXPECT_TRUE(policy.Decide(Caller(1000), call).allowed);
  EXPECT_TRUE(policy.Decide(Caller(0), call).allowed);
  EXPECT_TRUE(policy.Decide(Caller(1000), Action::Sign("prod", "s3")).allowed);
  const Decision other = policy.Decide(Caller(1001), call);
  EXPECT_FALSE(other.allowed);
  EXPECT_EQ(other.rule, kDefaultRuleName);
  EXPECT_NE(other.reason.find("default policy"), std::string::npos) << other.reason;
  EXPECT_NE(other.reason.find("uid 1001"), std::string::npos) << other.reason;
  EXPECT_FALSE(policy.Decide(Caller(1001), Action::Connect()).allowed);
}

TEST(DefaultPolicy, NobodyExportsUnlessAllowed) {
  const Decision refused = Policy::Default(1000).Decide(Caller(1000), Action::Export("default"));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.rule, kDefaultRuleName);
  EXPECT_NE(refused.reason.find("default policy does not let this caller export credentials with profile 'default'"),
            std::string::npos)
      << refused.reason;
  EXPECT_FALSE(Policy::Default(0).Decide(Caller(0), Action::Export("default")).allowed);
  EXPECT_TRUE(Policy::Default(1000, /*allow_export=*/true).Decide(Caller(1000), Action::Export("x")).allowed);
  EXPECT_FALSE(Policy::Default(1000, /*allow_export=*/true).Decide(Caller(7), Action::Export("x")).allowed);
}

TEST(Rules, ProfilesAreGrantedByGlob) {
  PolicyRule rule = Rule("devs");
  rule.uids = {1001};
  rule.profile_globs = {"dev-*", "sandbox"};
  rule.allow = {"*"};
  const Policy policy({rule});
  EXPECT_TRUE(policy.Decide(Caller(1001), Action::Invoke("dev-eu", "sts", "GetCallerIdentity")).allowed);
  EXPECT_TRUE(policy.Decide(Caller(1001), Action::Invoke("sandbox", "sts", "GetCallerIdentity")).allowed);
  const Decision prod = policy.Decide(Caller(1001), Action::Invoke("prod", "sts", "GetCallerIdentity"));
  EXPECT_FALSE(prod.allowed);
  EXPECT_EQ(prod.rule, "devs");
  EXPECT_NE(prod.reason.find("rule 'devs' does not let this caller call sts:GetCallerIdentity with profile 'prod'"),
            std::string::npos)
      << prod.reason;
  // A session without a daemon profile (the caller's own keys) is not
  // checked against profiles.
  EXPECT_TRUE(policy.Decide(Caller(1001), Action::Invoke("", "sts", "GetCallerIdentity")).allowed);
}

TEST(Rules, OperationsAllowAndDenyWithDenyWinning) {
  PolicyRule reader = Rule("reader");
  reader.uids = {1001};
  reader.profile_globs = {"*"};
  reader.allow = {"s3:Get*", "s3:List*", "sts:GetCallerIdentity"};
  PolicyRule broad = Rule("broad");
  broad.gids = {500};
  broad.profile_globs = {"*"};
  broad.allow = {"*"};
  broad.deny = {"s3:Delete*"};
  const Policy policy({reader, broad});

  EXPECT_TRUE(policy.Decide(Caller(1001), Action::Invoke("p", "s3", "GetObject")).allowed);
  EXPECT_FALSE(policy.Decide(Caller(1001), Action::Invoke("p", "s3", "PutObject")).allowed);
  // Patterns are case-insensitive, as IAM's action names are.
  EXPECT_TRUE(policy.Decide(Caller(1001), Action::Invoke("p", "S3", "listobjectsv2")).allowed);

  // In group 500 too: "broad" grants PutObject, and its deny beats the
  // allow of either rule.
  EXPECT_TRUE(policy.Decide(Caller(1001, 500), Action::Invoke("p", "s3", "PutObject")).allowed);
  const Decision del = policy.Decide(Caller(1001, 500), Action::Invoke("p", "s3", "DeleteObject"));
  EXPECT_FALSE(del.allowed);
  EXPECT_EQ(del.rule, "broad");
  EXPECT_NE(del.reason.find("rule 'broad' denies s3:DeleteObject (pattern 's3:Delete*')"), std::string::npos)
      << del.reason;
}

TEST(Rules, SignAndExportAreSeparateGrants) {
  PolicyRule rule = Rule("ci");
  rule.uids = {1001};
  rule.profile_globs = {"ci"};
  rule.allow = {"*"};
  const Policy plain({rule});
  EXPECT_FALSE(plain.Decide(Caller(1001), Action::Sign("ci", "execute-api")).allowed);
  EXPECT_FALSE(plain.Decide(Caller(1001), Action::Export("ci")).allowed);
  EXPECT_TRUE(plain.Decide(Caller(1001), Action::CredentialInfo("ci")).allowed);
  EXPECT_FALSE(plain.Decide(Caller(1001), Action::CredentialInfo("prod")).allowed);
  rule.sign = true;
  rule.export_credentials = true;
  const Policy granted({rule});
  EXPECT_TRUE(granted.Decide(Caller(1001), Action::Sign("ci", "execute-api")).allowed);
  EXPECT_TRUE(granted.Decide(Caller(1001), Action::Export("ci")).allowed);
  EXPECT_FALSE(granted.Decide(Caller(1001), Action::Export("prod")).allowed);
}

TEST(Rules, EverySelectorOfARuleMustMatch) {
  PolicyRule rule = Rule("deployer");
  rule.uids = {1001};
  rule.executables = {"/usr/bin/deploy"};
  rule.profile_globs = {"*"};
  rule.allow = {"*"};
  const Policy policy({rule});
  const Action call = Action::Invoke("p", "ecs", "UpdateService");
  EXPECT_TRUE(policy.Decide(Caller(1001, 100, "/usr/bin/deploy"), call).allowed);
  EXPECT_FALSE(policy.Decide(Caller(1001, 100, "/usr/bin/python3"), call).allowed);
  EXPECT_FALSE(policy.Decide(Caller(1002, 100, "/usr/bin/deploy"), call).allowed);
}

TEST(Rules, ExecutableAndCgroupRulesNeedAnAttestedCaller) {
  PolicyRule by_exe = Rule("by-exe");
  by_exe.executables = {"/usr/bin/tool"};
  by_exe.profile_globs = {"*"};
  by_exe.allow = {"*"};
  PolicyRule by_cgroup = Rule("by-cgroup");
  by_cgroup.cgroup_globs = {"/system.slice/ci-*.service"};
  by_cgroup.profile_globs = {"*"};
  by_cgroup.allow = {"*"};
  const Policy policy({by_exe, by_cgroup});
  const Action call = Action::Invoke("p", "sts", "GetCallerIdentity");

  EXPECT_TRUE(policy.Decide(Caller(5, 5, "/usr/bin/tool"), call).allowed);
  EXPECT_TRUE(policy.Decide(Caller(5, 5, "/usr/bin/other", "/system.slice/ci-runner.service"), call).allowed);
  EXPECT_FALSE(policy.Decide(Caller(5, 5, "/usr/bin/other", "/user.slice/user-5.slice"), call).allowed);

  // The same process once it can no longer be attested (exited, recycled):
  // its exe and cgroup are not believed, whatever the fields still say.
  CallerIdentity stale = Caller(5, 5, "/usr/bin/tool", "/system.slice/ci-runner.service");
  stale.attested = false;
  const Decision refused = policy.Decide(stale, call);
  EXPECT_FALSE(refused.allowed);
  EXPECT_NE(refused.reason.find("no rule admits uid 5"), std::string::npos) << refused.reason;
}

TEST(Rules, SupplementaryGroupsCount) {
  PolicyRule rule = Rule("ops");
  rule.gids = {700};
  rule.profile_globs = {"*"};
  rule.allow = {"*"};
  const Policy policy({rule});
  const Action call = Action::Invoke("p", "sts", "GetCallerIdentity");
  EXPECT_TRUE(policy.Decide(Caller(9, 100, "/bin/x", "", {20, 700}), call).allowed);
  EXPECT_FALSE(policy.Decide(Caller(9, 100, "/bin/x", "", {20}), call).allowed);
  EXPECT_TRUE(policy.Decide(Caller(9, 700), call).allowed);
}

TEST(Rules, ConnectNeedsOnlyAnApplyingRule) {
  PolicyRule rule = Rule("reader");
  rule.uids = {1001};
  const Policy policy({rule});
  EXPECT_TRUE(policy.Decide(Caller(1001), Action::Connect()).allowed);
  EXPECT_FALSE(policy.Decide(Caller(1001), Action::Invoke("p", "s3", "GetObject")).allowed);
  EXPECT_FALSE(policy.Decide(Caller(0), Action::Connect()).allowed);
}

TEST(Rules, ARefusalByManyRulesNamesThemAll) {
  PolicyRule a = Rule("a");
  a.uids = {1};
  PolicyRule b = Rule("b");
  b.gids = {1};
  const Decision d = Policy({a, b}).Decide(Caller(1, 1), Action::Export("p"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, "a,b");
  EXPECT_NE(d.reason.find("rules 'a', 'b' do not let this caller export credentials"), std::string::npos) << d.reason;
}

}  // namespace
}  // namespace awsd::security
