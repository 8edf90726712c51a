#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "daemon/http/http_client.h"

namespace awsd::http {

struct CurlHttpClientOptions {
  // Easy handles kept between requests. A handle keeps its connections open,
  // so a credential refresh or an STS call reuses the TCP (and TLS) session
  // of the previous one instead of paying a new handshake.
  std::size_t max_idle_handles = 4;

  // Test hook: when set, every request goes to http://127.0.0.1:<port> with
  // the original path and query, and the original URL's host (and port, as
  // HostHeaderValue gives it) in the Host header. Conformance suites recorded
  // traffic to 169.254.169.254, sts.amazonaws.com, ...; this replays it
  // against a local server without touching those addresses. Never set in
  // the daemon.
  std::optional<uint16_t> loopback_port{};
};

// An HttpClient on libcurl (see HttpClient for the error contract).
//
// - HTTP/1.1 only, no redirects followed, no content decoding (the size cap
//   applies to the bytes on the wire), URLs sent as given (no dot-segment
//   normalisation: a signed path must go out exactly as signed).
// - Proxies from the environment (http_proxy, HTTPS_PROXY, ...) are ignored.
//   botocore honours them for IMDS and STS; the daemon only talks to
//   link-local metadata services and AWS endpoints, and a proxy picked up from
//   whatever environment started the daemon is more likely a surprise.
// - curl adds no headers of its own beyond Host, Content-Length and
//   Transfer-Encoding; the caller's headers are sent as given. A header name
//   or value holding CR or LF is refused (InvalidArgument).
// - Signals are never used (CURLOPT_NOSIGNAL), so timeouts are safe in a
//   multi-threaded daemon.
std::shared_ptr<HttpClient> MakeCurlHttpClient(CurlHttpClientOptions options = {});

}  // namespace awsd::http
