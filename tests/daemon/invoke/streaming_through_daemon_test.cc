// 1 GiB up (S3 PutObject) and down (GetObject) through a real awsd over
// InvokeStream, against a local server that generates and drops the bytes:
// the daemon's peak RSS must stay under 100 MB, and every byte must arrive.

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "awsd/client.h"
#include "tests/support/daemon_process.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"


// gcc says so with __SANITIZE_*__, clang with __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define AWSD_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define AWSD_SANITIZED 1
#endif
#endif
#ifndef AWSD_SANITIZED
#define AWSD_SANITIZED 0
#endif
namespace awsd {
namespace {

using test_support::DaemonProcess;
using test_support::FakeHttpServer;
using test_support::FakeResponse;
using test_support::TempDir;

constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t kMaxDaemonRssBytes = 100ull << 20;

// The peak resident set of `pid` (VmHWM), in bytes.
uint64_t PeakRss(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

class StreamingThroughDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeHttpServer::Options options;
    options.discard_request_bodies = true;
    options.read_timeout = std::chrono::seconds(30);
    server_ = std::make_unique<FakeHttpServer>(
        [](const http::HttpRequest& request) {
          FakeResponse response;
          response.headers = {{"x-amz-request-id", "r1"}, {"ETag", "\"etag\""}};
          if (request.method == "GET") {
            response.headers.push_back({"Content-Type", "binary/octet-stream"});
            response.generated_body_bytes = kGiB;
          }
          return response;
        },
        options);
    DaemonProcess::Options daemon;
    daemon.args = {"--socket", socket()};
    daemon.env = {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                  {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                  {"AWS_REGION", "us-east-1"},
                  {"AWS_ENDPOINT_URL", server_->url()},
                  {"AWS_EC2_METADATA_DISABLED", "true"}};
    daemon_ = std::make_unique<DaemonProcess>(daemon, dir_.path() / "awsd.log");
    ASSERT_TRUE(daemon_->WaitUntilServing(socket())) << daemon_->Log();
  }

  std::string socket() const { return (dir_.path() / "awsd.sock").string(); }

  TempDir dir_;
  std::unique_ptr<FakeHttpServer> server_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(StreamingThroughDaemonTest, OneGibibyteUpAndDownInBoundedMemory) {
  Client client({.socket_path = socket(), .timeout = std::chrono::minutes(5)});

  v1::InvokeRequest put;
  put.set_service("s3");
  put.set_operation("PutObject");
  put.set_params_json(R"({"Bucket":"bucket","Key":"big"})");
  const std::string piece(1 << 20, 'x');
  uint64_t sent = 0;
  auto uploaded = client.InvokeStreaming(
      Session::Default(), put,
      [&]() -> std::optional<std::string> {
        if (sent == kGiB) return std::nullopt;
        sent += piece.size();
        return piece;
      },
      static_cast<int64_t>(kGiB), nullptr);
  ASSERT_TRUE(uploaded.ok()) << uploaded.error().ToString() << "\n" << daemon_->Log();
  EXPECT_EQ(server_->discarded_body_bytes(), kGiB);
  EXPECT_NE(uploaded->result_json().find("\"ETag\""), std::string::npos) << uploaded->result_json();

  v1::InvokeRequest get;
  get.set_service("s3");
  get.set_operation("GetObject");
  get.set_params_json(R"({"Bucket":"bucket","Key":"big"})");
  uint64_t received = 0;
  bool in_order = true;
  auto downloaded = client.InvokeStreaming(Session::Default(), get, nullptr, -1, [&](std::string_view chunk) {
    // The server's byte i is i % 251.
    for (std::size_t i = 0; i < chunk.size(); i += 4093) {
      in_order &= static_cast<unsigned char>(chunk[i]) == (received + i) % 251;
    }
    received += chunk.size();
    return true;
  });
  ASSERT_TRUE(downloaded.ok()) << downloaded.error().ToString() << "\n" << daemon_->Log();
  EXPECT_EQ(received, kGiB);
  EXPECT_TRUE(in_order);
  EXPECT_EQ(downloaded->result_json().find("\"Body\""), std::string::npos) << downloaded->result_json();
  EXPECT_NE(downloaded->result_json().find("\"ContentLength\":1073741824"), std::string::npos)
      << downloaded->result_json();

  const uint64_t peak = PeakRss(daemon_->pid());
  std::printf("daemon peak RSS after 1 GiB up and down: %.1f MiB\n", peak / 1048576.0);
  EXPECT_GT(peak, 0u);
#if AWSD_SANITIZED
  // A sanitizer's shadow memory and quarantine are not the daemon's: the
  // bound holds for the real build; here the bytes are still all checked.
  std::printf("sanitizer build: the %llu MiB bound is not asserted\n",
              static_cast<unsigned long long>(kMaxDaemonRssBytes >> 20));
#else
  EXPECT_LT(peak, kMaxDaemonRssBytes);
#endif
}

}  // namespace
}  // namespace awsd
