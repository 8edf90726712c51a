#include "daemon/http/async_transfer.h"

#include <algorithm>
#include <charconv>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace awsd::http::internal {
namespace {

std::optional<uint64_t> ParseLength(std::string_view value) {
  uint64_t n = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (error != std::errc() || end != value.data() + value.size() || value.empty()) return std::nullopt;
  return n;
}

// Three digits after "HTTP/x.y "; 0 when the line is not a status line curl
// would accept (curl then fails the transfer anyway).
int ParseStatus(std::string_view line) {
  const size_t space = line.find(' ');
  if (space == line.npos || line.size() < space + 4) return 0;
  int status = 0;
  const auto [end, error] = std::from_chars(line.data() + space + 1, line.data() + space + 4, status);
  return error == std::errc() && end == line.data() + space + 4 ? status : 0;
}

// The head is complete: tell the writer (who decides between streaming and
// buffering) or refuse a declared body over the buffering cap before reading
// any of it. False aborts the transfer.
bool OnHeadComplete(Transfer& t) {
  t.head_complete = true;
  t.response.status = t.status;
  if (t.exchange.body_writer != nullptr) {
    t.streaming = t.exchange.body_writer->OnHead(t.status, t.response.headers);
  }
  if (!t.streaming && t.exchange.request.method != "HEAD") {
    const std::string* length = t.response.FindHeader("Content-Length");
    if (length != nullptr) {
      const auto n = ParseLength(*length);
      if (n.has_value() && *n > t.exchange.options.max_buffered_response_bytes) {
        t.body_over_cap = true;
        return false;
      }
    }
  }
  return true;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const size_t n = size * count;
  t.Touch();
  t.header_bytes += n;
  if (t.header_bytes > kMaxHeaderBytes) {
    t.headers_over_cap = true;
    return 0;
  }
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  auto& headers = t.response.headers;
  if (!t.head_complete && line.substr(0, 5) == "HTTP/") {
    // Each status line starts a new response (a 100 Continue, say): only the
    // last one's headers belong to the answer.
    headers.clear();
    t.status = ParseStatus(line);
    return n;
  }
  if (line.empty()) {
    // Interim (1xx) heads end with a blank line too; only the final one
    // starts the body. Trailers after a chunked body also end with one.
    if (!t.head_complete && t.status >= 200) return OnHeadComplete(t) ? n : 0;
    return n;
  }
  AddHeaderLine(line, headers);
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const size_t n = size * count;
  t.Touch();
  if (t.streaming) {
    switch (t.exchange.body_writer->Write(std::string_view(data, n))) {
      case BodyWriter::WriteResult::kAccepted:
        return n;
      case BodyWriter::WriteResult::kWouldBlock:
        // curl keeps these bytes and offers them again after curl_easy_pause.
        t.write_paused = true;
        return CURL_WRITEFUNC_PAUSE;
      case BodyWriter::WriteResult::kFailed:
        break;
    }
    t.writer_failed = true;
    return 0;
  }
  if (t.response.body.size() + n > t.exchange.options.max_buffered_response_bytes) {
    // Returning short makes curl stop now rather than read the rest of a
    // flood only to throw it away.
    t.body_over_cap = true;
    return 0;
  }
  t.response.body.append(data, n);
  return n;
}

size_t OnRead(char* buffer, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  std::span<char> out(buffer, size * count);
  if (t.upload_length.has_value()) {
    // Never more than declared: extra bytes would be read by the server as
    // the start of the next request on the connection.
    const uint64_t remaining = *t.upload_length - t.uploaded;
    if (remaining == 0) return 0;
    if (remaining < out.size()) out = out.first(static_cast<size_t>(remaining));
  }
  const std::ptrdiff_t got = t.exchange.body_reader->Read(out);
  if (got > 0 && static_cast<size_t>(got) <= out.size()) {
    t.uploaded += static_cast<uint64_t>(got);
    t.Touch();
    return static_cast<size_t>(got);
  }
  if (got == 0) {
    if (t.upload_length.has_value() && t.uploaded < *t.upload_length) {
      t.reader_short = true;
      return CURL_READFUNC_ABORT;
    }
    return 0;
  }
  if (got == BodyReader::kWouldBlock) {
    t.read_paused = true;
    return CURL_READFUNC_PAUSE;
  }
  t.reader_failed = true;
  return CURL_READFUNC_ABORT;
}

// Counts bytes curl moved without a callback of ours (a buffered request
// body going out) as progress for the read timeout.
int OnProgress(void* user, curl_off_t, curl_off_t down, curl_off_t, curl_off_t up) {
  auto& t = *static_cast<Transfer*>(user);
  if (down != t.seen_down || up != t.seen_up) {
    t.seen_down = down;
    t.seen_up = up;
    t.Touch();
  }
  return 0;
}

// Called once a connection is ready (new or reused), before the request goes
// out: the wait for a free connection and the connect are over.
int OnConnected(void* user, char*, char*, int, int) {
  auto& t = *static_cast<Transfer*>(user);
  t.connected = true;
  t.Touch();
  return CURL_PREREQFUNC_OK;
}

}  // namespace

std::string Describe(const Transfer& transfer) {
  return absl::StrCat(transfer.exchange.request.method, " ", RedactUrl(transfer.exchange.request.url));
}

