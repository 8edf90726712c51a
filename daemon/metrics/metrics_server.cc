#include "daemon/metrics/metrics_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "daemon/metrics/text_exposition.h"

namespace awsd::metrics {
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

compat::HttpResponse TextError(int status, std::string_view message) {
  compat::HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::string(message) + "\n";
  return response;
}

absl::StatusOr<std::pair<int, uint16_t>> ListenOnLoopback(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return absl::InternalError(std::string("metrics: socket: ") + std::strerror(errno));
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(fd, 16) != 0) {
    const int error = errno;
    close(fd);
    return absl::UnavailableError("metrics: cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                                  std::strerror(error));
  }
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return std::pair<int, uint16_t>(fd, ntohs(address.sin_port));
}

}  // namespace

compat::HttpResponse AnswerMetricsRequest(const compat::HttpRequest& request, const RenderMetrics& render) {
  if (request.path != "/metrics") return TextError(404, "not found; metrics are at /metrics");
  if (request.method != "GET") {
    compat::HttpResponse response = TextError(405, "only GET is allowed");
    response.headers.emplace_back("Allow", "GET");
    return response;
  }
  compat::HttpResponse response;
  response.content_type = std::string(kTextContentType);
  response.body = render();
  return response;
}

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(MetricsServerOptions options,
                                                                    RenderMetrics render) {
  if (options.socket_path.has_value() == options.port.has_value()) {
    return absl::InvalidArgumentError("metrics: set exactly one of a socket path and a port");
  }
  std::unique_ptr<MetricsServer> server(new MetricsServer(std::move(options), std::move(render)));
  if (server->options_.socket_path) {
    server::SocketOptions socket;
    socket.path = *server->options_.socket_path;
    auto listener = server::UnixListener::Bind(socket);
    if (!listener.ok()) {
      return absl::Status(listener.status().code(), "metrics: " + std::string(listener.status().message()));
    }
    server->listen_fd_ = listener->fd();
    server->unix_listener_.emplace(*std::move(listener));
    server->address_ = "unix:" + socket.path;
  } else {
    auto listening = ListenOnLoopback(*server->options_.port);
    if (!listening.ok()) return listening.status();
    server->tcp_fd_ = server->listen_fd_ = listening->first;
    server->port_ = listening->second;
    server->address_ = "127.0.0.1:" + std::to_string(server->port_);
  }
  server->thread_ = std::thread([raw = server.get()] { raw->AcceptLoop(); });
  return server;
}

MetricsServer::~MetricsServer() { Stop(); }

void MetricsServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  if (tcp_fd_ >= 0) close(tcp_fd_);
  tcp_fd_ = -1;
  // Closes the socket and removes its file.
  unix_listener_.reset();
}

void MetricsServer::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (poll(&waiting, 1, kAcceptPollMs) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Serve(fd);
    close(fd);
  }
}

void MetricsServer::Serve(int fd) {
  // A client that stops reading must not hold the thread either.
  const timeval send_timeout{static_cast<time_t>(options_.read_timeout.count() / 1000),
                             static_cast<suseconds_t>(options_.read_timeout.count() % 1000 * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof(send_timeout));
  compat::HttpResponse response;
  compat::HeadReadError error{};
  auto head = compat::ReadRequestHead(fd, options_.read_timeout, error);
  if (!head.ok()) response = TextError(error.status, error.message);
  if (head.ok()) {
    auto request = compat::ParseRequestHead(*head);
    response = request.ok() ? AnswerMetricsRequest(*request, render_)
                            : TextError(400, std::string(request.status().message()));
  }
  SendAll(fd, compat::SerializeResponse(response));
  // Let the client read the whole reply before the close (no RST on unread data).
  shutdown(fd, SHUT_WR);
}

}  // namespace awsd::metrics
