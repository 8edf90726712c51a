// The security tables of the daemon config, parsed as part of the whole
// file (daemon/app/daemon_config), and their errors.
#include "daemon/security/security_config.h"

#include <gtest/gtest.h>

#include "daemon/app/daemon_config.h"

namespace awsd::security {
namespace {

absl::StatusOr<app::DaemonConfig> Parse(const std::string& text) { return app::ParseDaemonConfig(text, "awsd.toml"); }

std::string Error(const std::string& text) {
  auto parsed = Parse(text);
  EXPECT_FALSE(parsed.ok()) << text;
  return parsed.ok() ? "" : std::string(parsed.status().message());
}

TEST(SecurityConfig, EmptyMeansDefaultPolicyNoAuditNoLimits) {
  auto parsed = Parse("");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->security, SecurityConfig{});
}

TEST(SecurityConfig, EveryKey) {
  auto parsed = Parse(R"(
[[policy.rule]]
name = "ci"
users = ["alice", 1001]
groups = ["deploy", 2000]
executables = ["/usr/bin/deploy"]
cgroups = ["/system.slice/ci-*.service"]
profiles = ["ci", "dev-*"]
allow = ["s3:*", "sts:GetCallerIdentity"]
deny = ["s3:Delete*"]
sign = true
export = true

[[policy.rule]]
name = "root"
users = [0]
profiles = ["*"]
allow = ["*"]

[audit]
file = "/var/log/awsd/audit.log"

[caller_limits]
max_concurrent_calls = 64
calls_per_second = 0.5
burst = 10
)");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const SecurityConfig& s = parsed->security;
  ASSERT_EQ(s.rules.size(), 2u);
  const RuleConfig& ci = s.rules[0];
  EXPECT_EQ(ci.name, "ci");
  EXPECT_EQ(ci.users, (std::vector<Principal>{std::string("alice"), int64_t{1001}}));
  EXPECT_EQ(ci.groups, (std::vector<Principal>{std::string("deploy"), int64_t{2000}}));
  EXPECT_EQ(ci.executables, std::vector<std::string>{"/usr/bin/deploy"});
  EXPECT_EQ(ci.cgroups, std::vector<std::string>{"/system.slice/ci-*.service"});
  EXPECT_EQ(ci.profiles, (std::vector<std::string>{"ci", "dev-*"}));
  EXPECT_EQ(ci.allow, (std::vector<std::string>{"s3:*", "sts:GetCallerIdentity"}));
  EXPECT_EQ(ci.deny, std::vector<std::string>{"s3:Delete*"});
  EXPECT_TRUE(ci.sign);
  EXPECT_TRUE(ci.export_credentials);
  EXPECT_FALSE(s.rules[1].sign);
  EXPECT_FALSE(s.rules[1].export_credentials);
  EXPECT_EQ(s.audit_file, "/var/log/awsd/audit.log");
  EXPECT_EQ(s.caller_max_concurrent_calls, 64u);
  EXPECT_DOUBLE_EQ(s.caller_calls_per_second, 0.5);
  EXPECT_EQ(s.caller_burst, 10u);
}

TEST(SecurityConfig, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(Error("[[policy.rule]]\nname = \"x\"\nusers = [1]\nexport = \"yes\"\n"),
            "awsd.toml:4: policy.rule[0].export: must be a boolean");
  EXPECT_EQ(Error("[[policy.rule]]\nname = \"x\"\nusers = [1]\nallow = [\"GetObject\"]\n"),
            "awsd.toml:4: policy.rule[0].allow[0]: must be \"service:Operation\" (globs allowed, e.g. \"s3:Get*\") "
            "or \"*\", got \"GetObject\"");
  EXPECT_EQ(Error("[[policy.rule]]\nname = \"x\"\nusers = [-1]\n"),
            "awsd.toml:3: policy.rule[0].users[0]: must be between 0 and 4294967294, got -1");
  EXPECT_EQ(Error("[[policy.rule]]\nname = \"x\"\nuser = [1]\n"),
            "awsd.toml:3: policy.rule[0].user: unknown key (known keys: 'name', 'users', 'groups', 'executables', "
            "'cgroups', 'profiles', 'allow', 'deny', 'sign', 'export')");
  EXPECT_EQ(Error("[[policy.rule]]\nname = \"x\"\nexecutables = [\"bin/tool\"]\n"),
            "awsd.toml:3: policy.rule[0].executables[0]: must be an absolute path, got \"bin/tool\"");
  EXPECT_EQ(Error("[audit]\nfile = \"audit.log\"\n"),
            "awsd.toml:2: audit.file: must be an absolute path, got \"audit.log\"");
  EXPECT_EQ(Error("[caller_limits]\ncalls_per_second = -1\n"),
            "awsd.toml:2: caller_limits.calls_per_second: must be a number between 0 and 1000000");
  EXPECT_EQ(Error("[policy]\nrules = []\n"),
            "awsd.toml:2: policy.rules: unknown key (rules are [[policy.rule]] tables)");
}

TEST(SecurityConfig, RulesNeedANameASelectorAndUniqueNames) {
  EXPECT_NE(Error("[[policy.rule]]\nusers = [1]\n").find("policy.rule[0].name: required"), std::string::npos);
  EXPECT_NE(Error("[[policy.rule]]\nname = \"all\"\nprofiles = [\"*\"]\n")
                .find("policy.rule[0]: needs at least one of users, groups, executables, cgroups"),
            std::string::npos);
  EXPECT_NE(Error("[[policy.rule]]\nname = \"a\"\nusers = [1]\n[[policy.rule]]\nname = \"a\"\nusers = [2]\n")
                .find("policy.rule[1].name: \"a\" is already the name of another rule"),
            std::string::npos);
}

TEST(SecurityConfig, ProblemsOfBothParsersComeInLineOrder) {
  EXPECT_EQ(Error("[audit]\nfile = 1\n[logging]\nlevel = \"loud\"\n"),
            "awsd.toml:2: audit.file: must be a string\n"
            "awsd.toml:4: logging.level: must be one of trace, debug, info, warn, error, got \"loud\"");
}

// Item 6's upstream deadline lives with the other [http] settings.
TEST(SecurityConfig, HttpTotalTimeoutCapsEachAttempt) {
  auto parsed = Parse("[http]\ntotal_timeout_ms = 5000\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->http_total_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(Parse("")->http_total_timeout, std::chrono::milliseconds(0));
  EXPECT_EQ(Error("[http]\ntotal_timeout_ms = -1\n"),
            "awsd.toml:2: http.total_timeout_ms: must be between 0 and 3600000, got -1");
}

TEST(SecurityConfig, MisspelledTableIsSuggested) {
  EXPECT_NE(Error("[audti]\nfile = \"/x\"\n").find("did you mean 'audit'?"), std::string::npos);
}

}  // namespace
}  // namespace awsd::security
