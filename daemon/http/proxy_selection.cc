// ProxyFor: botocore's choice of proxy from the environment, which is
// urllib's getproxies_environment and proxy_bypass_environment (CPython 3.11)
// followed by botocore's ProxyConfiguration._fix_proxy_url.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "daemon/http/async_http_client.h"

namespace awsd::http {
namespace {

using Env = std::function<std::optional<std::string>(const std::string&)>;

std::string Lower(std::string_view s) { return absl::AsciiStrToLower(std::string(s)); }

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Python's str.strip() for ASCII whitespace.
std::string_view Strip(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == s.npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// urllib reads every <scheme>_proxy in any case, then lets an all-lower-case
// "_proxy" spelling override it, an empty one removing it. Only the all-upper
// and all-lower spellings are looked up here: an environment cannot be
// listed through `env`, and mixed case is not used in practice.
std::optional<std::string> ProxyVariable(std::string_view scheme, const Env& env) {
  const std::string lower = std::string(scheme) + "_proxy";
  if (std::optional<std::string> value = env(lower)) {
    if (value->empty()) return std::nullopt;
    return value;
  }
  // CVE-2016-1000110: under CGI, HTTP_PROXY may come from a client's "Proxy:"
  // header, so urllib ignores the upper-case one there.
  if (scheme == "http" && env("REQUEST_METHOD").has_value()) return std::nullopt;
  std::optional<std::string> value = env(absl::AsciiStrToUpper(lower));
  if (!value.has_value() || value->empty()) return std::nullopt;
  return value;
}

bool Bypass(std::string_view netloc, const std::string& no_proxy) {
  if (no_proxy == "*") return true;
  const std::string host = Lower(netloc);
  // _splitport: the host before a last ':' followed by nothing but digits.
  std::string_view host_only = host;
  const size_t colon = host.rfind(':');
  if (colon != std::string::npos && host.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
    host_only = std::string_view(host).substr(0, colon);
  }
  std::string_view rest = no_proxy;
  while (true) {
    const size_t comma = rest.find(',');
    std::string_view name = Strip(rest.substr(0, comma));
    if (!name.empty()) {
      while (!name.empty() && name.front() == '.') name.remove_prefix(1);
      const std::string suffix = Lower(name);
      if (host_only == suffix || host == suffix) return true;
      const std::string dotted = "." + suffix;
      if (EndsWith(host_only, dotted) || EndsWith(host, dotted)) return true;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string ProxyFor(std::string_view url, const Env& env) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  const std::string scheme = Lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return "";
  std::string_view netloc = url.substr(scheme_end + 3);
  netloc = netloc.substr(0, netloc.find_first_of("/?#"));

  if (std::optional<std::string> no_proxy = ProxyVariable("no", env); no_proxy && Bypass(netloc, *no_proxy)) {
    return "";
  }
  std::optional<std::string> proxy = ProxyVariable(scheme, env);
  if (!proxy.has_value()) return "";
  // botocore's _fix_proxy_url: a bare "host:port" means an http proxy.
  if (StartsWith(*proxy, "http:") || StartsWith(*proxy, "https:")) return *proxy;
  if (StartsWith(*proxy, "//")) return "http:" + *proxy;
  return "http://" + *proxy;
}

}  // namespace awsd::http
