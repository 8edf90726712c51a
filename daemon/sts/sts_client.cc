#include "daemon/sts/sts_client.h"

#include <openssl/crypto.h>

#include <random>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "awsd_version.h"
#include "daemon/http/http_status.h"
#include "daemon/signing/uri_encoding.h"
#include "daemon/sts/sts_response.h"

namespace awsd::sts {
namespace {

constexpr const char* kErrorCodePayload = "type.awsd/sts.error_code";
constexpr std::size_t kMaxServerMessage = 512;

// Exception shapes of STS's service model whose wire code differs from the
// shape name.
constexpr std::pair<std::string_view, std::string_view> kModeledNames[] = {
    {"IDPCommunicationError", "IDPCommunicationErrorException"},
    {"IDPRejectedClaim", "IDPRejectedClaimException"},
    {"InvalidIdentityToken", "InvalidIdentityTokenException"},
    {"MalformedPolicyDocument", "MalformedPolicyDocumentException"},
    {"PackedPolicyTooLarge", "PackedPolicyTooLargeException"},
};

// Query-protocol 400s that say a parameter was wrong.
constexpr std::string_view kInvalidArgumentCodes[] = {
    "ValidationError",       "MalformedPolicyDocument",     "PackedPolicyTooLarge",
    "InvalidParameterValue", "InvalidParameterCombination", "MissingParameter",
    "InvalidAction",
};

std::string_view ModeledName(std::string_view code) {
  for (const auto& [wire, name] : kModeledNames) {
    if (wire == code) return name;
  }
  return code;
}

double UniformRandom() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

void AppendParam(std::string_view name, std::string_view value, std::string* body) {
  body->push_back('&');
  body->append(name);
  body->push_back('=');
  signing::AppendUriEncoded(value, /*keep_slash=*/false, body);
}

void ReplaceAll(std::string& text, std::string_view needle, std::string_view replacement) {
  if (needle.empty()) return;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + replacement.size())) {
    text.replace(at, needle.size(), replacement);
  }
}

void Wipe(std::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

}  // namespace

// One operation: its name, its form body, the secrets it carries (so that an
// echo of them in an error can be masked) and whether it is signed.
struct StsClient::Call {
  std::string action;
  std::string body;
  std::vector<std::string_view> secrets;
  const credentials::Credentials* signer_credentials = nullptr;  // null: unsigned
  std::string source;
};

namespace {

// The server's message made safe to show: no secret it might echo, no
// control bytes, bounded.
std::string SafeServerMessage(std::string message, const std::vector<std::string_view>& secrets) {
  for (std::string_view secret : secrets) {
    // Masking a two-byte value would garble the message and hide nothing.
    if (secret.size() < 4) continue;
    ReplaceAll(message, secret, "<redacted>");
    // Tokens read from a file usually end in a newline the echo may drop.
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r' || secret.back() == ' ')) {
      secret.remove_suffix(1);
    }
    if (secret.size() >= 4) ReplaceAll(message, secret, "<redacted>");
  }
  for (char& c : message) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (message.size() > kMaxServerMessage) {
    message.resize(kMaxServerMessage);
    message += "...";
  }
  return message;
}

absl::StatusCode CodeFor(int http_status, std::string_view error_code) {
  const AttemptOutcome outcome{http_status, std::string(error_code), false};
  if (http_status >= 500 || http_status == 429 || IsThrottling(RetryMode::kStandard, outcome) ||
      error_code == "IDPCommunicationError") {
    return absl::StatusCode::kUnavailable;
  }
  if (error_code == "RegionDisabledException") return absl::StatusCode::kFailedPrecondition;
  if (http_status == 401 || http_status == 403) return absl::StatusCode::kPermissionDenied;
  for (std::string_view code : kInvalidArgumentCodes) {
    if (code == error_code) return absl::StatusCode::kInvalidArgument;
  }
  if (http_status >= 400) return absl::StatusCode::kFailedPrecondition;
  return absl::StatusCode::kUnavailable;
}

}  // namespace

StsClient::StsClient(credentials::ProviderContext context, std::shared_ptr<signing::Signer> signer,
                     StsEndpoint endpoint, int max_attempts, RetryMode retry_mode)
    : context_(std::move(context)),
      signer_(std::move(signer)),
      endpoint_(std::move(endpoint)),
      max_attempts_(max_attempts < 1 ? 1 : max_attempts),
      retry_mode_(retry_mode) {}

http::RequestOptions StsRequestOptions() {
  http::RequestOptions options;
  options.connect_timeout = std::chrono::seconds(3);
  options.total_timeout = std::chrono::seconds(10);
  options.max_response_bytes = 1 << 20;
  return options;
}

std::optional<std::string> StsErrorCode(const absl::Status& status) {
  const auto code = status.GetPayload(kErrorCodePayload);
  if (!code.has_value()) return std::nullopt;
  return std::string(*code);
}

