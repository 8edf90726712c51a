#pragma once

// The URL handling of the rule sets' parseURL and uriEncode, as botocore
// does it with Python 3.11's urllib.parse and ipaddress. Endpoint URLs come
// from users, so the corner cases (an upper-case scheme, a ";params" path,
// a fragment, "http://a.com:99999") must come out as botocore's, not as a
// stricter parser would have them.
//
// Not reproduced: urllib's NFKC check of non-ASCII host names (it rejects
// names whose compatibility form holds '/', '?', '#', '@' or ':').

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace awsd::endpoints {

// urllib.parse.urlparse: the six parts of a URL. The scheme is lower-cased;
// leading C0 controls and spaces and every tab, CR and LF are removed first.
struct PythonUrl {
  std::string scheme;
  std::string netloc;
  std::string path;
  std::string params;  // after the ';' of the last path segment (http, https and a few more)
  std::string query;
  std::string fragment;
};

// InvalidArgument where Python raises ValueError ("Invalid IPv6 URL", a
// bracketed host that is not an IPv6 address).
absl::StatusOr<PythonUrl> PythonUrlParse(std::string_view url);

// SplitResult.port: nullopt without a port; InvalidArgument when it is not
// decimal digits or outside 0-65535.
absl::StatusOr<std::optional<int>> PythonUrlPort(std::string_view netloc);

// SplitResult.hostname: the host of `netloc`, lower-cased up to any '%'
// zone; nullopt when empty.
std::optional<std::string> PythonUrlHostname(std::string_view netloc);

// botocore's IPV4_RE: four dot-separated runs of 1-3 ASCII digits (Python's
// `$` also lets a final "\n" follow).
bool MatchesIpv4Pattern(std::string_view text);

// botocore's utils.is_valid_ipv6_endpoint_url.
bool IsValidIpv6EndpointUrl(std::string_view url);

// ipaddress.ip_address(text) succeeds: an IPv4 (strict dotted quad) or an
// IPv6 address, the latter with an optional "%zone".
bool IsPythonIpv4Address(std::string_view text);
bool IsPythonIpv6Address(std::string_view text);

// urllib.parse.quote(text, safe): UTF-8 bytes other than ASCII letters,
// digits, "_.-~" and `safe` become %XX (upper-case hex).
std::string PercentEncode(std::string_view text, std::string_view safe);

// botocore's utils.normalize_url_path: "/" for an empty path, else
// remove_dot_segments (RFC 3986 5.2.4, and empty segments dropped).
std::string NormalizeUrlPath(std::string_view path);

// botocore's utils.is_s3_accelerate_url: an http(s) URL whose host is
// s3-accelerate[.dualstack].amazonaws.com.
bool IsS3AccelerateUrl(std::string_view url);

}  // namespace awsd::endpoints
