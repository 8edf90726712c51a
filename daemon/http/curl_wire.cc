#include "daemon/http/curl_wire.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace awsd::http::internal {

CURLcode GlobalInit() {
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  return result;
}

bool AppendLine(Slist& list, const std::string& line) {
  curl_slist* appended = curl_slist_append(list.get(), line.c_str());
  if (appended == nullptr) return false;
  (void)list.release();
  list.reset(appended);
  return true;
}

bool HasLineBreakOrNul(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) != s.npos; }

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

absl::Status RequestError(const HttpRequest& request, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(request.method, " ", RedactUrl(request.url), ": ", std::string(what)));
}

absl::StatusOr<CheckedTarget> CheckTarget(const HttpRequest& request, std::optional<uint16_t> loopback_port) {
  if (!IsToken(request.method)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid HTTP method for ", RedactUrl(request.url)));
  }
  auto url = ParseUrl(request.url);
  if (!url.ok()) return url.status();
  CheckedTarget checked{*url, request.url};
  if (loopback_port.has_value()) {
    checked.target = absl::StrCat("http://127.0.0.1:", *loopback_port, url->path.empty() ? "/" : "");
    checked.target.append(url->path.data(), url->path.size());
    if (url->query.has_value()) absl::StrAppend(&checked.target, "?", std::string(*url->query));
  }
  return checked;
}

absl::StatusOr<PresentHeaders> AppendRequestHeaders(const HttpRequest& request, Slist& list) {
  PresentHeaders present;
  for (const Header& header : request.headers) {
    if (!IsToken(header.name)) return RequestError(request, "invalid header name");
    if (HasLineBreakOrNul(header.value)) {
      return RequestError(request, absl::StrCat("line break in the value of header ", header.name));
    }
    present.host |= EqualsIgnoreCase(header.name, "Host");
    present.accept |= EqualsIgnoreCase(header.name, "Accept");
    present.content_type |= EqualsIgnoreCase(header.name, "Content-Type");
    present.expect |= EqualsIgnoreCase(header.name, "Expect");
    present.user_agent |= EqualsIgnoreCase(header.name, "User-Agent");
    present.proxy_connection |= EqualsIgnoreCase(header.name, "Proxy-Connection");
    if (EqualsIgnoreCase(header.name, "Content-Length")) present.content_length = &header.value;
    const std::string line = header.value.empty() ? header.name + ";" : header.name + ": " + header.value;
    if (!AppendLine(list, line)) return absl::ResourceExhaustedError("out of memory building request headers");
  }
  return present;
}

void AddHeaderLine(std::string_view line, std::vector<Header>& headers) {
  if ((line.front() == ' ' || line.front() == '\t') && !headers.empty()) {
    absl::string_view folded = absl::StripAsciiWhitespace(absl::string_view(line.data(), line.size()));
    headers.back().value += ' ';
    headers.back().value.append(folded.data(), folded.size());
    return;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  absl::string_view value =
      absl::StripAsciiWhitespace(absl::string_view(line.data() + colon + 1, line.size() - colon - 1));
  headers.push_back(Header{std::string(line.substr(0, colon)), std::string(value.data(), value.size())});
}

}  // namespace awsd::http::internal
