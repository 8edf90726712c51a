#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "daemon/compat/http_exchange.h"

namespace awsd::compat {

// What the server knows about the other end of a request.
struct ConnectionInfo {
  uint16_t peer_port = 0;
  // Owner of the client's socket (see loopback_peer.h), when found.
  std::optional<uid_t> peer_uid;
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&, const ConnectionInfo&)>;

struct LoopbackHttpServerOptions {
  // Port on 127.0.0.1; 0 picks a free one (tests).
  uint16_t port = 0;
  // Names the server in log lines ("container", "imds").
  std::string name;
  // IP_TTL 1 on every connection, as IMDS's hop limit: a reply cannot leave
  // the host even if something forwards the port.
  bool ttl_one = false;
  // How long a client may take to send its request head.
  std::chrono::milliseconds read_timeout{2000};
};

// A minimal HTTP/1.1 server on 127.0.0.1 for the compatibility endpoints: one
// thread that accepts and serves one request per connection (Connection:
// close), heads up to kMaxRequestHeadBytes, no bodies. Requests are served
// in turn, which is enough for SDKs that fetch credentials once an hour; a
// client that stalls delays others by at most read_timeout.
// Response bodies are wiped once sent, since they carry credentials.
class LoopbackHttpServer {
 public:
  static absl::StatusOr<std::unique_ptr<LoopbackHttpServer>> Start(LoopbackHttpServerOptions options,
                                                                   RequestHandler handler);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  // Stops accepting and joins the thread; idempotent.
  void Stop();
  uint16_t port() const { return port_; }

 private:
  LoopbackHttpServer(LoopbackHttpServerOptions options, RequestHandler handler, int listen_fd, uint16_t port);
  void AcceptLoop();
  void Serve(int fd, uint16_t peer_port);

  LoopbackHttpServerOptions options_;
  RequestHandler handler_;
  int listen_fd_;
  uint16_t port_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace awsd::compat