absl::Status Prepare(Transfer& t, const AsyncHttpClientOptions& client) {
  const HttpRequest& request = t.exchange.request;
  const ExchangeOptions& options = t.exchange.options;
  auto checked = CheckTarget(request, client.loopback_port);
  if (!checked.ok()) return checked.status();
  t.target = std::move(checked->target);
  auto present = AppendRequestHeaders(request, t.headers);
  if (!present.ok()) return present.status();
  const std::string* content_length = present->content_length;

  if (t.exchange.body_reader != nullptr) {
    t.upload_length = t.exchange.content_length;
    if (content_length != nullptr) {
      // A signed Content-Length must match what curl frames the body with;
      // without content_length it is the length (curl would go chunked and
      // send both).
      const auto declared = ParseLength(*content_length);
      if (!declared.has_value()) return RequestError(request, "invalid Content-Length header");
      if (t.upload_length.has_value() && *t.upload_length != *declared) {
        return RequestError(request, "Content-Length header differs from the body's content_length");
      }
      t.upload_length = declared;
    }
  }

  std::vector<std::string> extra;
  if (client.loopback_port.has_value() && !present->host) extra.push_back("Host: " + HostHeaderValue(checked->url));
  if (!present->user_agent && !client.user_agent.empty()) {
    if (HasLineBreakOrNul(client.user_agent)) return RequestError(request, "line break in the user agent");
    extra.push_back("User-Agent: " + client.user_agent);
  }
  // "Name:" with nothing after it removes a header curl would add by itself
  // (Accept: */*, a form Content-Type, Expect: 100-continue for large or
  // chunked bodies, Proxy-Connection towards a proxy), so the wire carries
  // exactly the headers that were signed.
  if (!present->accept) extra.push_back("Accept:");
  if (!present->content_type) extra.push_back("Content-Type:");
  if (!present->expect) extra.push_back(options.expect_continue ? "Expect: 100-continue" : "Expect:");
  if (!present->proxy_connection && !options.proxy.empty()) extra.push_back("Proxy-Connection:");
  for (const std::string& line : extra) {
    if (!AppendLine(t.headers, line)) return absl::ResourceExhaustedError("out of memory building request headers");
  }
  return absl::OkStatus();
}

void Configure(CURL* easy, Transfer& t) {
  const HttpRequest& request = t.exchange.request;
  const ExchangeOptions& options = t.exchange.options;
  t.easy = easy;
  t.error_buffer[0] = '\0';
  // curl reads 0 as "no timeout": a zero or negative limit must still be one.
  const long connect_ms = std::max<long>(1, static_cast<long>(options.connect_timeout.count()));

  curl_easy_setopt(easy, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(easy, CURLOPT_URL, t.target.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  // Always set: "" turns off curl's own reading of http_proxy and friends;
  // the choice is ProxyFor's, made by the caller.
  curl_easy_setopt(easy, CURLOPT_PROXY, options.proxy.c_str());
  curl_easy_setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &OnConnected);
  curl_easy_setopt(easy, CURLOPT_PREREQDATA, &t);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.error_buffer);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t.headers.get());
  if (!options.ca_bundle.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_bundle.c_str());
  if (!options.verify_tls) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }

  if (t.exchange.body_reader != nullptr) {
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, &OnRead);
    curl_easy_setopt(easy, CURLOPT_READDATA, &t);
    // -1 (unknown) makes curl send the body chunked.
    const curl_off_t length = t.upload_length.has_value() ? static_cast<curl_off_t>(*t.upload_length) : -1;
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, length);
    return;
  }
  const bool sends_body =
      !request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (request.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET" && !sends_body) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (sends_body) {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    }
  }
}

absl::Status ErrorFor(const Transfer& t, CURLcode code) {
  const std::string what = Describe(t);
  std::string detail = t.error_buffer[0] != '\0' ? t.error_buffer : curl_easy_strerror(code);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
  const ExchangeOptions& options = t.exchange.options;
  if (t.headers_over_cap) {
    return absl::ResourceExhaustedError(absl::StrCat(what, ": response head larger than ", kMaxHeaderBytes, " bytes"));
  }
  if (t.body_over_cap || code == CURLE_FILESIZE_EXCEEDED) {
    return absl::ResourceExhaustedError(
        absl::StrCat(what, ": response body larger than ", options.max_buffered_response_bytes, " bytes"));
  }
  if (t.reader_failed) return absl::AbortedError(absl::StrCat(what, ": the request body reader failed"));
  if (t.reader_short) {
    return absl::AbortedError(
        absl::StrCat(what, ": the request body ended after ", t.uploaded, " of ", *t.upload_length, " bytes"));
  }
  if (t.writer_failed) return absl::AbortedError(absl::StrCat(what, ": the response body writer failed"));
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      // Only the connect timeout is curl's; the read and total ones are ours.
      return absl::DeadlineExceededError(
          absl::StrCat(what, ": ", detail, " (connect timeout ", options.connect_timeout.count(), " ms)"));
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", curl_easy_strerror(code)));
    case CURLE_PARTIAL_FILE:
      return absl::DataLossError(absl::StrCat(what, ": ", detail));
    case CURLE_RECV_ERROR:
      // A reset before the answer is a failed call (retryable); after the
      // head it is a response with a hole in it.
      if (t.head_complete) return absl::DataLossError(absl::StrCat(what, ": ", detail));
      return absl::UnavailableError(absl::StrCat(what, ": ", detail));
    case CURLE_OUT_OF_MEMORY:
      return absl::ResourceExhaustedError(absl::StrCat(what, ": ", detail));
    case CURLE_ABORTED_BY_CALLBACK:
      return absl::AbortedError(absl::StrCat(what, ": ", detail));
    default:
      return absl::UnavailableError(absl::StrCat(what, ": ", detail));
  }
}

}  // namespace awsd::http::internal
