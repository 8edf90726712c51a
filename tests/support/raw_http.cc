#include "tests/support/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace awsd::test_support {
namespace {

std::optional<std::string> Exchange(int fd, const sockaddr* address, socklen_t length, std::string_view request) {
  if (fd < 0) return std::nullopt;
  if (connect(fd, address, length) != 0) {
    close(fd);
    return std::nullopt;
  }
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string reply;
  char buffer[8192];
  ssize_t n = 0;
  while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) reply.append(buffer, static_cast<size_t>(n));
  close(fd);
  return reply;
}

}  // namespace

std::optional<std::string> TryExchangeTcp(uint16_t port, std::string_view request) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return Exchange(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), reinterpret_cast<const sockaddr*>(&address),
                  sizeof(address), request);
}

std::optional<std::string> TryExchangeUnix(const std::string& path, std::string_view request) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, sizeof(address.sun_path) - 1);
  return Exchange(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), reinterpret_cast<const sockaddr*>(&address),
                  sizeof(address), request);
}

}  // namespace awsd::test_support