absl::StatusOr<std::shared_ptr<const credentials::Credentials>> StsClient::AssumeRole(
    const AssumeRoleRequest& request, const credentials::Credentials& caller) {
  // botocore's query serializer order: the input shape's members.
  Call call{"AssumeRole", "Action=AssumeRole&Version=2011-06-15", {}, &caller, "assume-role"};
  AppendParam("RoleArn", request.role_arn, &call.body);
  AppendParam("RoleSessionName", request.role_session_name, &call.body);
  if (request.duration_seconds) AppendParam("DurationSeconds", std::to_string(*request.duration_seconds), &call.body);
  if (request.external_id) AppendParam("ExternalId", *request.external_id, &call.body);
  if (request.serial_number) AppendParam("SerialNumber", *request.serial_number, &call.body);
  if (request.token_code) {
    AppendParam("TokenCode", request.token_code->view(), &call.body);
    call.secrets.push_back(request.token_code->view());
  }
  if (request.source_identity) AppendParam("SourceIdentity", *request.source_identity, &call.body);
  auto result = Run(call);
  Wipe(call.body);
  return result;
}

absl::StatusOr<std::shared_ptr<const credentials::Credentials>> StsClient::AssumeRoleWithWebIdentity(
    const AssumeRoleWithWebIdentityRequest& request) {
  Call call{"AssumeRoleWithWebIdentity",
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15",
            {request.web_identity_token.view()},
            nullptr,
            "assume-role-with-web-identity"};
  AppendParam("RoleArn", request.role_arn, &call.body);
  AppendParam("RoleSessionName", request.role_session_name, &call.body);
  AppendParam("WebIdentityToken", request.web_identity_token.view(), &call.body);
  if (request.duration_seconds) AppendParam("DurationSeconds", std::to_string(*request.duration_seconds), &call.body);
  auto result = Run(call);
  Wipe(call.body);
  return result;
}

absl::StatusOr<std::shared_ptr<const credentials::Credentials>> StsClient::Run(const Call& call) {
  const std::string url = StsRequestUrl(endpoint_.url);
  const std::string where = "STS " + call.action + " at " + http::RedactUrl(url);
  const http::RequestOptions options = StsRequestOptions();

  for (int attempt = 1;; ++attempt) {
    http::HttpRequest request{"POST",
                              url,
                              {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                               {"User-Agent", std::string("awsd/") + kAwsdVersion}},
                              call.body};
    if (call.signer_credentials != nullptr) {
      signing::SigningParams params;
      params.service = "sts";
      params.region = endpoint_.signing_region;
      params.time = context_.clock();
      absl::StatusOr<signing::SigningResult> signed_request = signer_->Sign(request, *call.signer_credentials, params);
      Wipe(request.body);
      if (!signed_request.ok()) {
        return absl::Status(signed_request.status().code(),
                            where + ": cannot sign the request: " + std::string(signed_request.status().message()));
      }
      request = std::move(signed_request->request);
    }

    absl::StatusOr<http::HttpResponse> response = context_.http->Send(request, options);
    Wipe(request.body);

    AttemptOutcome outcome;
    std::optional<StsError> error;
    if (!response.ok()) {
      const absl::StatusCode code = response.status().code();
      outcome.transport_error = code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded;
    } else {
      outcome.http_status = response->status;
      if (response->status >= 200 && response->status < 300) {
        absl::StatusOr<credentials::Credentials> parsed = ParseCredentialsResult(response->body, call.action);
        if (!parsed.ok()) {
          return absl::Status(parsed.status().code(),
                              std::string(parsed.status().message()) + " (" + http::RedactUrl(url) + ")");
        }
        parsed->source = call.source;
        return std::make_shared<const credentials::Credentials>(*std::move(parsed));
      }
      error = ParseStsError(response->body);
      if (error.has_value()) outcome.error_code = error->code;
    }

    const bool retry = IsRetryable(retry_mode_, outcome);
    if (retry && attempt < max_attempts_) {
      context_.sleep(RetryDelay(attempt + 1, UniformRandom()));
      continue;
    }

    std::string tried;
    if (retry) tried = ", " + std::to_string(attempt) + (attempt == 1 ? " attempt" : " attempts");
    if (!response.ok()) {
      return absl::Status(response.status().code(), where + tried + ": " + std::string(response.status().message()));
    }
    const int status = response->status;
    if (!error.has_value()) {
      std::string reason(http::HttpReasonPhrase(status));
      return absl::Status(CodeFor(status, ""), where + " answered HTTP " + std::to_string(status) +
                                                   (reason.empty() ? "" : " (" + reason + ")") +
                                                   " without an STS error document" + tried);
    }
    const std::string code = SafeServerMessage(error->code.substr(0, 128), {});
    std::string message(ModeledName(code));
    message += ": ";
    message += SafeServerMessage(error->message, call.secrets);
    message += " (" + where + ", HTTP " + std::to_string(status);
    if (ModeledName(code) != code) message += ", error code " + code;
    if (!error->request_id.empty()) message += ", request id " + SafeServerMessage(error->request_id, {});
    message += tried + ")";
    absl::Status failure(CodeFor(status, error->code), message);
    failure.SetPayload(kErrorCodePayload, absl::Cord(code));
    return failure;
  }
}

}  // namespace awsd::sts
