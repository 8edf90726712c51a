#pragma once

// What both libcurl clients (the blocking one and the asynchronous one) do
// alike on the wire: header lists, the checks on what a request may carry,
// and the parsing of response header lines.

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/http/http_request.h"

namespace awsd::http::internal {

// Headers are not what a cap on the response body is about, but a server
// must not be able to grow them without bound either.
inline constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

// curl_global_init, once for the process: it is not guaranteed thread-safe
// on every libcurl build, and must run before any handle exists.
CURLcode GlobalInit();

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// Appends one header line; false when curl is out of memory.
bool AppendLine(Slist& list, const std::string& line);

// CR, LF or NUL: what would let a value start a header (or request) of its own.
bool HasLineBreakOrNul(std::string_view s);

// RFC 9110 token characters, which is all a method or header name may hold.
bool IsToken(std::string_view s);

// InvalidArgument "METHOD URL: what", the URL without its query. Only for a
// request whose method is known to be a token, so it is safe to show.
absl::Status RequestError(const HttpRequest& request, std::string_view what);

// A request's method and URL, checked, and what curl is given as its URL:
// the URL itself, or with the loopback test hook http://127.0.0.1:<port>
// with the URL's path and query. `url` views into request.url.
struct CheckedTarget {
  UrlParts url;
  std::string target;
};
absl::StatusOr<CheckedTarget> CheckTarget(const HttpRequest& request, std::optional<uint16_t> loopback_port);

// Which headers the request carries itself, so curl's own are not added.
struct PresentHeaders {
  bool host = false;
  bool accept = false;
  bool content_type = false;
  bool expect = false;
  bool user_agent = false;
  bool proxy_connection = false;
  const std::string* content_length = nullptr;  // into the request
};

// Appends the request's headers to `list` as curl takes them ("Name;" for
// an empty value), each checked first: InvalidArgument for a name that is
// not a token or a value holding a line break (the value is never quoted:
// it may be a token or a signature); ResourceExhausted when out of memory.
absl::StatusOr<PresentHeaders> AppendRequestHeaders(const HttpRequest& request, Slist& list);

// One response header line (line break removed; not a status line, not
// blank) added to `headers`: "Name: value", or an obsolete folded
// continuation of the previous header. Lines without a colon are ignored.
void AddHeaderLine(std::string_view line, std::vector<Header>& headers);

}  // namespace awsd::http::internal
