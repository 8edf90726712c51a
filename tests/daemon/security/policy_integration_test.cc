// A real awsd with a policy, called by awsctl run as a second, unprivileged
// user (setpriv): the profiles, operations, signing and export it may and
// may not use, the audit line of each call, the audit log's reopen and its
// fail-closed path, and the per-caller rate limit.
#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "nlohmann/json.hpp"
#include "tests/support/daemon_process.h"
#include "tests/support/fake_http_server.h"

namespace awsd::test_support {
namespace {

constexpr const char* kUser = "awsd-policy-test";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYPOLICYKEY";
constexpr const char* kForbiddenSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYFORBIDDEN";

std::vector<nlohmann::json> AuditLines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class PolicyIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root: creates a user and runs awsctl as it with setpriv";
    if (getpwnam(kUser) == nullptr) {
      auto made =
          RunProgram({"/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", kUser});
      ASSERT_EQ(made.exit_status, 0) << made.err;
    }
    const passwd* user = getpwnam(kUser);
    ASSERT_NE(user, nullptr);
    uid_ = user->pw_uid;
    gid_ = user->pw_gid;
    // The user must reach the socket: search on the scratch directory, a
    // world-searchable socket directory and a 0666 socket.
    ASSERT_EQ(chmod(dir_.path().c_str(), 0755), 0);
    WriteFile(dir_.path() / "credentials",
              std::string("[allowed]\naws_access_key_id = AKIDALLOWED\naws_secret_access_key = ") + kSecret +
                  "\n[forbidden]\naws_access_key_id = AKIDFORBIDDEN\naws_secret_access_key = " + kForbiddenSecret +
                  "\n[by-exe]\naws_access_key_id = AKIDEXE\naws_secret_access_key = " + kSecret + "\n");
    WriteFile(dir_.path() / "config", "[default]\nregion = us-east-1\n");
  }

  std::string socket() const { return (dir_.path() / "run" / "awsd.sock").string(); }
  std::filesystem::path audit() const { return dir_.path() / "audit.log"; }
  std::string awsctl() const { return std::filesystem::canonical(BinaryPath("awsctl")).string(); }

  void StartDaemon(const std::string& extra_config) {
    const std::string config =
        "[server]\nsocket = \"" + socket() + "\"\nsocket_mode = \"0666\"\ndirectory_mode = \"0755\"\n" + extra_config;
    WriteFile(dir_.path() / "awsd.toml", config);
    DaemonProcess::Options options;
    options.args = {"--config", (dir_.path() / "awsd.toml").string(), "--log-level", "trace"};
    options.env = {{"AWS_CONFIG_FILE", (dir_.path() / "config").string()},
                   {"AWS_SHARED_CREDENTIALS_FILE", (dir_.path() / "credentials").string()},
                   {"AWS_EC2_METADATA_DISABLED", "true"}};
    daemon_ = std::make_unique<DaemonProcess>(options, dir_.path() / "awsd.log");
    ASSERT_TRUE(daemon_->WaitUntilServing(socket())) << daemon_->Log();
  }

  // The policy of most tests: the test user gets profile "allowed" (with
  // S3 deletes denied) and, through awsctl only, "by-exe"; root gets all
  // but export.
  std::string Policy() const {
    return "[[policy.rule]]\nname = \"test-user\"\nusers = [\"" + std::string(kUser) +
           "\"]\nprofiles = [\"allowed\"]\nallow = [\"s3:*\", \"sts:*\"]\ndeny = [\"s3:Delete*\"]\nsign = true\n"
           "[[policy.rule]]\nname = \"awsctl-only\"\nusers = [" +
           std::to_string(uid_) + "]\nexecutables = [\"" + awsctl() +
           "\"]\nprofiles = [\"by-exe\"]\nsign = true\n"
           "[[policy.rule]]\nname = \"root\"\nusers = [0]\nprofiles = [\"*\"]\nallow = [\"*\"]\nsign = true\n"
           "[audit]\nfile = \"" +
           audit().string() + "\"\n";
  }

