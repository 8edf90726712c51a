#include "daemon/invoke/presign.h"

#include "absl/strings/str_cat.h"

namespace awsd::invoke {
namespace {

bool IsFormBody(const http::HttpRequest& request) {
  for (const auto& header : request.headers) {
    if (http::EqualsIgnoreCase(header.name, "Content-Type")) {
      return header.value.starts_with("application/x-www-form-urlencoded");
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<PresignedUrl> PresignOperation(Invoker& invoker, const InvokeCall& call, int64_t expires_in_seconds,
                                              const std::string& http_method) {
  if (expires_in_seconds < 1 || expires_in_seconds > 604800) {
    return absl::InvalidArgumentError(
        absl::StrCat("expires_in_seconds: ", expires_in_seconds, " is not between 1 and 604800 (7 days)"));
  }
  PrepareOptions options;
  options.presign = true;
  auto prepared = invoker.Prepare(call, options);
  if (!prepared.ok()) return prepared.status();
  http::HttpRequest& request = prepared->request.request;
  if (!http_method.empty()) request.method = http_method;
  // SigV4QueryAuth: a form body (query protocol) moves into the query string.
  const bool form_body = IsFormBody(request);
  if (form_body) {
    if (!request.body.empty()) {
      absl::StrAppend(&request.url, request.url.find('?') == std::string::npos ? "?" : "&", request.body);
    }
    request.body.clear();
  }
  // The URL's user sends no User-Agent of ours, nor the form's content type.
  std::erase_if(request.headers, [form_body](const http::Header& header) {
    return http::EqualsIgnoreCase(header.name, "User-Agent") ||
           (form_body && http::EqualsIgnoreCase(header.name, "Content-Type"));
  });
  auto credentials = prepared->client->session().Credentials();
  if (!credentials.ok()) return credentials.status();
  signing::SigningParams params = prepared->request.signing;
  params.location = signing::SignatureLocation::kQueryString;
  params.expires_seconds = expires_in_seconds;
  params.time = std::chrono::system_clock::now();
  auto signed_request = invoker.signer().Sign(request, **credentials, params);
  if (!signed_request.ok()) return signed_request.status();
  return PresignedUrl{std::move(signed_request->request.url), std::move(signed_request->warnings)};
}

}  // namespace awsd::invoke
