#include "daemon/endpoints/url_parsing.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "daemon/endpoints/pattern_matcher.h"

namespace awsd::endpoints {
namespace {

// absl's string functions take absl::string_view, which is not
// std::string_view in Debian 12's abseil; these two are all this file needs.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool IsSchemeChar(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '+' || c == '-' || c == '.'; }

// urllib.parse.uses_params: schemes whose last path segment may carry ";params".
bool UsesParams(std::string_view scheme) {
  static constexpr std::string_view kSchemes[] = {"",      "ftp",   "hdl",  "prospero", "http",  "imap",
                                                  "https", "shttp", "rtsp", "rtsps",    "rtspu", "sip",
                                                  "sips",  "mms",   "sftp", "tel"};
  return std::find(std::begin(kSchemes), std::end(kSchemes), scheme) != std::end(kSchemes);
}

// urllib.parse._check_bracketed_host.
absl::Status CheckBracketedHost(std::string_view host) {
  if (!host.empty() && host.front() == 'v') {
    // \Av[a-fA-F0-9]+\..+\Z, where '.' matches anything but "\n".
    size_t i = 1;
    while (i < host.size() && IsHexDigit(host[i])) ++i;
    const bool ok = i > 1 && i < host.size() && host[i] == '.' && i + 1 < host.size() &&
                    host.find('\n', i + 1) == std::string_view::npos;
    if (!ok) return absl::InvalidArgumentError("IPvFuture address is invalid");
    return absl::OkStatus();
  }
  if (IsPythonIpv4Address(host)) return absl::InvalidArgumentError("An IPv4 address cannot be in brackets");
  if (!IsPythonIpv6Address(host)) {
    return absl::InvalidArgumentError("'" + std::string(host) + "' does not appear to be an IPv4 or IPv6 address");
  }
  return absl::OkStatus();
}

// netloc.rpartition('@') then the host and port split of SplitResult._hostinfo.
void HostInfo(std::string_view netloc, std::string_view* host, std::optional<std::string_view>* port) {
  const size_t at = netloc.rfind('@');
  const std::string_view hostinfo = at == std::string_view::npos ? netloc : netloc.substr(at + 1);
  std::string_view port_text;
  const size_t open = hostinfo.find('[');
  if (open != std::string_view::npos) {
    const std::string_view bracketed = hostinfo.substr(open + 1);
    const size_t close = bracketed.find(']');
    *host = bracketed.substr(0, close);
    if (close != std::string_view::npos) {
      const std::string_view after = bracketed.substr(close + 1);
      const size_t colon = after.find(':');
      if (colon != std::string_view::npos) port_text = after.substr(colon + 1);
    }
  } else {
    const size_t colon = hostinfo.find(':');
    *host = hostinfo.substr(0, colon);
    if (colon != std::string_view::npos) port_text = hostinfo.substr(colon + 1);
  }
  *port = port_text.empty() ? std::nullopt : std::optional<std::string_view>(port_text);
}

// IPV6_ADDRZ_RE of botocore.compat (from urllib3), compiled once.
const PatternMatcher& Ipv6AddrzPattern() {
  static const PatternMatcher* const pattern = [] {
    const std::string hex = "[0-9A-Fa-f]{1,4}";
    const std::string ipv4 = "(?:[0-9]{1,3}\\.){3}[0-9]{1,3}";
    const std::string ls32 = "(?:" + hex + ":" + hex + "|" + ipv4 + ")";
    const std::vector<std::string> variations = {
        "(?:" + hex + ":){6}" + ls32,
        "::(?:" + hex + ":){5}" + ls32,
        "(?:" + hex + ")?::(?:" + hex + ":){4}" + ls32,
        "(?:(?:" + hex + ":)?" + hex + ")?::(?:" + hex + ":){3}" + ls32,
        "(?:(?:" + hex + ":){0,2}" + hex + ")?::(?:" + hex + ":){2}" + ls32,
        "(?:(?:" + hex + ":){0,3}" + hex + ")?::" + hex + ":" + ls32,
        "(?:(?:" + hex + ":){0,4}" + hex + ")?::" + ls32,
        "(?:(?:" + hex + ":){0,5}" + hex + ")?::" + hex,
        "(?:(?:" + hex + ":){0,6}" + hex + ")?::",
    };
    std::string ipv6 = "(?:";
    for (size_t i = 0; i < variations.size(); ++i) ipv6 += (i > 0 ? "|" : "") + variations[i];
    ipv6 += ")";
    const std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._!\\-~";
    const std::string zone = "(?:%25|%)(?:[" + unreserved + "]|%[a-fA-F0-9]{2})+";
    const std::string addrz = "^\\[" + ipv6 + "(?:" + zone + ")?\\]$";
    absl::StatusOr<PatternMatcher> compiled = PatternMatcher::Compile(addrz);
    // The pattern is a constant of this file; failing to compile it is a bug
    // that every IPv6 test would show at once.
    return new PatternMatcher(compiled.ok() ? *std::move(compiled) : PatternMatcher());
  }();
  return *pattern;
}

}  // namespace

absl::StatusOr<PythonUrl> PythonUrlParse(std::string_view input) {
  // lstrip of C0 controls and space, then every tab, CR and LF removed.
  size_t first = 0;
  while (first < input.size() && static_cast<unsigned char>(input[first]) <= 0x20) ++first;
  std::string url;
  url.reserve(input.size() - first);
  for (char c : input.substr(first)) {
    if (c != '\t' && c != '\r' && c != '\n') url.push_back(c);
  }

  PythonUrl result;
  std::string_view rest = url;
  const size_t colon = rest.find(':');
  if (colon != std::string_view::npos && colon > 0 && IsAsciiAlpha(rest[0]) &&
      std::all_of(rest.begin(), rest.begin() + colon, IsSchemeChar)) {
    result.scheme = AsciiLower(rest.substr(0, colon));
    rest = rest.substr(colon + 1);
  }
  if (rest.substr(0, 2) == "//") {
    const size_t end = rest.find_first_of("/?#", 2);
    result.netloc = std::string(rest.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    const bool has_open = result.netloc.find('[') != std::string::npos;
    const bool has_close = result.netloc.find(']') != std::string::npos;
    if (has_open != has_close) return absl::InvalidArgumentError("Invalid IPv6 URL");
    if (has_open) {
      const std::string_view after_open = std::string_view(result.netloc).substr(result.netloc.find('[') + 1);
      if (absl::Status status = CheckBracketedHost(after_open.substr(0, after_open.find(']'))); !status.ok()) {
        return status;
      }
    }
  }
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
    result.fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  if (const size_t question = rest.find('?'); question != std::string_view::npos) {
    result.query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  // urlparse's _splitparams: the ';' of the last segment (or the first one
  // when there is no '/').
  if (UsesParams(result.scheme) && rest.find(';') != std::string_view::npos) {
    const size_t slash = rest.rfind('/');
    const size_t semicolon = slash == std::string_view::npos ? rest.find(';') : rest.find(';', slash);
    if (semicolon != std::string_view::npos) {
      result.params = std::string(rest.substr(semicolon + 1));
      rest = rest.substr(0, semicolon);
    }
  }
  result.path = std::string(rest);
  return result;
}

absl::StatusOr<std::optional<int>> PythonUrlPort(std::string_view netloc) {
  std::string_view host;
  std::optional<std::string_view> port;
  HostInfo(netloc, &host, &port);
  if (!port.has_value()) return std::nullopt;
  if (!std::all_of(port->begin(), port->end(), IsAsciiDigit)) {
    return absl::InvalidArgumentError("Port could not be cast to integer value as '" + std::string(*port) + "'");
  }
  // Leading zeros are allowed; only the value counts.
  const std::string_view digits = port->substr(std::min(port->find_first_not_of('0'), port->size()));
  if (digits.size() > 5 || (!digits.empty() && std::stoi(std::string(digits)) > 65535)) {
    return absl::InvalidArgumentError("Port out of range 0-65535");
  }
  return digits.empty() ? 0 : std::stoi(std::string(digits));
}

std::optional<std::string> PythonUrlHostname(std::string_view netloc) {
  std::string_view host;
  std::optional<std::string_view> port;
  HostInfo(netloc, &host, &port);
  if (host.empty()) return std::nullopt;
  const size_t percent = host.find('%');
  std::string hostname = AsciiLower(host.substr(0, percent));
  if (percent != std::string_view::npos) hostname.append(host.substr(percent));
  return hostname;
}

bool MatchesIpv4Pattern(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  int groups = 0;
  size_t i = 0;
  while (true) {
    const size_t start = i;
    while (i < text.size() && IsAsciiDigit(text[i])) ++i;
    if (i == start || i - start > 3) return false;
    ++groups;
    if (groups == 4) return i == text.size();
    if (i >= text.size() || text[i] != '.') return false;
    ++i;
  }
}

bool IsValidIpv6EndpointUrl(std::string_view url) {
  if (url.find_first_of("\t\r\n") != std::string_view::npos) return false;
  absl::StatusOr<PythonUrl> parsed = PythonUrlParse(url);
  if (!parsed.ok()) return false;
  const std::optional<std::string> hostname = PythonUrlHostname(parsed->netloc);
  // Python formats None as "None" into "[None]", which never matches.
  if (!hostname.has_value()) return false;
  return Ipv6AddrzPattern().MatchesAtStart("[" + *hostname + "]");
}

bool IsPythonIpv4Address(std::string_view text) {
  if (text.empty() || text.find('/') != std::string_view::npos) return false;
  const std::vector<std::string_view> octets = Split(text, '.');
  if (octets.size() != 4) return false;
  for (std::string_view octet : octets) {
    if (octet.empty() || octet.size() > 3 || !std::all_of(octet.begin(), octet.end(), IsAsciiDigit)) return false;
    if (octet != "0" && octet.front() == '0') return false;
    if (std::stoi(std::string(octet)) > 255) return false;
  }
  return true;
}

bool IsPythonIpv6Address(std::string_view text) {
  if (text.find('/') != std::string_view::npos) return false;
  const size_t percent = text.find('%');
  if (percent != std::string_view::npos) {
    const std::string_view scope = text.substr(percent + 1);
    if (scope.empty() || scope.find('%') != std::string_view::npos) return false;
    text = text.substr(0, percent);
  }
  if (text.empty()) return false;
  std::vector<std::string> parts;
  for (std::string_view part : Split(text, ':')) parts.emplace_back(part);
  if (parts.size() < 3) return false;
  if (parts.back().find('.') != std::string::npos) {
    if (!IsPythonIpv4Address(parts.back())) return false;
    // Two hextets stand in for the dotted quad; their values do not matter.
    parts.back() = "0";
    parts.push_back("0");
  }
  constexpr int kHextets = 8;
  if (parts.size() > kHextets + 1) return false;
  int skip_index = -1;
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    if (parts[i].empty()) {
      if (skip_index >= 0) return false;
      skip_index = static_cast<int>(i);
    }
  }
  int hi = 0, lo = 0;
  const int count = static_cast<int>(parts.size());
  if (skip_index >= 0) {
    hi = skip_index;
    lo = count - skip_index - 1;
    if (parts.front().empty() && --hi != 0) return false;
    if (parts.back().empty() && --lo != 0) return false;
    if (kHextets - (hi + lo) < 1) return false;
  } else {
    if (count != kHextets || parts.front().empty() || parts.back().empty()) return false;
    hi = count;
    lo = 0;
  }
  const auto valid_hextet = [](const std::string& hextet) {
    return !hextet.empty() && hextet.size() <= 4 && std::all_of(hextet.begin(), hextet.end(), IsHexDigit);
  };
  for (int i = 0; i < hi; ++i) {
    if (!valid_hextet(parts[i])) return false;
  }
  for (int i = count - lo; i < count; ++i) {
    if (!valid_hextet(parts[i])) return false;
  }
  return true;
}

std::string PercentEncode(std::string_view text, std::string_view safe) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_' || c == '.' || c == '-' || c == '~' ||
        (byte < 0x80 && safe.find(c) != std::string_view::npos)) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

std::string NormalizeUrlPath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> output;
  for (std::string_view segment : Split(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!output.empty()) output.pop_back();
    } else {
      output.push_back(segment);
    }
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < output.size(); ++i) {
    if (i > 0) result.push_back('/');
    result.append(output[i]);
  }
  if (path.back() == '/' && !output.empty()) result.push_back('/');
  return result;
}

bool IsS3AccelerateUrl(std::string_view url) {
  absl::StatusOr<PythonUrl> parsed = PythonUrlParse(url);
  if (!parsed.ok()) return false;
  const std::string_view netloc = parsed->netloc;
  if ((parsed->scheme != "https" && parsed->scheme != "http") || netloc.size() < 13 ||
      netloc.substr(netloc.size() - 13) != "amazonaws.com") {
    return false;
  }
  const std::vector<std::string_view> parts = Split(netloc, '.');
  if (parts.front() != "s3-accelerate") return false;
  if (parts.size() < 3) return true;  // Python's parts[1:-2] is then empty
  std::vector<std::string_view> features(parts.begin() + 1, parts.end() - 2);
  std::sort(features.begin(), features.end());
  if (std::adjacent_find(features.begin(), features.end()) != features.end()) return false;
  return std::all_of(features.begin(), features.end(), [](std::string_view p) { return p == "dualstack"; });
}

}  // namespace awsd::endpoints