  std::vector<std::string> SignArgs(const std::string& profile) const {
    return {"--profile",
            profile,
            "sign",
            "--method",
            "GET",
            "--url",
            "https://example.amazonaws.com/",
            "--service",
            "service",
            "--region",
            "us-east-1",
            "--time",
            "2015-08-30T12:36:00Z"};
  }

  ProcessResult AsUser(std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/setpriv",
                                     "--reuid",
                                     std::to_string(uid_),
                                     "--regid",
                                     std::to_string(gid_),
                                     "--clear-groups",
                                     "--",
                                     awsctl(),
                                     "--socket",
                                     socket()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProgram(argv);
  }
  ProcessResult AsRoot(std::vector<std::string> args) {
    std::vector<std::string> argv = {awsctl(), "--socket", socket()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProgram(argv);
  }

  // Every audit line, the daemon's log and the outputs are free of secrets.
  void ExpectNoSecretsIn(const std::string& text) {
    EXPECT_EQ(text.find(kSecret), std::string::npos);
    EXPECT_EQ(text.find(kForbiddenSecret), std::string::npos);
  }

  TempDir dir_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(PolicyIntegrationTest, SecondUserGetsItsProfileAndNothingMore) {
  StartDaemon(Policy());

  auto allowed = AsUser(SignArgs("allowed"));
  ASSERT_EQ(allowed.exit_status, 0) << allowed.err;
  auto signed_request = nlohmann::json::parse(allowed.out);
  EXPECT_NE(signed_request["headers"]["Authorization"].get<std::string>().find("AKIDALLOWED"), std::string::npos);

  auto forbidden = AsUser(SignArgs("forbidden"));
  EXPECT_EQ(forbidden.exit_status, 255);
  EXPECT_NE(forbidden.err.find("PERMISSION_DENIED"), std::string::npos) << forbidden.err;
  EXPECT_NE(forbidden.err.find("rules 'test-user', 'awsctl-only' do not let this caller sign arbitrary requests "
                               "with profile 'forbidden'"),
            std::string::npos)
      << forbidden.err;

  // Kebab-case on the command line, the model's name in the policy.
  auto deleted = AsUser(
      {"--profile", "allowed", "--region", "us-east-1", "s3api", "delete-object", "--bucket", "b", "--key", "k"});
  EXPECT_EQ(deleted.exit_status, 255);
  EXPECT_NE(deleted.err.find("rule 'test-user' denies s3:DeleteObject (pattern 's3:Delete*')"), std::string::npos)
      << deleted.err;

  // An operation no allow pattern names.
  auto ec2 = AsUser({"--profile", "allowed", "--region", "us-east-1", "ec2", "describe-instances"});
  EXPECT_EQ(ec2.exit_status, 255);
  EXPECT_NE(ec2.err.find("do not let this caller call ec2:DescribeInstances with profile 'allowed'"), std::string::npos)
      << ec2.err;

  // Export is never granted unless a rule says `export = true`.
  auto exported = AsUser({"--profile", "allowed", "credential-process"});
  EXPECT_EQ(exported.exit_status, 255);
  EXPECT_NE(exported.err.find("export credentials with profile 'allowed'"), std::string::npos) << exported.err;
  ExpectNoSecretsIn(exported.out);
  auto root_export = AsRoot({"--profile", "allowed", "credential-process"});
  EXPECT_EQ(root_export.exit_status, 255);
  EXPECT_NE(root_export.err.find("rule 'root' does not let this caller export credentials"), std::string::npos)
      << root_export.err;

  // The executable rule: awsctl, attested through /proc, may use "by-exe".
  auto by_exe = AsUser(SignArgs("by-exe"));
  EXPECT_EQ(by_exe.exit_status, 0) << by_exe.err;

  // One audit line per call, naming the caller, its executable and the rule.
  auto lines = AuditLines(audit());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0]["event"], "audit_log_opened");
  auto find = [&](const std::string& method, const std::string& profile, const std::string& status) {
    for (const auto& line : lines) {
      if (line.value("method", "") == method && line["profile"] == profile && line["status"] == status &&
          line["uid"] == uid_) {
        return line;
      }
    }
    return nlohmann::json();
  };
  auto sign_ok = find("/awsd.v1.SigningService/Sign", "allowed", "OK");
  ASSERT_FALSE(sign_ok.is_null()) << ReadAll(audit());
  EXPECT_EQ(sign_ok["decision"], "allow");
  EXPECT_EQ(sign_ok["rule"], "test-user");
  EXPECT_EQ(sign_ok["attested"], true);
  EXPECT_EQ(sign_ok["exe"], awsctl());
  EXPECT_EQ(sign_ok["gid"], gid_);
  EXPECT_TRUE(sign_ok["latency_ms"].is_number());
  auto sign_refused = find("/awsd.v1.SigningService/Sign", "forbidden", "PERMISSION_DENIED");
  ASSERT_FALSE(sign_refused.is_null()) << ReadAll(audit());
  EXPECT_EQ(sign_refused["decision"], "deny");
  EXPECT_EQ(sign_refused["rule"], "test-user,awsctl-only");
  auto delete_refused = find("/awsd.v1.InvokeSessionService/InvokeSession", "allowed", "OK");
  auto invoke_refused = find("/awsd.v1.InvokeService/Invoke", "allowed", "PERMISSION_DENIED");
  const auto& refused_call = invoke_refused.is_null() ? delete_refused : invoke_refused;
  ASSERT_FALSE(refused_call.is_null()) << ReadAll(audit());
  EXPECT_EQ(refused_call["service"], "s3");
  EXPECT_EQ(refused_call["operation"], "DeleteObject");
  EXPECT_EQ(refused_call["decision"], "deny");
  EXPECT_EQ(refused_call["rule"], "test-user");
  auto export_refused = find("/awsd.v1.CredentialService/ExportCredentials", "allowed", "PERMISSION_DENIED");
  ASSERT_FALSE(export_refused.is_null()) << ReadAll(audit());

