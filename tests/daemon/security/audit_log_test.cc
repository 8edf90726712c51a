#include "daemon/security/audit_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/security/audit_record.h"
#include "nlohmann/json.hpp"
#include "tests/support/temp_dir.h"

namespace awsd::security {
namespace {

std::vector<nlohmann::json> Lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(AuditRecord, OneLineOfJsonWithEveryField) {
  AuditRecord r;
  r.time = std::chrono::system_clock::from_time_t(1700000000) + std::chrono::milliseconds(250);
  r.caller.uid = 1001;
  r.caller.gid = 1002;
  r.caller.pid = 77;
  r.caller.attested = true;
  r.caller.exe = "/usr/bin/python3";
  r.caller.cgroup = "/user.slice";
  r.method = "/awsd.v1.InvokeService/Invoke";
  r.profile = "dev";
  r.service = "s3";
  r.operation = "DeleteObject";
  r.decision = "deny";
  r.rule = "devs";
  r.reason = "rule 'devs' denies s3:DeleteObject";
  r.latency_ms = 1.23456;
  r.grpc_code = 7;
  const std::string text = ToJsonLine(r);
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);
  auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["time"], "2023-11-14T22:13:20.250Z");
  EXPECT_EQ(j["uid"], 1001);
  EXPECT_EQ(j["gid"], 1002);
  EXPECT_EQ(j["pid"], 77);
  EXPECT_EQ(j["attested"], true);
  EXPECT_EQ(j["exe"], "/usr/bin/python3");
  EXPECT_EQ(j["cgroup"], "/user.slice");
  EXPECT_EQ(j["profile"], "dev");
  EXPECT_EQ(j["service"], "s3");
  EXPECT_EQ(j["operation"], "DeleteObject");
  EXPECT_EQ(j["decision"], "deny");
  EXPECT_EQ(j["rule"], "devs");
  EXPECT_TRUE(j["request_id"].is_null());
  EXPECT_DOUBLE_EQ(j["latency_ms"].get<double>(), 1.234);
  EXPECT_EQ(j["status"], "PERMISSION_DENIED");
  EXPECT_EQ(j["status_code"], 7);
}

TEST(AuditLog, OffWritesNothingAndIsHealthy) {
  AuditLog log;
  EXPECT_FALSE(log.enabled());
  EXPECT_TRUE(log.Write("{}\n").ok());
  EXPECT_TRUE(log.Health().ok());
}

TEST(AuditLog, AppendsAndReopensAfterRotation) {
  test_support::TempDir dir;
  const auto path = dir.path() / "audit.log";
  AuditLog log;
  ASSERT_TRUE(log.Configure(path.string()).ok());
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(log.Write("{\"n\":1}\n").ok());

  // logrotate: move the file away, then SIGHUP reopens the path.
  const auto rotated = dir.path() / "audit.log.1";
  std::filesystem::rename(path, rotated);
  ASSERT_TRUE(log.Write("{\"n\":2}\n").ok());  // still the old file
  ASSERT_TRUE(log.Reopen().ok());
  ASSERT_TRUE(log.Write("{\"n\":3}\n").ok());

  auto old_lines = Lines(rotated);
  ASSERT_EQ(old_lines.size(), 3u);
  EXPECT_EQ(old_lines[0]["event"], "audit_log_opened");
  EXPECT_EQ(old_lines[1]["n"], 1);
  EXPECT_EQ(old_lines[2]["n"], 2);
  auto new_lines = Lines(path);
  ASSERT_EQ(new_lines.size(), 2u);
  EXPECT_EQ(new_lines[0]["event"], "audit_log_opened");
  EXPECT_EQ(new_lines[1]["n"], 3);
}

TEST(AuditLog, AFullDeviceIsUnhealthyFromTheStart) {
  AuditLog log;
  const absl::Status opened = log.Configure("/dev/full");
  EXPECT_EQ(opened.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(log.enabled());
  const absl::Status health = log.Health();
  EXPECT_EQ(health.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(health.message().find("cannot write /dev/full"), std::string::npos) << health.message();
  EXPECT_NE(health.message().find("refused"), std::string::npos) << health.message();
  EXPECT_FALSE(log.Write("{}\n").ok());
  EXPECT_FALSE(log.Health().ok());
}

// A directory that is missing (root writes through a read-only mode, so a
// missing one is what fails for every user).
TEST(AuditLog, AnUnwritableDirectoryFailsClosedUntilFixed) {
  test_support::TempDir dir;
  const auto sub = dir.path() / "gone";
  AuditLog log;
  EXPECT_EQ(log.Configure((sub / "audit.log").string()).code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(log.Health().message().find("cannot open"), std::string::npos) << log.Health().message();
  // The directory appears: the next write opens the file and heals the log.
  std::filesystem::create_directory(sub);
  EXPECT_TRUE(log.Write("{\"n\":1}\n").ok());
  EXPECT_TRUE(log.Health().ok());
  EXPECT_EQ(Lines(sub / "audit.log").size(), 1u);
}

TEST(AuditLog, ConfigureWithNothingTurnsItOff) {
  AuditLog log;
  log.Configure("/dev/full").IgnoreError();
  ASSERT_FALSE(log.Health().ok());
  ASSERT_TRUE(log.Configure(std::nullopt).ok());
  EXPECT_FALSE(log.enabled());
  EXPECT_TRUE(log.Health().ok());
}

}  // namespace
}  // namespace awsd::security
