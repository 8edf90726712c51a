#include "daemon/credentials/process_provider.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "daemon/credentials/shell_split.h"
#include "tests/support/daemon_process.h"

namespace awsd::credentials {
namespace {

using test_support::TempDir;
using test_support::WriteFile;

TEST(ShellSplitTest, SplitsAsPythonsShlexDoes) {
  auto words = ShellSplit(R"(  helper --profile 'my profile' "a \"b\" \c" x\ y ''  )");
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(*words, (std::vector<std::string>{"helper", "--profile", "my profile", "a \"b\" \\c", "x y", ""}));
  EXPECT_FALSE(ShellSplit("helper 'open").ok());
  EXPECT_FALSE(ShellSplit("helper \"open").ok());
  EXPECT_FALSE(ShellSplit("helper \\").ok());
  EXPECT_TRUE(ShellSplit("   ")->empty());
}

class ProcessProviderTest : public ::testing::Test {
 protected:
  std::string Script(const std::string& body) {
    auto path = dir_.path() / ("helper" + std::to_string(++scripts_) + ".sh");
    WriteFile(path, "#!/bin/sh\n" + body);
    chmod(path.c_str(), 0700);
    return path.string();
  }
  TempDir dir_;
  int scripts_ = 0;
};

TEST_F(ProcessProviderTest, ReadsVersionOneJson) {
  ProcessProvider provider(Script(R"(echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "sec",
  "SessionToken": "tok", "Expiration": "2030-01-02T03:04:05Z"}')"));
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ((*credentials)->access_key_id, "AKIDPROC");
  EXPECT_EQ((*credentials)->secret_access_key.view(), "sec");
  EXPECT_EQ((*credentials)->session_token.view(), "tok");
  EXPECT_EQ((*credentials)->source, "custom-process");
  ASSERT_TRUE((*credentials)->expiration.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*credentials)->expiration), 1893553445);
}

TEST_F(ProcessProviderTest, ArgumentsArePassedWithoutAShell) {
  auto script = Script(R"(printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "s"}' "$1")");
  ProcessProvider provider(script + " 'two words;$HOME'");
  auto credentials = provider.Resolve();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ((*credentials)->access_key_id, "two words;$HOME");
}

TEST_F(ProcessProviderTest, FailuresSayWhatWentWrong) {
  auto message = [](ProcessProvider provider) { return std::string(provider.Resolve().status().message()); };
  EXPECT_EQ(message(ProcessProvider(Script("echo 'token expired, run login' >&2; exit 3"))),
            "Error when retrieving credentials from custom-process: token expired, run login");
  EXPECT_EQ(message(ProcessProvider(Script(R"(echo '{"Version": 2}')"))),
            "Error when retrieving credentials from custom-process: Unsupported version '2' for credential process "
            "provider, supported versions: 1");
  EXPECT_EQ(message(ProcessProvider(Script(R"(echo '{"Version": 1, "AccessKeyId": "A"}')"))),
            "Error when retrieving credentials from custom-process: Missing required key in response: "
            "'SecretAccessKey'");
  EXPECT_NE(message(ProcessProvider(Script("echo not json"))).find("JSON"), std::string::npos);
  EXPECT_NE(message(ProcessProvider("/nonexistent/helper")).find("cannot run"), std::string::npos);
}

TEST_F(ProcessProviderTest, AHungHelperIsKilledAtTheTimeout) {
  ProcessProvider provider(Script("sleep 30"), std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  auto credentials = provider.Resolve();
  EXPECT_FALSE(credentials.ok());
  EXPECT_NE(std::string(credentials.status().message()).find("did not finish"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(ProcessProviderTest, AFloodingHelperIsStoppedAtTheOutputCap) {
  ProcessProvider provider(Script("while :; do echo AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; done"),
                           std::chrono::seconds(30));
  auto start = std::chrono::steady_clock::now();
  auto credentials = provider.Resolve();
  ASSERT_FALSE(credentials.ok());
  const std::string message(credentials.status().message());
  EXPECT_NE(message.find("printed more than"), std::string::npos) << message;
  EXPECT_EQ(message.find("AAAA"), std::string::npos) << "stdout copied into the error";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST_F(ProcessProviderTest, TheTimeoutKillsTheHelpersWholeProcessGroup) {
  const auto pid_file = dir_.path() / "child.pid";
  ProcessProvider provider(Script("sleep 60 & echo $! > " + pid_file.string() + "; wait"),
                           std::chrono::milliseconds(300));
  EXPECT_FALSE(provider.Resolve().ok());
  std::ifstream in(pid_file);
  pid_t child = 0;
  ASSERT_TRUE(in >> child);
  // Killed at once; reaped by whoever adopted it shortly after.
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string pid_field, name, state;
    gone = !(stat >> pid_field >> name >> state) || state == "Z";
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone) << "the helper's child " << child << " outlived the timeout";
}

}  // namespace
}  // namespace awsd::credentials

namespace awsd::credentials {
namespace {

// Found by credentials_json_fuzzer: an Expiration outside what system_clock
// holds was saturated, and the cache's arithmetic on it overflowed.
TEST(ParseProcessOutputTest, ExpirationsOutOfRangeAreRefused) {
  for (const char* year : {"1013", "9999"}) {
    const std::string output = std::string(R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", )") +
                               R"("Expiration": ")" + year + R"(-01-01T00:00:00Z"})";
    auto credentials = ParseProcessOutput(output, "");
    ASSERT_FALSE(credentials.ok()) << year;
    EXPECT_NE(credentials.status().message().find("Expiration is out of range"), std::string::npos);
  }
  auto fine = ParseProcessOutput(
      R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2030-01-01T00:00:00Z"})", "1");
  ASSERT_TRUE(fine.ok()) << fine.status();
  EXPECT_EQ((*fine)->account_id, "1");
}

}  // namespace
}  // namespace awsd::credentials
