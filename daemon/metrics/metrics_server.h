#pragma once

// Serves the metrics to a Prometheus scrape: GET /metrics over HTTP/1.1 on a
// Unix socket or on 127.0.0.1 (never any other address), off unless
// configured ([metrics] in config/awsd.example.toml). One thread answers one
// request per connection in turn (Connection: close): a scrape every few
// seconds needs no more, and a client that stalls holds the others back by
// at most the read timeout.

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
#include "daemon/server/unix_listener.h"

namespace awsd::metrics {

struct MetricsServerOptions {
  // Exactly one: an absolute Unix socket path (created 0600, parent
  // directory created 0700 when missing, a stale socket replaced), or a
  // port on 127.0.0.1 (0 picks a free one, for tests).
  std::optional<std::string> socket_path;
  std::optional<uint16_t> port;
  // How long a client may take to send its request head.
  std::chrono::milliseconds read_timeout{2000};
};

// The exposition text, rendered per scrape.
using RenderMetrics = std::function<std::string()>;

// The answer to one request: 200 with the text for GET /metrics (any query
// string ignored), 405 for another method there, 404 for any other path.
compat::HttpResponse AnswerMetricsRequest(const compat::HttpRequest& request, const RenderMetrics& render);

class MetricsServer {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(MetricsServerOptions options, RenderMetrics render);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Stops accepting, joins the thread, closes the socket (removing its
  // file); idempotent.
  void Stop();
  // "unix:PATH" or "127.0.0.1:PORT", for the log.
  const std::string& address() const { return address_; }
  // The TCP port, 0 on a Unix socket.
  uint16_t port() const { return port_; }

 private:
  MetricsServer(MetricsServerOptions options, RenderMetrics render)
      : options_(std::move(options)), render_(std::move(render)) {}
  void AcceptLoop();
  void Serve(int fd);

  MetricsServerOptions options_;
  RenderMetrics render_;
  std::optional<server::UnixListener> unix_listener_;
  int tcp_fd_ = -1;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::string address_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace awsd::metrics
