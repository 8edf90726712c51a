#include "daemon/compat/loopback_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "daemon/common/secret.h"
#include "daemon/compat/loopback_peer.h"
#include "spdlog/spdlog.h"

namespace awsd::compat {
namespace {

// How often the accept loop looks at the stop flag.
constexpr int kAcceptPollMs = 200;

void SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// The JSON error code of a head that could not be read.
std::string_view ErrorCode(int status) {
  switch (status) {
    case 431:
      return "RequestHeaderFieldsTooLarge";
    case 408:
      return "RequestTimeout";
    default:
      return "BadRequest";
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<LoopbackHttpServer>> LoopbackHttpServer::Start(LoopbackHttpServerOptions options,
                                                                              RequestHandler handler) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(std::string("socket: ") + std::strerror(errno));
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(options.port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(fd, 64) != 0) {
    const int error = errno;
    close(fd);
    return absl::UnavailableError("compat." + options.name + ": cannot listen on 127.0.0.1:" +
                                  std::to_string(options.port) + ": " + std::strerror(error));
  }
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const uint16_t port = ntohs(address.sin_port);
  std::unique_ptr<LoopbackHttpServer> server(new LoopbackHttpServer(std::move(options), std::move(handler), fd, port));
  server->thread_ = std::thread([raw = server.get()] { raw->AcceptLoop(); });
  return server;
}

LoopbackHttpServer::LoopbackHttpServer(LoopbackHttpServerOptions options, RequestHandler handler, int listen_fd,
                                       uint16_t port)
    : options_(std::move(options)), handler_(std::move(handler)), listen_fd_(listen_fd), port_(port) {}

LoopbackHttpServer::~LoopbackHttpServer() { Stop(); }

void LoopbackHttpServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
}

void LoopbackHttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (poll(&waiting, 1, kAcceptPollMs) <= 0) continue;
    sockaddr_in peer{};
    socklen_t length = sizeof(peer);
    const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Serve(fd, ntohs(peer.sin_port));
    close(fd);
  }
}

void LoopbackHttpServer::Serve(int fd, uint16_t peer_port) {
  if (options_.ttl_one) {
    const int ttl = 1;
    if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) != 0) {
      // Without the hop limit the IMDS contract is not kept: refuse to answer.
      spdlog::error("compat.{}: cannot set IP_TTL 1: {}", options_.name, std::strerror(errno));
      return;
    }
  }
  HttpResponse response;
  HeadReadError error{};
  auto head = ReadRequestHead(fd, options_.read_timeout, error);
  if (!head.ok()) response = JsonError(error.status, ErrorCode(error.status), error.message);
  if (head.ok()) {
    auto request = ParseRequestHead(*head);
    if (!request.ok()) {
      response = JsonError(400, "BadRequest", std::string(request.status().message()));
    } else {
      ConnectionInfo connection{peer_port, LoopbackPeerUid(peer_port, port_)};
      response = handler_(*request, connection);
      // Never the path's query or any header: a token could be in either.
      spdlog::debug("compat.{}: {} {} from uid {}: {}", options_.name, request->method, request->path,
                    connection.peer_uid ? std::to_string(*connection.peer_uid) : "unknown", response.status);
      for (auto& [name, value] : request->headers) WipeString(value);
    }
    WipeString(*head);
  }
  std::string wire = SerializeResponse(response);
  SendAll(fd, wire);
  WipeString(wire);
  WipeString(response.body);
  // Let the client read the whole reply before the close (no RST on unread data).
  shutdown(fd, SHUT_WR);
}

}  // namespace awsd::compat
