#include "daemon/metrics/metrics_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "daemon/metrics/registry.h"
#include "tests/support/raw_http.h"
#include "tests/support/temp_dir.h"

namespace awsd::metrics {
namespace {

using test_support::ExchangeTcp;
using test_support::ExchangeUnix;
using test_support::TempDir;
using test_support::TryExchangeTcp;

compat::HttpRequest Request(std::string method, std::string path) {
  compat::HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

TEST(MetricsServerTest, AnswersGetMetricsOnly) {
  const RenderMetrics render = [] { return std::string("x 1\n"); };
  compat::HttpResponse ok = AnswerMetricsRequest(Request("GET", "/metrics"), render);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(ok.body, "x 1\n");
  EXPECT_EQ(AnswerMetricsRequest(Request("GET", "/"), render).status, 404);
  EXPECT_EQ(AnswerMetricsRequest(Request("GET", "/metrics/x"), render).status, 404);
  EXPECT_EQ(AnswerMetricsRequest(Request("POST", "/metrics"), render).status, 405);
}

TEST(MetricsServerTest, ServesTheRegistryOnLoopback) {
  Registry registry;
  registry.AddCounter("test_total", "T.", {}).With({}).Increment(3);
  MetricsServerOptions options;
  options.port = 0;
  auto server = MetricsServer::Start(options, [&] { return registry.Render(); });
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_NE((*server)->port(), 0);
  EXPECT_EQ((*server)->address(), "127.0.0.1:" + std::to_string((*server)->port()));
  const std::string reply = ExchangeTcp((*server)->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_NE(reply.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), std::string::npos) << reply;
  EXPECT_TRUE(reply.ends_with("\r\n\r\n# HELP test_total T.\n# TYPE test_total counter\ntest_total 3\n")) << reply;
  EXPECT_TRUE(ExchangeTcp((*server)->port(), "GET /other HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
  EXPECT_TRUE(ExchangeTcp((*server)->port(), "nonsense\r\n\r\n").starts_with("HTTP/1.1 400 "));
  EXPECT_TRUE(ExchangeTcp((*server)->port(), "GET /metrics HTTP/1.1\r\nA: " + std::string(17000, 'a'))
                  .starts_with("HTTP/1.1 431 "));
  const uint16_t port = (*server)->port();
  (*server)->Stop();
  EXPECT_EQ(TryExchangeTcp(port, "GET /metrics HTTP/1.1\r\n\r\n"), std::nullopt);
}

TEST(MetricsServerTest, ServesOnAUnixSocketAndRemovesItWhenStopped) {
  TempDir dir;
  const std::string path = (dir.path() / "run" / "metrics.sock").string();
  MetricsServerOptions options;
  options.socket_path = path;
  options.read_timeout = std::chrono::milliseconds(300);
  auto server = MetricsServer::Start(options, [] { return std::string("m 1\n"); });
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->address(), "unix:" + path);
  struct stat st {};
  ASSERT_EQ(lstat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string reply = ExchangeUnix(path, "GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_TRUE(reply.ends_with("\r\n\r\nm 1\n")) << reply;
  // A client that never finishes its head is answered after the timeout.
  EXPECT_TRUE(ExchangeUnix(path, "GET /metrics HTTP/1.1\r\n").starts_with("HTTP/1.1 408 "));
  (*server)->Stop();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(MetricsServerTest, NeedsExactlyOneAddress) {
  auto render = [] { return std::string(); };
  EXPECT_FALSE(MetricsServer::Start(MetricsServerOptions(), render).ok());
  MetricsServerOptions both;
  both.socket_path = "/tmp/x.sock";
  both.port = 1;
  EXPECT_FALSE(MetricsServer::Start(both, render).ok());
}

}  // namespace
}  // namespace awsd::metrics
