#include "daemon/credentials/container_provider.h"

#include <arpa/inet.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "daemon/credentials/expiration_time.h"
#include "nlohmann/json.hpp"

namespace awsd::credentials {
namespace {

constexpr char kRelativeUriVar[] = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
constexpr char kFullUriVar[] = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
constexpr char kTokenVar[] = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
constexpr char kTokenFileVar[] = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
constexpr char kEcsHost[] = "169.254.170.2";
constexpr const char* kAllowedHosts[] = {kEcsHost, "169.254.170.23", "fd00:ec2::23", "localhost"};

// The answer is a few hundred bytes; an EKS token about a kilobyte.
constexpr std::size_t kMaxResponseBytes = 64 * 1024;
constexpr std::size_t kMaxTokenBytes = 16 * 1024;

absl::Status Failure(absl::StatusCode code, std::string_view what) {
  return absl::Status(code, absl::StrCat("Error when retrieving credentials from container-role: ", std::string(what)));
}

bool IsLoopback(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

// ContainerMetadataFetcher._validate_allowed_url.
absl::Status ValidateUrl(const std::string& url) {
  auto parts = http::ParseUrl(url);
  if (!parts.ok()) {
    if (url.find("://") == std::string::npos) {
      return Failure(absl::StatusCode::kInvalidArgument,
                     absl::StrCat("Unsupported container credentials URI '", http::RedactUrl(url),
                                  "': the URI did not specify a host"));
    }
    return Failure(parts.status().code(), std::string(parts.status().message()));
  }
  if (parts->https) return absl::OkStatus();
  std::string host(parts->host);
  absl::AsciiStrToLower(&host);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (IsLoopback(host)) return absl::OkStatus();
  for (const char* allowed : kAllowedHosts) {
    if (host == allowed) return absl::OkStatus();
  }
  return Failure(absl::StatusCode::kInvalidArgument,
                 absl::StrCat("Unsupported host '", http::RedactUrl(host),
                              "'.  Can only retrieve metadata from a loopback address or one of these hosts: ",
                              "169.254.170.2, 169.254.170.23, fd00:ec2::23, localhost"));
}

// The Authorization value, if one is configured.
absl::StatusOr<std::optional<Secret>> AuthorizationToken(const ProviderContext& context) {
  std::optional<Secret> token;
  const char* source = nullptr;
  if (auto path = context.environment(kTokenFileVar)) {
    auto contents = context.files->ReadFile(*path, kMaxTokenBytes);
    if (!contents.ok()) {
      return Failure(contents.status().code(),
                     absl::StrCat("cannot read ", kTokenFileVar, ": ", std::string(contents.status().message())));
    }
    token = Secret(*contents);
    contents->assign(contents->size(), '\0');
    source = kTokenFileVar;
  } else if (auto value = context.environment(kTokenVar)) {
    token = Secret(*value);
    source = kTokenVar;
  }
  if (token.has_value() && token->view().find_first_of("\r\n") != std::string_view::npos) {
    // The value is never shown: it is the credential.
    return Failure(absl::StatusCode::kInvalidArgument,
                   absl::StrCat("Auth token value is not a legal header value (from ", source,
                                "): it holds a carriage return or line feed"));
  }
  return token;
}

enum class Retry { kYes, kNo };

struct Attempt {
  absl::Status error{};  // set when there is no document
  Retry retry = Retry::kNo;
  nlohmann::json document{};
};

// ContainerMetadataFetcher._get_response: failures that botocore wraps in
// MetadataRetrievalError are retried; others end the fetch.
Attempt FetchOnce(const ProviderContext& context, const http::HttpRequest& request,
                  std::chrono::milliseconds timeout) {
  // urllib3 bounds the connect and each read by the timeout; one connect and
  // one read is the whole of an answer this small.
  const http::RequestOptions options{timeout, 2 * timeout, kMaxResponseBytes};
  auto response = context.http->Send(request, options);
  if (!response.ok()) {
    const auto code = response.status().code();
    const bool retryable = code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded;
    return {Failure(code, absl::StrCat("Error retrieving metadata: Received error when attempting to retrieve "
                                       "container metadata: ",
                                       std::string(response.status().message()))),
            retryable ? Retry::kYes : Retry::kNo};
  }
  if (response->status != 200) {
    // botocore quotes the body; it may echo what was sent, so not here.
    return {Failure(absl::StatusCode::kUnavailable,
                    absl::StrCat("Error retrieving metadata: Received non 200 response ", response->status,
                                 " from container metadata")),
            Retry::kYes};
  }
  Attempt attempt;
  attempt.document = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  response->body.assign(response->body.size(), '\0');
  if (attempt.document.is_discarded()) {
    return {Failure(absl::StatusCode::kUnavailable,
                    "Error retrieving metadata: Unable to parse JSON returned from container metadata services"),
            Retry::kYes};
  }
  return attempt;
}

absl::StatusOr<std::shared_ptr<const Credentials>> ToCredentials(const nlohmann::json& document) {
  if (!document.is_object()) {
    return Failure(absl::StatusCode::kInternal, "the container metadata answer is not a JSON object");
  }
  auto text = [&](const char* key) -> const std::string* {
    auto it = document.find(key);
    return it != document.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
  };
  for (const char* required : {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}) {
    if (text(required) == nullptr) {
      return Failure(absl::StatusCode::kInternal,
                     absl::StrCat("Missing required key in response: '", required, "' (or not a string)"));
    }
  }
  absl::Time expiration;
  std::string error;
  std::optional<std::chrono::system_clock::time_point> expires;
  if (absl::ParseTime(absl::RFC3339_full, *text("Expiration"), &expiration, &error)) {
    expires = ToExpirationTime(expiration);
  }
  if (!expires.has_value()) return Failure(absl::StatusCode::kInternal, "the Expiration field is not an ISO 8601 time");
  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = *text("AccessKeyId");
  credentials->secret_access_key = Secret(*text("SecretAccessKey"));
  credentials->session_token = Secret(*text("Token"));
  credentials->expiration = *expires;
  if (const std::string* account = text("AccountId")) credentials->account_id = *account;
  credentials->source = "container-role";
  std::shared_ptr<const Credentials> result = std::move(credentials);
  return result;
}

}  // namespace

ContainerProvider::ContainerProvider(ProviderContext context, Options options)
    : context_(std::move(context)), options_(options) {}

absl::StatusOr<std::shared_ptr<const Credentials>> ContainerProvider::Resolve() {
  const auto relative = context_.environment(kRelativeUriVar);
  const auto full = context_.environment(kFullUriVar);
  if (!relative.has_value() && !full.has_value()) return nullptr;
  const std::string url = relative.has_value() ? absl::StrCat("http://", kEcsHost, *relative) : *full;

  // botocore reads the token before it looks at the URL; the order decides
  // which of two problems is reported.
  auto token = AuthorizationToken(context_);
  if (!token.ok()) return token.status();
  if (auto valid = ValidateUrl(url); !valid.ok()) return valid;

  http::HttpRequest request{"GET", url, {{"Accept", "application/json"}}, ""};
  if (token->has_value()) request.headers.push_back({"Authorization", std::string((*token)->view())});
  Attempt attempt;
  for (int tries = 1;; ++tries) {
    attempt = FetchOnce(context_, request, options_.timeout);
    if (attempt.error.ok() || attempt.retry == Retry::kNo || tries >= options_.attempts) break;
    // botocore also pauses after the last failure, before raising; that only
    // delays the error, so it is not copied.
    context_.sleep(options_.pause);
  }
  if (!attempt.error.ok()) return attempt.error;
  return ToCredentials(attempt.document);
}

}  // namespace awsd::credentials
