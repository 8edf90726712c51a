// /metrics of a real awsd: off by default, on a Unix socket or a loopback
// port when configured, counting the calls made and never showing a secret.
#include <arpa/inet.h>
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "awsd/client.h"
#include "awsd/v1/credentials.grpc.pb.h"
#include "awsd/v1/daemon.grpc.pb.h"
#include "awsd/v1/invoke.grpc.pb.h"
#include "awsd/v1/session.grpc.pb.h"
#include "awsd/v1/signing.grpc.pb.h"
#include "tests/support/daemon_process.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/raw_http.h"

namespace awsd::test_support {
namespace {

using test_support::FakeHttpServer;
using test_support::FakeResponse;

// What the credential_process hands the daemon, and the caller's own keys:
// none may show in a scrape.
constexpr char kProcessKeyId[] = "AKIDMETRICSPROCESS01";
constexpr char kProcessSecret[] = "procSecretMetricsCanary0123456789abcdefXY";
constexpr char kProcessToken[] = "procTokenMetricsCanary0123456789abcdefZZ";
constexpr char kExplicitSecret[] = "explicitSecretMetricsCanary0123456789abc";

constexpr char kScrape[] = "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n";

// The body of a 200 reply; fails the test otherwise.
std::string Body(const std::string& reply) {
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply.substr(0, 200);
  EXPECT_NE(reply.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), std::string::npos);
  const std::size_t body = reply.find("\r\n\r\n");
  return body == std::string::npos ? "" : reply.substr(body + 4);
}

// The value of the sample written exactly `series` (name{labels}), 0 when
// the scrape has no such line.
double Sample(const std::string& scrape, const std::string& series) {
  std::istringstream lines(scrape);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return 0;
}

bool HasSeries(const std::string& scrape, const std::string& series) {
  return scrape.find("\n" + series + " ") != std::string::npos;
}

uint16_t FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// Inodes of the sockets process `pid` holds.
std::set<std::string> SocketInodes(pid_t pid) {
  std::set<std::string> inodes;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    std::error_code error;
    const std::string target = std::filesystem::read_symlink(entry.path(), error).string();
    if (!error && target.starts_with("socket:[")) inodes.insert(target.substr(8, target.size() - 9));
  }
  return inodes;
}

// How many of `inodes` are listening sockets in a /proc/net table: TCP rows
// in state 0A (LISTEN), or Unix rows flagged __SO_ACCEPTCON.
int ListeningAmong(const std::string& table, const std::set<std::string>& inodes) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // the header
  int listening = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> columns;
    for (std::string column; fields >> column;) columns.push_back(column);
    if (table.ends_with("unix")) {
      // Num RefCount Protocol Flags Type St Inode [Path]
      if (columns.size() >= 7 && inodes.contains(columns[6]) && columns[3] == "00010000") ++listening;
    } else if (columns.size() >= 10 && inodes.contains(columns[9]) && columns[3] == "0A") {
      ++listening;
    }
  }
  return listening;
}

class MetricsEndpointTest : public ::testing::Test {
 protected:
  std::string socket() const { return (dir_.path() / "awsd.sock").string(); }