  ExpectNoSecretsIn(ReadAll(audit()));
  ExpectNoSecretsIn(daemon_->Log());
}

// An allowed operation reaches (a fake) AWS, and its audit line carries the
// request id AWS answered with.
TEST_F(PolicyIntegrationTest, AllowedOperationIsAuditedWithItsRequestId) {
  FakeHttpServer sts([](const http::HttpRequest&) {
    FakeResponse response;
    response.headers = {{"Content-Type", "text/xml"}, {"x-amzn-RequestId", "req-audit-1234"}};
    response.body =
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
        "<Arn>arn:aws:iam::123456789012:user/t</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>"
        "</GetCallerIdentityResult><ResponseMetadata><RequestId>req-audit-1234</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>";
    return response;
  });
  StartDaemon(Policy());
  auto who = AsUser(
      {"--profile", "allowed", "--region", "us-east-1", "--endpoint-url", sts.url(), "sts", "get-caller-identity"});
  ASSERT_EQ(who.exit_status, 0) << who.err;
  EXPECT_EQ(nlohmann::json::parse(who.out)["Account"], "123456789012");
  bool found = false;
  for (const auto& line : AuditLines(audit())) {
    if (line.value("operation", nlohmann::json()) != "GetCallerIdentity") continue;
    found = true;
    EXPECT_EQ(line["uid"], uid_);
    EXPECT_EQ(line["profile"], "allowed");
    EXPECT_EQ(line["service"], "sts");
    EXPECT_EQ(line["decision"], "allow");
    EXPECT_EQ(line["rule"], "test-user");
    EXPECT_EQ(line["request_id"], "req-audit-1234");
    EXPECT_EQ(line["status"], "OK");
  }
  EXPECT_TRUE(found) << ReadAll(audit());
  ExpectNoSecretsIn(ReadAll(audit()));
}

