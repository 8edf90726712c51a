// Profiles from the daemon's AWS config and credentials files, seen through
// awsctl: which provider answers, unknown profiles, broken files, SIGHUP.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/support/daemon_process.h"

namespace awsd::test_support {
namespace {

class AwsctlProfilesTest : public ::testing::Test {
 protected:
  std::string socket() const { return (dir_.path() / "awsd.sock").string(); }
  std::filesystem::path config() const { return dir_.path() / "config"; }
  std::filesystem::path credentials() const { return dir_.path() / "credentials"; }

  void StartDaemon(std::map<std::string, std::string> env = {}) {
    DaemonProcess::Options options;
    options.args = {"--socket", socket()};
    options.env = {{"AWS_CONFIG_FILE", config().string()}, {"AWS_SHARED_CREDENTIALS_FILE", credentials().string()}};
    for (auto& [k, v] : env) options.env[k] = v;
    daemon_ = std::make_unique<DaemonProcess>(options, dir_.path() / "awsd.log");
    ASSERT_TRUE(daemon_->WaitUntilServing(socket())) << daemon_->Log();
  }

  ProcessResult Awsctl(std::vector<std::string> args) {
    std::vector<std::string> argv = {BinaryPath("awsctl"), "--socket", socket()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProgram(argv);
  }

  TempDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(AwsctlProfilesTest, EachFileAnswersAsItsOwnProvider) {
  WriteFile(credentials(), "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n"
                           "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s2\n");
  WriteFile(config(), "[default]\nregion = eu-west-1\n"
                      "[profile ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = s3\nregion = us-west-2\n");
  StartDaemon();

  auto by_default = Awsctl({"credentials"});
  ASSERT_EQ(by_default.exit_status, 0) << by_default.err;
  auto out = nlohmann::json::parse(by_default.out);
  EXPECT_EQ(out["source"], "shared-credentials-file");
  EXPECT_EQ(out["access_key_id"], "AKIDDEFAULT");

  auto dev = nlohmann::json::parse(Awsctl({"--profile", "dev", "credentials"}).out);
  EXPECT_EQ(dev["source"], "shared-credentials-file");
  EXPECT_EQ(dev["access_key_id"], "AKIDDEV");

  auto ops = nlohmann::json::parse(Awsctl({"--profile", "ops", "credentials"}).out);
  EXPECT_EQ(ops["source"], "config-file");
  EXPECT_EQ(ops["access_key_id"], "AKIDOPS");
  EXPECT_EQ(Awsctl({"--profile", "ops", "credentials"}).out.find("s3"), std::string::npos);
}

TEST_F(AwsctlProfilesTest, EnvironmentWinsUnlessAProfileIsNamed) {
  WriteFile(credentials(), "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s1\n"
                           "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s2\n");
  StartDaemon({{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "senv"}});
  auto implicit = nlohmann::json::parse(Awsctl({"credentials"}).out);
  EXPECT_EQ(implicit["source"], "env");
  EXPECT_EQ(implicit["access_key_id"], "AKIDENV");
  auto named = nlohmann::json::parse(Awsctl({"--profile", "dev", "credentials"}).out);
  EXPECT_EQ(named["source"], "shared-credentials-file");
  EXPECT_EQ(named["access_key_id"], "AKIDDEV");
}

TEST_F(AwsctlProfilesTest, UnknownProfileIsAConfigError) {
  WriteFile(config(), "[default]\nregion = eu-west-1\n");
  StartDaemon();
  auto result = Awsctl({"--profile", "nope", "credentials"});
  EXPECT_EQ(result.exit_status, 253);
  EXPECT_NE(result.err.find("The config profile (nope) could not be found"), std::string::npos) << result.err;
}

TEST_F(AwsctlProfilesTest, HalfAKeyPairNamesTheFileButNotTheKey) {
  WriteFile(credentials(), "[default]\naws_access_key_id = AKIDHALF\n");
  StartDaemon();
  auto result = Awsctl({"credentials"});
  EXPECT_EQ(result.exit_status, 253);
  EXPECT_NE(result.err.find(credentials().string()), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("aws_secret_access_key"), std::string::npos) << result.err;
}

TEST_F(AwsctlProfilesTest, BrokenFileIsReportedWithItsLineAndMendedBySighup) {
  WriteFile(config(), "[default]\nregion = eu-west-1\nthis line is not a key\n");
  WriteFile(credentials(), "[default]\naws_access_key_id = AKIDSECRETVALUE\naws_secret_access_key = hunter2\n");
  StartDaemon();
  auto broken = Awsctl({"credentials"});
  EXPECT_EQ(broken.exit_status, 253);
  EXPECT_NE(broken.err.find(config().string() + ":3"), std::string::npos) << broken.err;
  EXPECT_NE(daemon_->Log().find(config().string() + ":3"), std::string::npos) << daemon_->Log();
  // Explicit keys still work while the files are broken.
  EXPECT_EQ(Awsctl({"--access-key-id", "AKID", "--secret-access-key", "s", "credentials"}).exit_status, 0);

  WriteFile(config(), "[default]\nregion = eu-west-1\n");
  daemon_->Signal(SIGHUP);
  ASSERT_TRUE(daemon_->WaitForLog("reloaded the AWS config files")) << daemon_->Log();
  auto mended = Awsctl({"credentials"});
  ASSERT_EQ(mended.exit_status, 0) << mended.err;
  EXPECT_EQ(nlohmann::json::parse(mended.out)["access_key_id"], "AKIDSECRETVALUE");
  EXPECT_EQ(daemon_->Log().find("hunter2"), std::string::npos);
}

TEST_F(AwsctlProfilesTest, SighupPicksUpANewProfile) {
  WriteFile(credentials(), "[default]\naws_access_key_id = AKIDA\naws_secret_access_key = s\n");
  StartDaemon();
  EXPECT_EQ(Awsctl({"--profile", "late", "credentials"}).exit_status, 253);
  WriteFile(credentials(), "[default]\naws_access_key_id = AKIDA\naws_secret_access_key = s\n"
                           "[late]\naws_access_key_id = AKIDLATE\naws_secret_access_key = s\n");
  daemon_->Signal(SIGHUP);
  ASSERT_TRUE(daemon_->WaitForLog("reloaded the AWS config files")) << daemon_->Log();
  auto late = Awsctl({"--profile", "late", "credentials"});
  ASSERT_EQ(late.exit_status, 0) << late.err;
  EXPECT_EQ(nlohmann::json::parse(late.out)["access_key_id"], "AKIDLATE");
}

TEST_F(AwsctlProfilesTest, CredentialProcessRunsOncePerExpiryForEveryCaller) {
  auto helper = dir_.path() / "helper.sh";
  auto runs = dir_.path() / "runs";
  WriteFile(helper, "#!/bin/sh\necho run >> '" + runs.string() + "'\n"
                    "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"procsecret\", "
                    "\"Expiration\": \"2099-01-01T00:00:00Z\"}'\n");
  chmod(helper.c_str(), 0700);
  WriteFile(config(), "[profile proc]\ncredential_process = " + helper.string() + "\n");
  StartDaemon();
  for (int i = 0; i < 3; ++i) {
    auto result = Awsctl({"--profile", "proc", "credentials"});
    ASSERT_EQ(result.exit_status, 0) << result.err;
    auto out = nlohmann::json::parse(result.out);
    EXPECT_EQ(out["source"], "custom-process");
    EXPECT_EQ(out["access_key_id"], "AKIDPROC");
    EXPECT_EQ(out["expiration"], "2099-01-01T00:00:00Z");
    EXPECT_EQ(result.out.find("procsecret"), std::string::npos);
  }
  std::ifstream in(runs);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) ++count;
  EXPECT_EQ(count, 1) << "the helper should run once for all three calls";
}

TEST_F(AwsctlProfilesTest, FailingCredentialProcessIsANoCredentialsError) {
  auto helper = dir_.path() / "helper.sh";
  WriteFile(helper, "#!/bin/sh\necho 'SSO session expired' >&2\nexit 1\n");
  chmod(helper.c_str(), 0700);
  WriteFile(config(), "[default]\ncredential_process = " + helper.string() + "\n");
  StartDaemon();
  auto result = Awsctl({"credentials"});
  EXPECT_EQ(result.exit_status, 253);
  EXPECT_NE(result.err.find("Error when retrieving credentials from custom-process: SSO session expired"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace awsd::test_support
