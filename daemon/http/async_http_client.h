#pragma once

// The transport of the call path (issue 6): many requests in flight on one
// thread (curl's multi interface), connections pooled per host and reused
// across calls and clients, bodies streamed both ways with back-pressure.
//
// The older blocking HttpClient (curl_http_client.h) stays for the
// credential sources; this one is for AWS service calls.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/http/http_client.h"
#include "daemon/http/http_request.h"

namespace awsd::http {

// Per-request settings, from the session's configuration (botocore's
// Config and the environment).
struct ExchangeOptions {
  std::chrono::milliseconds connect_timeout{60000};  // botocore connect_timeout
  // Longest wait for the next byte once connected (botocore read_timeout,
  // a socket timeout: not a cap on the whole exchange). Bytes either way
  // count; time paused by a reader's or writer's kWouldBlock does not. 0: none.
  std::chrono::milliseconds read_timeout{60000};
  // Cap on the whole exchange; 0: none.
  std::chrono::milliseconds total_timeout{0};
  // A buffered response body larger than this is ResourceExhausted.
  std::size_t max_buffered_response_bytes = std::size_t{256} << 20;
  // PEM file of trusted CAs (AWS_CA_BUNDLE / ca_bundle); the system's when empty.
  std::string ca_bundle{};
  bool verify_tls = true;
  // Proxy URL for this request ("" = direct), as ProxyFor chose it.
  std::string proxy{};
  // Send "Expect: 100-continue" and wait for the go-ahead before the body
  // (botocore does for S3 uploads of 1 MiB or more).
  bool expect_continue = false;
};

// Supplies a request body piece by piece (an upload fed by a client stream).
class BodyReader {
 public:
  static constexpr std::ptrdiff_t kWouldBlock = -1;
  static constexpr std::ptrdiff_t kFailed = -2;
  virtual ~BodyReader() = default;
  // Copies up to out.size() bytes into `out`: the count (> 0); 0 at the end of
  // the body; kWouldBlock when nothing is ready yet (the transfer pauses
  // until TransferHandle::Resume); kFailed to abort the request (its
  // completion is then Aborted). Called on the transport thread; must not block.
  virtual std::ptrdiff_t Read(std::span<char> out) = 0;
};

// Receives a response body piece by piece (a download fed to a client stream).
class BodyWriter {
 public:
  enum class WriteResult { kAccepted, kWouldBlock, kFailed };
  virtual ~BodyWriter() = default;
  // Once, with the final status line and headers, before any body. True:
  // the body goes to Write; false: it is buffered into HttpResponse::body
  // as usual (an error answer, to be parsed).
  virtual bool OnHead(int status, const std::vector<Header>& headers) = 0;
  // kAccepted: `data` was taken. kWouldBlock: not taken; the transfer pauses
  // until TransferHandle::Resume and then offers the same bytes again.
  // kFailed: abort (completion Aborted). Transport thread; must not block.
  virtual WriteResult Write(std::string_view data) = 0;
};

// One request to make.
struct Exchange {
  HttpRequest request;  // request.body is sent unless body_reader is set
  std::shared_ptr<BodyReader> body_reader;
  // With body_reader: the body's length (Content-Length); unset sends it
  // chunked, unless request.headers has a Content-Length, which then is the
  // length (both set and different: InvalidArgument). A reader ending short
  // of it fails the exchange (Aborted); bytes past it are never asked for.
  std::optional<uint64_t> content_length;
  std::shared_ptr<BodyWriter> body_writer;  // null: the body is buffered
  ExchangeOptions options;
};

// A request in flight. Thread-safe.
class TransferHandle {
 public:
  virtual ~TransferHandle() = default;
  // Continues a transfer paused by kWouldBlock (from any thread).
  virtual void Resume() = 0;
  // Stops the transfer; its completion runs with Cancelled (unless it
  // already ran).
  virtual void Cancel() = 0;
};

// Runs exactly once per Start, on the transport thread (or, as a transfer
// started inline may end at once, on a thread inside Start); must not block.
// Errors: Unavailable (refused, reset, DNS, TLS), DeadlineExceeded (connect
// or read timeout), DataLoss (the connection closed before the whole body
// arrived), ResourceExhausted (over max_buffered_response_bytes), Aborted (a
// reader or writer failed), Cancelled, InvalidArgument (a malformed request).
// Messages name the method and the URL without its query; never a header
// value or a body.
using Completion = std::function<void(absl::StatusOr<HttpResponse>)>;

struct AsyncHttpClientOptions {
  // The User-Agent sent when the request has none.
  std::string user_agent{};
  // Open connections kept per host (botocore's max_pool_connections is 10).
  std::size_t max_connections_per_host = 32;
  std::size_t max_total_connections = 256;
  // Test hook as CurlHttpClientOptions::loopback_port. Never set in the daemon.
  std::optional<uint16_t> loopback_port{};
};

class AsyncHttpClient {
 public:
  // Starts the transport thread.
  static std::shared_ptr<AsyncHttpClient> Create(AsyncHttpClientOptions options = {});
  virtual ~AsyncHttpClient() = default;

  // Starts the request: a buffered one (no body reader or writer) is sent
  // on the calling thread when curl is free, saving a wake of the transport
  // thread; otherwise it is queued for that thread. `done` runs when it
  // ends. After Shutdown, `done` runs at once on the calling thread with
  // Cancelled.
  virtual std::shared_ptr<TransferHandle> Start(Exchange exchange, Completion done) = 0;
  // Runs `task` on the transport thread after `delay` (a retry's backoff
  // without a sleeping thread). Tasks still pending at shutdown are dropped.
  virtual void RunAfter(std::chrono::milliseconds delay, std::function<void()> task) = 0;
  // Stops the thread: transfers in flight complete with Cancelled, and no
  // completion runs after it returns. Idempotent; the destructor calls it.
  // Called on the transport thread itself (from a completion or task, or by
  // dropping the last reference there), it cannot wait: the remaining
  // completions then run as soon as that callback returns.
  virtual void Shutdown() = 0;
};

// The proxy botocore (urllib's getproxies / proxy_bypass) would use for
// `url`: HTTPS_PROXY / https_proxy for https, HTTP_PROXY / http_proxy for
// http, "" when NO_PROXY / no_proxy matches the host (suffix, "*", ports,
// CIDR-free) or none is set. The lower-case spelling wins, and an empty one
// unsets; mixed-case names are not looked up. A value without a scheme gets
// "http://" (botocore's _fix_proxy_url).
std::string ProxyFor(std::string_view url, const std::function<std::optional<std::string>(const std::string&)>& env);

}  // namespace awsd::http