TEST_F(PolicyIntegrationTest, DefaultPolicyAdmitsOnlyTheDaemonsUidAndRootAndNobodyExports) {
  StartDaemon("");
  auto root_sign = AsRoot(SignArgs("allowed"));
  EXPECT_EQ(root_sign.exit_status, 0) << root_sign.err;
  auto root_export = AsRoot({"--profile", "allowed", "credential-process"});
  EXPECT_EQ(root_export.exit_status, 255);
  EXPECT_NE(root_export.err.find("default policy does not let this caller export credentials"), std::string::npos)
      << root_export.err;
  ExpectNoSecretsIn(root_export.out);

  auto user_sign = AsUser(SignArgs("allowed"));
  EXPECT_EQ(user_sign.exit_status, 255);
  EXPECT_NE(user_sign.err.find("default policy: no rule admits uid " + std::to_string(uid_)), std::string::npos)
      << user_sign.err;
  auto user_info = AsUser({"--profile", "allowed", "credentials"});
  EXPECT_EQ(user_info.exit_status, 255);
  EXPECT_NE(user_info.err.find("PERMISSION_DENIED"), std::string::npos) << user_info.err;
  // The health check needs no identity.
  EXPECT_EQ(AsUser({"health"}).exit_status, 0);
}

TEST_F(PolicyIntegrationTest, AuditLogIsReopenedOnSighup) {
  StartDaemon(Policy());
  ASSERT_EQ(AsRoot(SignArgs("allowed")).exit_status, 0);
  const auto rotated = dir_.path() / "audit.log.1";
  std::filesystem::rename(audit(), rotated);
  daemon_->Signal(SIGHUP);
  ASSERT_TRUE(daemon_->WaitForLog("audit log reopened")) << daemon_->Log();
  ASSERT_EQ(AsRoot(SignArgs("forbidden")).exit_status, 0);

  auto old_lines = AuditLines(rotated);
  auto new_lines = AuditLines(audit());
  ASSERT_GE(old_lines.size(), 2u);
  ASSERT_GE(new_lines.size(), 2u);
  EXPECT_EQ(old_lines.back()["profile"], "allowed");
  EXPECT_EQ(new_lines[0]["event"], "audit_log_opened");
  EXPECT_EQ(new_lines.back()["profile"], "forbidden");
  EXPECT_EQ(new_lines.back()["uid"], 0);
}

TEST_F(PolicyIntegrationTest, AnUnwritableAuditLogFailsClosed) {
  StartDaemon("[audit]\nfile = \"/dev/full\"\n");
  auto sign = AsRoot(SignArgs("allowed"));
  EXPECT_EQ(sign.exit_status, 255);
  EXPECT_NE(sign.err.find("UNAVAILABLE: the audit log cannot be written (cannot write /dev/full"), std::string::npos)
      << sign.err;
  EXPECT_EQ(sign.out, "");
  // What touches no identity still answers.
  EXPECT_EQ(AsRoot({"health"}).exit_status, 0);
}

TEST_F(PolicyIntegrationTest, PerCallerRateLimit) {
  StartDaemon("[caller_limits]\ncalls_per_second = 0.001\nburst = 2\n");
  int ok = 0, limited = 0;
  std::string last_err;
  for (int i = 0; i < 4; ++i) {
    auto result = AsRoot(SignArgs("allowed"));
    if (result.exit_status == 0) ++ok;
    if (result.err.find("RESOURCE_EXHAUSTED: too many calls per second for uid 0") != std::string::npos) ++limited;
    last_err = result.err;
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(limited, 1) << last_err;
  EXPECT_EQ(ok + limited, 4) << last_err;
  // Another uid has its own bucket (it is refused by the policy, not the limit).
  auto other = AsUser(SignArgs("allowed"));
  EXPECT_NE(other.err.find("PERMISSION_DENIED"), std::string::npos) << other.err;
}

}  // namespace
}  // namespace awsd::test_support
