#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace awsd::http {

// One header line. The name keeps the caller's case; a name may repeat, and
// the repeats keep their order, as they would on the wire.
struct Header {
  std::string name;
  std::string value;
};

// A request as every stage passes it around: nothing is parsed or
// normalised, so what a client sent is what gets signed and sent on.
struct HttpRequest {
  // "GET", "PUT", ...
  std::string method;
  // Absolute http(s) URL, already percent-encoded as it goes on the wire.
  std::string url;
  std::vector<Header> headers;
  std::string body;
};

// The components of an absolute http or https URL, as views into the string
// given to ParseUrl (which must outlive them). Nothing is decoded.
struct UrlParts {
  // True for https, false for http (the only schemes accepted).
  bool https = true;
  // The host as written: a name, an IPv4 address or a bracketed IPv6
  // literal ("[::1]"). Case is kept; HostHeaderValue lower-cases it.
  std::string_view host;
  // Unset when the URL names no port (or an empty one, "host:").
  std::optional<uint16_t> port;
  // Raw path, possibly empty; never includes the query.
  std::string_view path;
  // Raw query without its '?'. Unset when the URL has no '?', so "x?" (an
  // empty query) and "x" can be told apart.
  std::optional<std::string_view> query;

  // 443 for https, 80 for http.
  uint16_t DefaultPort() const { return https ? 443 : 80; }
};

// Splits an absolute http(s) URL the way Python's urlsplit does for such
// URLs (userinfo and fragment are dropped). Errors are InvalidArgument with a
// message that names the problem and quotes the URL without its query,
// userinfo or fragment, since those may carry credentials.
absl::StatusOr<UrlParts> ParseUrl(std::string_view url);

// The value a Host header must have for `url`, as botocore derives it: the
// lower-cased host, with ":port" only when the port is not the scheme's
// default.
std::string HostHeaderValue(const UrlParts& url);

// HostHeaderValue appended to `out`, for callers building a buffer.
void AppendHostHeaderValue(const UrlParts& url, std::string* out);

// `url` cut down to what is safe to show in an error or a log line: no
// userinfo, query or fragment, control bytes replaced, at most 120 bytes.
std::string RedactUrl(std::string_view url);

// Case-insensitive (ASCII) equality, as header names compare.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace awsd::http