  std::unique_ptr<DaemonProcess> Start(const std::string& config_toml) {
    const auto script = dir_.path() / "credentials.sh";
    WriteFile(script, std::string("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"") + kProcessKeyId +
                          "\", \"SecretAccessKey\": \"" + kProcessSecret + "\", \"SessionToken\": \"" + kProcessToken +
                          "\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n");
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    WriteFile(dir_.path() / "aws_config",
              "[profile proc]\nregion = us-east-1\ncredential_process = " + script.string() + "\n");
    DaemonProcess::Options options;
    options.args = {"--socket", socket()};
    if (!config_toml.empty()) {
      WriteFile(dir_.path() / "awsd.toml", config_toml);
      options.args.insert(options.args.end(), {"--config", (dir_.path() / "awsd.toml").string()});
    }
    options.env = {{"AWS_CONFIG_FILE", (dir_.path() / "aws_config").string()},
                   {"AWS_EC2_METADATA_DISABLED", "true"},
                   {"AWS_DEFAULT_REGION", "us-east-1"}};
    auto daemon = std::make_unique<DaemonProcess>(options, dir_.path() / "awsd.log");
    EXPECT_TRUE(daemon->WaitUntilServing(socket())) << daemon->Log();
    channel_ = grpc::CreateChannel("unix:" + socket(), grpc::InsecureChannelCredentials());
    return daemon;
  }

  awsd::v1::Session CreateSession(const awsd::v1::SessionSpec& spec) {
    awsd::v1::CreateSessionRequest request;
    *request.mutable_spec() = spec;
    awsd::v1::Session session;
    grpc::ClientContext context;
    const grpc::Status status = awsd::v1::SessionService::NewStub(channel_)->CreateSession(&context, request, &session);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return session;
  }

  grpc::Status Sign(const awsd::v1::Session& session) {
    awsd::v1::SignRequest request;
    request.mutable_session()->set_session_id(session.session_id());
    request.mutable_request()->set_method("GET");
    request.mutable_request()->set_url("https://examplebucket.s3.amazonaws.com/object");
    request.set_service("s3");
    request.set_region("us-east-1");
    awsd::v1::SignResponse reply;
    grpc::ClientContext context;
    return awsd::v1::SigningService::NewStub(channel_)->Sign(&context, request, &reply);
  }

  TempDir dir_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(MetricsEndpointTest, UnixSocketCountsCallsAndRefreshesAndShowsNoSecret) {
  const std::string metrics_socket = (dir_.path() / "metrics" / "metrics.sock").string();
  auto daemon = Start("[metrics]\nsocket = \"" + metrics_socket + "\"\n");
  ASSERT_TRUE(daemon->WaitForLog("metrics: GET /metrics on unix:" + metrics_socket)) << daemon->Log();
  struct stat st {};
  ASSERT_EQ(lstat(metrics_socket.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  const std::string before = Body(ExchangeUnix(metrics_socket, kScrape));
  awsd::v1::SessionSpec profile;
  profile.set_profile("proc");
  const awsd::v1::Session session = CreateSession(profile);
  constexpr int kSigns = 3;
  for (int i = 0; i < kSigns; ++i) ASSERT_TRUE(Sign(session).ok());
  // A credential lookup.
  {
    awsd::v1::GetCredentialInfoRequest request;
    request.mutable_session()->set_session_id(session.session_id());
    awsd::v1::CredentialInfo info;
    grpc::ClientContext context;
    ASSERT_TRUE(awsd::v1::CredentialService::NewStub(channel_)->GetCredentialInfo(&context, request, &info).ok());
    EXPECT_EQ(info.source(), "custom-process");
  }
  // A session with the caller's own keys, and a refused call.
  awsd::v1::SessionSpec explicit_keys;
  explicit_keys.mutable_explicit_credentials()->set_access_key_id("AKIDMETRICSEXPLICIT1");
  explicit_keys.mutable_explicit_credentials()->set_secret_access_key(kExplicitSecret);
  ASSERT_TRUE(Sign(CreateSession(explicit_keys)).ok());
  awsd::v1::SignRequest no_session;
  {
    awsd::v1::SignResponse reply;
    grpc::ClientContext context;
    EXPECT_FALSE(awsd::v1::SigningService::NewStub(channel_)->Sign(&context, no_session, &reply).ok());
  }
  const std::string after = Body(ExchangeUnix(metrics_socket, kScrape));

  const std::string sign_ok =
      R"(awsd_calls_total{rpc="awsd.v1.SigningService/Sign",service="s3",operation="",code="OK"})";
  EXPECT_EQ(Sample(after, sign_ok) - Sample(before, sign_ok), kSigns + 1) << after;
  const std::string sign_count =
      R"(awsd_call_duration_seconds_count{rpc="awsd.v1.SigningService/Sign",service="s3",operation=""})";
  EXPECT_EQ(Sample(after, sign_count) - Sample(before, sign_count), kSigns + 1);
  const std::string sign_inf =
      R"(awsd_call_duration_seconds_bucket{rpc="awsd.v1.SigningService/Sign",service="s3",operation="",le="+Inf"})";
  EXPECT_EQ(Sample(after, sign_inf) - Sample(before, sign_inf), kSigns + 1);
  const std::string info_ok =
      R"(awsd_calls_total{rpc="awsd.v1.CredentialService/GetCredentialInfo",service="",operation="",code="OK"})";
  EXPECT_EQ(Sample(after, info_ok) - Sample(before, info_ok), 1);
  const std::string sessions_ok =
      R"(awsd_calls_total{rpc="awsd.v1.SessionService/CreateSession",service="",operation="",code="OK"})";
  EXPECT_EQ(Sample(after, sessions_ok) - Sample(before, sessions_ok), 2);
  // The call without a session ended before it was put to the policy.
  double refused = 0;
  std::istringstream lines(after);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(R"(awsd_calls_total{rpc="awsd.v1.SigningService/Sign")") && !line.ends_with(" 0") &&
        line.find("code=\"OK\"") == std::string::npos) {
      refused += std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  EXPECT_EQ(refused, 1) << after;

  // The process ran once; the other lookups were served from the cache.
  const std::string labels = R"({profile="proc",source="custom-process"})";
  EXPECT_EQ(Sample(after, "awsd_credential_refreshes_total" + labels), 1) << after;
  EXPECT_EQ(Sample(after, "awsd_credential_refresh_failures_total" + labels), 0);
  EXPECT_GE(Sample(after, "awsd_credential_cache_hits_total" + labels), kSigns - 1);
  ASSERT_TRUE(HasSeries(after, "awsd_credential_age_seconds" + labels)) << after;
  EXPECT_GE(Sample(after, "awsd_credential_age_seconds" + labels), 0);
  EXPECT_LT(Sample(after, "awsd_credential_age_seconds" + labels), 120);

  for (const char* secret : {kProcessSecret, kProcessToken, kExplicitSecret, kProcessKeyId}) {
    EXPECT_EQ(after.find(secret), std::string::npos) << secret;
  }
  // Only GET /metrics.
  EXPECT_TRUE(ExchangeUnix(metrics_socket, "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
  EXPECT_TRUE(ExchangeUnix(metrics_socket, "POST /metrics HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405 "));

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->WaitForExit(), 0);
  EXPECT_FALSE(std::filesystem::exists(metrics_socket)) << "the metrics socket outlived the daemon";
}

TEST_F(MetricsEndpointTest, LoopbackPortCountsExactlyTheCallsMade) {
  const uint16_t port = FreeLoopbackPort();
  auto daemon = Start("[metrics]\nport = " + std::to_string(port) + "\n");
  ASSERT_TRUE(daemon->WaitForLog("metrics: GET /metrics on 127.0.0.1:" + std::to_string(port))) << daemon->Log();
  const std::string ping = R"(awsd_calls_total{rpc="awsd.v1.DaemonService/Ping",service="",operation="",code="OK"})";
  const std::string ping_count =
      R"(awsd_call_duration_seconds_count{rpc="awsd.v1.DaemonService/Ping",service="",operation=""})";
  const std::string before = Body(ExchangeTcp(port, kScrape));
  auto stub = awsd::v1::DaemonService::NewStub(channel_);
  constexpr int kPings = 5;
  for (int i = 0; i < kPings; ++i) {
    grpc::ClientContext context;
    awsd::v1::PingResponse reply;
    ASSERT_TRUE(stub->Ping(&context, awsd::v1::PingRequest(), &reply).ok());
  }
  const std::string after = Body(ExchangeTcp(port, kScrape));
  EXPECT_EQ(Sample(after, ping) - Sample(before, ping), kPings) << after;
  EXPECT_EQ(Sample(after, ping_count) - Sample(before, ping_count), kPings);
  EXPECT_NE(after.find("# TYPE awsd_call_duration_seconds histogram\n"), std::string::npos);
  // Listening on loopback alone, and only for this.
  const std::set<std::string> inodes = SocketInodes(daemon->pid());
  EXPECT_EQ(ListeningAmong("/proc/net/tcp", inodes), 1);
  EXPECT_EQ(ListeningAmong("/proc/net/tcp6", inodes), 0);
}

TEST_F(MetricsEndpointTest, InvokeCountsUpstreamAttemptsAndRetries) {
  // DynamoDB answers 503 once, then succeeds: two attempts, one retry.
  std::atomic<int> requests{0};
  FakeHttpServer server([&](const http::HttpRequest&) {
    FakeResponse response;
    response.status = requests++ == 0 ? 503 : 200;
    response.headers = {{"Content-Type", "application/x-amz-json-1.0"}};
    response.body = response.status == 200 ? R"({"TableNames":[]})" : "{}";
    return response;
  });
  const uint16_t port = FreeLoopbackPort();
  WriteFile(dir_.path() / "awsd.toml", "[metrics]\nport = " + std::to_string(port) + "\n");
  DaemonProcess::Options options = DaemonProcess::Options::AgainstFakeAws(socket(), server.url());
  options.args.insert(options.args.end(), {"--config", (dir_.path() / "awsd.toml").string()});
  options.env["AWS_RETRY_MODE"] = "standard";
  DaemonProcess daemon(options, dir_.path() / "awsd.log");
  ASSERT_TRUE(daemon.WaitUntilServing(socket())) << daemon.Log();
  ASSERT_TRUE(daemon.WaitForLog("metrics: GET /metrics on 127.0.0.1:" + std::to_string(port))) << daemon.Log();

  // The unary RPC first; the client library's calls below ride an
  // InvokeSession stream and are counted one by one as they end.
  channel_ = grpc::CreateChannel("unix:" + socket(), grpc::InsecureChannelCredentials());
  awsd::v1::InvokeRequest request;
  request.set_service("dynamodb");
  request.set_operation("ListTables");
  request.set_params_json("{}");
  awsd::v1::InvokeResponse reply;
  grpc::ClientContext context;
  const grpc::Status status = awsd::v1::InvokeService::NewStub(channel_)->Invoke(&context, request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message() << daemon.Log();
  ASSERT_TRUE(reply.has_result_json()) << reply.DebugString();
  ASSERT_EQ(requests.load(), 2);
  awsd::Client client({.socket_path = socket()});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.Invoke(awsd::Session::Default(), request).ok());
  ASSERT_EQ(requests.load(), 5);
  const std::string scrape = Body(ExchangeTcp(port, kScrape));
  const std::string invoke_labels = R"({rpc="awsd.v1.InvokeService/Invoke",service="dynamodb",operation="ListTables")";
  EXPECT_EQ(Sample(scrape, "awsd_calls_total" + invoke_labels + R"(,code="OK"})"), 4) << scrape;
  EXPECT_EQ(Sample(scrape, "awsd_call_duration_seconds_count" + invoke_labels + "}"), 4) << scrape;
  const std::string labels = R"({service="dynamodb",region="us-east-1"})";
  EXPECT_EQ(Sample(scrape, "awsd_upstream_attempts_total" + labels), 5) << scrape;
  EXPECT_EQ(Sample(scrape, "awsd_retries_total" + labels), 1);
  EXPECT_EQ(Sample(scrape, "awsd_retry_quota_exhausted_total" + labels), 0);
  // The retry's 5 tokens came back with the success.
  ASSERT_TRUE(HasSeries(scrape, "awsd_retry_quota_available_tokens" + labels)) << scrape;
  EXPECT_EQ(Sample(scrape, "awsd_retry_quota_available_tokens" + labels), 500);
  EXPECT_EQ(scrape.find("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), std::string::npos);
}

TEST_F(MetricsEndpointTest, NothingListensWithoutMetricsConfig) {
  auto daemon = Start("");
  awsd::v1::SessionSpec profile;
  profile.set_profile("proc");
  ASSERT_TRUE(Sign(CreateSession(profile)).ok());
  const std::set<std::string> inodes = SocketInodes(daemon->pid());
  // The gRPC socket, and nothing else: no TCP port, no second Unix socket.
  EXPECT_EQ(ListeningAmong("/proc/net/unix", inodes), 1);
  EXPECT_EQ(ListeningAmong("/proc/net/tcp", inodes), 0);
  EXPECT_EQ(ListeningAmong("/proc/net/tcp6", inodes), 0);
  EXPECT_EQ(daemon->Log().find("metrics: GET /metrics"), std::string::npos);
}

TEST_F(MetricsEndpointTest, BothSocketAndPortIsRefused) {
  WriteFile(dir_.path() / "awsd.toml", "[metrics]\nsocket = \"/tmp/m.sock\"\nport = 9100\n");
  const ProcessResult result =
      RunProgram({BinaryPath("awsd"), "--socket", socket(), "--config", (dir_.path() / "awsd.toml").string()},
                 {{"AWS_EC2_METADATA_DISABLED", "true"}}, std::chrono::seconds(20));
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.err.find("metrics.port: set either metrics.socket or metrics.port, not both"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace awsd::test_support
