#include "daemon/compat/loopback_http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace awsd::compat {
namespace {

// Sends `request` to 127.0.0.1:port and returns everything the server wrote.
std::string Exchange(uint16_t port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return "connect failed";
  }
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string reply;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) reply.append(buffer, static_cast<std::size_t>(n));
  close(fd);
  return reply;
}

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
  const std::string reply = Exchange((*server)->port(), "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_TRUE(reply.ends_with("\r\n\r\nGET /hello")) << reply;
  EXPECT_EQ(seen_uid, getuid());
}

TEST(LoopbackHttpServerTest, MalformedOversizedAndSlowRequestsGetErrors) {
  auto server = LoopbackHttpServer::Start({0, "test", false, std::chrono::milliseconds(300)},
                                          [](const HttpRequest&, const ConnectionInfo&) { return HttpResponse{}; });
  ASSERT_TRUE(server.ok());
  EXPECT_TRUE(Exchange((*server)->port(), "nonsense\r\n\r\n").starts_with("HTTP/1.1 400 ")) << "malformed";
  EXPECT_TRUE(
      Exchange((*server)->port(), "GET / HTTP/1.1\r\nA: " + std::string(16990, 'a')).starts_with("HTTP/1.1 431 "));
  EXPECT_TRUE(Exchange((*server)->port(), "GET / HTTP/1.1\r\n").starts_with("HTTP/1.1 408 ")) << "no end of head";
  // Still serving after all that.
  EXPECT_TRUE(Exchange((*server)->port(), "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 200 "));
}

TEST(LoopbackHttpServerTest, StopClosesThePort) {
  auto server = LoopbackHttpServer::Start({0, "test", false, std::chrono::milliseconds(300)},
                                          [](const HttpRequest&, const ConnectionInfo&) { return HttpResponse{}; });
  ASSERT_TRUE(server.ok());
  const uint16_t port = (*server)->port();
  (*server)->Stop();
  EXPECT_EQ(Exchange(port, "GET / HTTP/1.1\r\n\r\n"), "connect failed");
}

}  // namespace
}  // namespace awsd::compat
