#include "daemon/compat/loopback_http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "tests/support/raw_http.h"

namespace awsd::compat {
namespace {

using test_support::ExchangeTcp;
using test_support::TryExchangeTcp;

TEST(LoopbackHttpServerTest, ServesARequestAndNamesTheCallersUid) {
  std::optional<uid_t> seen_uid;
  auto server = LoopbackHttpServer::Start({0, "test", true, std::chrono::milliseconds(500)},
                                          [&](const HttpRequest& request, const ConnectionInfo& connection) {
                                            seen_uid = connection.peer_uid;
                                            HttpResponse response;
                                            response.body = request.method + " " + request.path;
                                            return response;
                                          });
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string reply = ExchangeTcp((*server)->port(), "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_TRUE(reply.ends_with("\r\n\r\nGET /hello")) << reply;
  EXPECT_EQ(seen_uid, getuid());
}

TEST(LoopbackHttpServerTest, MalformedOversizedAndSlowRequestsGetErrors) {
  auto server = LoopbackHttpServer::Start({0, "test", false, std::chrono::milliseconds(300)},
                                          [](const HttpRequest&, const ConnectionInfo&) { return HttpResponse{}; });
  ASSERT_TRUE(server.ok());
  EXPECT_TRUE(ExchangeTcp((*server)->port(), "nonsense\r\n\r\n").starts_with("HTTP/1.1 400 ")) << "malformed";
  EXPECT_TRUE(
      ExchangeTcp((*server)->port(), "GET / HTTP/1.1\r\nA: " + std::string(16990, 'a')).starts_with("HTTP/1.1 431 "));
  EXPECT_TRUE(ExchangeTcp((*server)->port(), "GET / HTTP/1.1\r\n").starts_with("HTTP/1.1 408 ")) << "no end of head";
  // Still serving after all that.
  EXPECT_TRUE(ExchangeTcp((*server)->port(), "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 200 "));
}

TEST(LoopbackHttpServerTest, StopClosesThePort) {
  auto server = LoopbackHttpServer::Start({0, "test", false, std::chrono::milliseconds(300)},
                                          [](const HttpRequest&, const ConnectionInfo&) { return HttpResponse{}; });
  ASSERT_TRUE(server.ok());
  const uint16_t port = (*server)->port();
  (*server)->Stop();
  EXPECT_EQ(TryExchangeTcp(port, "GET / HTTP/1.1\r\n\r\n"), std::nullopt);
}

}  // namespace
}  // namespace awsd::compat
