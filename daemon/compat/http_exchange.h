#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace awsd::compat {

// One HTTP/1.1 request as the compatibility endpoints see it: they never take
// a body, so only the head is parsed.
struct HttpRequest {
  std::string method;
  // The path without the query string.
  std::string path;
  // Names lower-cased; a repeated header keeps its first value.
  std::map<std::string, std::string> headers;

  const std::string* Header(std::string_view lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Heads larger than this are refused (431): the endpoints need a few hundred bytes.
inline constexpr std::size_t kMaxRequestHeadBytes = 16 * 1024;

// Where the head ends in what was read so far ("\r\n\r\n", or a bare
// "\n\n" as lenient clients send), past the blank line; nullopt when not yet.
std::optional<std::size_t> FindEndOfHead(std::string_view received);

// Why a request head could not be read, as the response that says so.
struct HeadReadError {
  int status;  // 400 closed early, 408 too slow, 431 too large
  std::string_view message;
};

// Reads from `fd` up to the end of a request head, within `timeout`. Whatever
// follows the head is left unread: the servers take no body. The buffers
// are wiped as the head is copied out, since a head may carry a token.
absl::StatusOr<std::string> ReadRequestHead(int fd, std::chrono::milliseconds timeout, HeadReadError& error);

// Parses a request head (request line and headers). InvalidArgument for
// anything malformed: no version, a header without a colon, a line folded
// across lines (obsolete, and a smuggling vector).
absl::StatusOr<HttpRequest> ParseRequestHead(std::string_view head);

// The response on the wire: status line, Content-Type, Content-Length,
// Connection: close, the extra headers, then the body.
std::string SerializeResponse(const HttpResponse& response);

// A JSON error body {"code": ..., "message": ...} with the given status;
// messages name what is wrong, never a token or a secret.
HttpResponse JsonError(int status, std::string_view code, std::string_view message);

}  // namespace awsd::compat
