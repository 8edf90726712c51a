#include "daemon/http/http_request.h"

#include <algorithm>
#include <string>

#include "absl/status/status.h"

namespace awsd::http {
namespace {

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

absl::Status UrlError(std::string_view what, std::string_view url) {
  std::string message(what);
  message += " in '";
  message += RedactUrl(url);
  message += "'";
  return absl::InvalidArgumentError(message);
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

std::string RedactUrl(std::string_view url) {
  constexpr size_t kMaxShown = 120;
  url = url.substr(0, url.find_first_of("?#"));
  // Userinfo sits between "//" and the last '@' before the path.
  const size_t authority = url.find("//");
  if (authority != std::string_view::npos) {
    const size_t start = authority + 2;
    const size_t end = url.find('/', start);
    const std::string_view host_port = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
    const size_t at = host_port.rfind('@');
    if (at != std::string_view::npos) {
      std::string redacted(url.substr(0, start));
      redacted += url.substr(start + at + 1);
      return RedactUrl(redacted);
    }
  }
  std::string out;
  out.reserve(std::min(url.size(), kMaxShown + 3));
  for (char c : url.substr(0, kMaxShown)) out += IsControl(static_cast<unsigned char>(c)) ? '?' : c;
  if (url.size() > kMaxShown) out += "...";
  return out;
}

absl::StatusOr<UrlParts> ParseUrl(std::string_view url) {
  if (url.empty()) return absl::InvalidArgumentError("empty URL");
  // Python's urlsplit silently drops tabs and newlines; a URL carrying them
  // is more likely an injection attempt than a typo, so refuse it. (No early
  // exit: the loop vectorises, and valid URLs are the common case.)
  bool has_control = false;
  for (char c : url) has_control |= IsControl(static_cast<unsigned char>(c));
  if (has_control) return UrlError("control character", url);
  UrlParts parts;
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0 ||
      url.substr(0, scheme_end).find_first_of("/?#") != std::string_view::npos) {
    return UrlError("no host", url);
  }
  const std::string_view scheme = url.substr(0, scheme_end);
  if (EqualsIgnoreCase(scheme, "https")) {
    parts.https = true;
  } else if (EqualsIgnoreCase(scheme, "http")) {
    parts.https = false;
  } else {
    return UrlError("scheme is not http or https", url);
  }

  std::string_view rest = url.substr(scheme_end + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);

  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return UrlError("unterminated IPv6 literal", url);
    parts.host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return UrlError("junk after IPv6 literal", url);
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.find(':');
    parts.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
  }
  if (parts.host.empty() || parts.host == "[]") return UrlError("no host", url);
  if (parts.host.find_first_of(" \\\"<>`{}|^") != std::string_view::npos) {
    return UrlError("invalid character in host", url);
  }
  if (has_port && !port_text.empty()) {
    uint32_t port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return UrlError("port is not a number", url);
      port = port * 10 + static_cast<uint32_t>(c - '0');
      if (port > 65535) return UrlError("port out of range", url);
    }
    parts.port = static_cast<uint16_t>(port);
  }

  const size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  const size_t question = rest.find('?');
  parts.path = rest.substr(0, question);
  if (question != std::string_view::npos) parts.query = rest.substr(question + 1);
  return parts;
}

std::string HostHeaderValue(const UrlParts& url) {
  std::string host;
  host.reserve(url.host.size() + 6);
  for (char c : url.host) host += ToLowerAscii(c);
  if (url.port.has_value() && *url.port != url.DefaultPort()) {
    host += ':';
    host += std::to_string(*url.port);
  }
  return host;
}

}  // namespace awsd::http
