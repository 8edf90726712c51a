#include "daemon/http/curl_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "daemon/http/curl_wire.h"

namespace awsd::http {
namespace {

using internal::AddHeaderLine;
using internal::AppendLine;
using internal::AppendRequestHeaders;
using internal::CheckTarget;
using internal::GlobalInit;
using internal::kMaxHeaderBytes;
using internal::Slist;

// What the callbacks fill in while curl runs.
struct Transfer {
  std::size_t max_body_bytes = 0;
  std::size_t header_bytes = 0;
  bool over_cap = false;
  HttpResponse response;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (transfer->response.body.size() + n > transfer->max_body_bytes) {
    // Returning short makes curl abort now, rather than reading the rest of
    // a flood only to throw it away.
    transfer->over_cap = true;
    return 0;
  }
  transfer->response.body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  transfer->header_bytes += n;
  if (transfer->header_bytes > kMaxHeaderBytes) {
    transfer->over_cap = true;
    return 0;
  }
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  auto& headers = transfer->response.headers;
  if (line.substr(0, 5) == "HTTP/") {
    // Each status line starts a new response (a 100 Continue, say): only the
    // last one's headers belong to the answer.
    headers.clear();
    return n;
  }
  if (line.empty()) return n;
  AddHeaderLine(line, headers);
  return n;
}

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options) : options_(std::move(options)) {}

  ~CurlHttpClient() override {
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
  }

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request, const RequestOptions& options) override {
    auto checked = CheckTarget(request, options_.loopback_port);
    if (!checked.ok()) return checked.status();
    const std::string& target = checked->target;
    Slist headers;
    auto present = AppendRequestHeaders(request, headers);
    if (!present.ok()) return present.status();
    std::vector<std::string> extra;
    if (options_.loopback_port.has_value() && !present->host) extra.push_back("Host: " + HostHeaderValue(checked->url));
    // "Name:" with nothing after it removes a header curl would add by itself
    // (Accept: */*, a form Content-Type, Expect: 100-continue), so the wire
    // carries exactly the headers that were signed.
    if (!present->accept) extra.push_back("Accept:");
    if (!present->content_type) extra.push_back("Content-Type:");
    if (!present->expect) extra.push_back("Expect:");
    for (const std::string& line : extra) {
      if (!AppendLine(headers, line)) return absl::ResourceExhaustedError("out of memory building request headers");
    }

    if (GlobalInit() != CURLE_OK) return absl::UnavailableError("libcurl failed to initialise");
    CURL* handle = Acquire();
    if (handle == nullptr) return absl::UnavailableError("libcurl could not create a handle");
    auto result = Perform(handle, request, target, headers.get(), options);
    Release(handle);
    return result;
  }

 private:
  absl::StatusOr<HttpResponse> Perform(CURL* handle, const HttpRequest& request, const std::string& target,
                                       curl_slist* headers, const RequestOptions& options) {
    Transfer transfer;
    transfer.max_body_bytes = options.max_response_bytes;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    // curl reads 0 as "no timeout": a zero or negative limit must still be one.
    const long connect_ms = std::max<long>(1, static_cast<long>(options.connect_timeout.count()));
    const long total_ms = std::max<long>(1, static_cast<long>(options.total_timeout.count()));

    curl_easy_setopt(handle, CURLOPT_URL, target.c_str());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_PROXY, "");
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(handle, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, total_ms);
    // Refuses a declared Content-Length over the cap before reading any body.
    curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_response_bytes));
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);

    const bool sends_body =
        !request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
    if (request.method == "HEAD") {
      curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else if (request.method == "GET" && !sends_body) {
      curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      if (sends_body) {
        curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
      }
    }

    const CURLcode code = curl_easy_perform(handle);
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
      transfer.response.status = static_cast<int>(status);
      return std::move(transfer.response);
    }

    const std::string what = absl::StrCat(request.method, " ", RedactUrl(request.url));
    std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
    if (transfer.over_cap || code == CURLE_FILESIZE_EXCEEDED) {
      return absl::ResourceExhaustedError(
          absl::StrCat(what, ": response larger than ", options.max_response_bytes, " bytes"));
    }
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT:
        return absl::DeadlineExceededError(absl::StrCat(what, ": ", detail, " (connect timeout ", connect_ms,
                                                        " ms, total timeout ", total_ms, " ms)"));
      case CURLE_URL_MALFORMAT:
      case CURLE_UNSUPPORTED_PROTOCOL:
        return absl::InvalidArgumentError(absl::StrCat(what, ": ", curl_easy_strerror(code)));
      default:
        return absl::UnavailableError(absl::StrCat(what, ": ", detail));
    }
  }

  CURL* Acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }

  // A reset handle forgets its options but keeps its open connections.
  void Release(CURL* handle) {
    curl_easy_reset(handle);
    {
      std::lock_guard lock(mutex_);
      if (idle_.size() < options_.max_idle_handles) {
        idle_.push_back(handle);
        return;
      }
    }
    curl_easy_cleanup(handle);
  }

  const CurlHttpClientOptions options_;
  std::mutex mutex_;
  std::vector<CURL*> idle_;
};

}  // namespace

std::shared_ptr<HttpClient> MakeCurlHttpClient(CurlHttpClientOptions options) {
  return std::make_shared<CurlHttpClient>(std::move(options));
}

}  // namespace awsd::http
