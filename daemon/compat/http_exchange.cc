#include "daemon/compat/http_exchange.h"

#include <openssl/crypto.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "absl/status/status.h"
#include "daemon/common/secret.h"
#include "daemon/http/http_status.h"
#include "nlohmann/json.hpp"

namespace awsd::compat {
namespace {

std::string_view TrimLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Debian's Abseil has its own string_view type, so splitting and trimming
// std::string_view is done here rather than with absl/strings.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

std::string_view Strip(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

const std::string* HttpRequest::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? nullptr : &it->second;
}

std::optional<std::size_t> FindEndOfHead(std::string_view received) {
  const std::size_t crlf = received.find("\r\n\r\n");
  const std::size_t lf = received.find("\n\n");
  if (crlf == std::string_view::npos && lf == std::string_view::npos) return std::nullopt;
  if (lf == std::string_view::npos || (crlf != std::string_view::npos && crlf < lf)) return crlf + 4;
  return lf + 2;
}

absl::StatusOr<HttpRequest> ParseRequestHead(std::string_view head) {
  std::vector<std::string_view> lines = Split(head, '\n');
  while (!lines.empty() && TrimLine(lines.back()).empty()) lines.pop_back();
  if (lines.empty()) return absl::InvalidArgumentError("empty request");

  std::vector<std::string_view> parts = Split(TrimLine(lines[0]), ' ');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || !parts[2].starts_with("HTTP/1.")) {
    return absl::InvalidArgumentError("malformed request line");
  }
  HttpRequest request;
  request.method = std::string(parts[0]);
  std::string_view target = parts[1];
  if (const std::size_t query = target.find('?'); query != std::string_view::npos) target = target.substr(0, query);
  request.path = std::string(target);

  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = TrimLine(lines[i]);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') return absl::InvalidArgumentError("folded header line");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return absl::InvalidArgumentError("malformed header line");
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return std::isspace(c); })) {
      return absl::InvalidArgumentError("malformed header name");
    }
    std::string value(Strip(line.substr(colon + 1)));
    request.headers.emplace(std::move(name), std::move(value));
  }
  return request;
}

std::string SerializeResponse(const HttpResponse& response) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " ";
  const std::string_view reason = http::HttpReasonPhrase(response.status);
  out += reason.empty() ? std::string_view("Unknown") : reason;
  out += "\r\nContent-Type: " + response.content_type;
  out += "\r\nContent-Length: " + std::to_string(response.body.size());
  out += "\r\nConnection: close\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += "\r\n";
  out += response.body;
  return out;
}

HttpResponse JsonError(int status, std::string_view code, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = nlohmann::json{{"code", code}, {"message", message}}.dump();
  return response;
}

absl::StatusOr<std::string> ReadRequestHead(int fd, std::chrono::milliseconds timeout, HeadReadError& error) {
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  while (true) {
    if (auto end = FindEndOfHead(received)) {
      std::string head = received.substr(0, *end);
      WipeString(received);
      return head;
    }
    if (received.size() > kMaxRequestHeadBytes) {
      WipeString(received);
      error = {431, "the request head is too large"};
      return absl::InvalidArgumentError(std::string(error.message));
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd readable{fd, POLLIN, 0};
    if (left.count() <= 0 || poll(&readable, 1, static_cast<int>(left.count())) <= 0) {
      WipeString(received);
      error = {408, "the request head did not arrive in time"};
      return absl::DeadlineExceededError(std::string(error.message));
    }
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      WipeString(received);
      error = {400, "the connection closed before the request was complete"};
      return absl::InvalidArgumentError(std::string(error.message));
    }
    received.append(buffer, static_cast<std::size_t>(n));
    OPENSSL_cleanse(buffer, sizeof(buffer));
  }
}

}  // namespace awsd::compat
