#include "daemon/credentials/sso_provider.h"

#include "daemon/credentials/wipe_json.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "daemon/config/settings.h"
#include "daemon/http/http_status.h"
#include "nlohmann/json.hpp"

namespace awsd::credentials {
namespace {

using Json = nlohmann::json;

constexpr char kLoginHint[] =
    "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO "
    "session run aws sso login with the corresponding profile.";
constexpr char kPrefix[] = "Error when retrieving credentials from sso: ";

void Wipe(std::string& text) { WipeString(text); }
void Wipe(Json& value) { WipeJson(value); }

// botocore's percent_encode: everything but RFC 3986's unreserved bytes.
std::string PercentEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

// Service text going into an error message: printable, bounded.
std::string Printable(std::string text, std::size_t limit) {
  for (char& c : text) {
    if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
  }
  if (text.size() > limit) text.resize(limit);
  return text;
}

struct ServiceError {
  std::string code;
  std::string message;
};

// A rest-json error as botocore's RestJSONParser reads it; a body that is
// not JSON (a load balancer's 5xx page) gets the status and its reason, as
// botocore's generic error does.
ServiceError ParseServiceError(const http::HttpResponse& response) {
  ServiceError error;
  const Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    for (const char* key : {"message", "Message"}) {
      if (auto it = body.find(key); it != body.end() && it->is_string()) {
        error.message = it->get<std::string>();
        break;
      }
    }
    // botocore's RestJSONParser: code / Code before __type.
    for (const char* key : {"code", "Code", "__type"}) {
      if (auto it = body.find(key); it != body.end() && it->is_string()) {
        error.code = it->get<std::string>();
        break;
      }
    }
  } else {
    const std::string_view reason = http::HttpReasonPhrase(response.status);
    error.message = reason.empty() ? "Unknown" : std::string(reason);
  }
  if (const std::string* header = response.FindHeader("x-amzn-errortype")) error.code = *header;
  error.code = error.code.substr(0, error.code.find(':'));
  if (const std::size_t hash = error.code.rfind('#'); hash != std::string::npos) error.code.erase(0, hash + 1);
  if (error.code.empty()) error.code = std::to_string(response.status);
  error.code = Printable(error.code, 64);
  error.message = Printable(error.message.empty() ? "Unknown" : error.message, 300);
  return error;
}

// botocore's retry handler: throttling and 5xx answers are retried, as are
// connections that fail or time out.
bool IsRetryable(int status, const std::string& code) {
  static const char* const kThrottling[] = {
      "Throttling",      "ThrottlingException",    "ThrottledException", "RequestThrottledException",
      "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
      "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException",
  };
  if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504) return true;
  return std::any_of(std::begin(kThrottling), std::end(kThrottling), [&](const char* c) { return code == c; });
}

bool IsRetryable(const absl::Status& transport) {
  return absl::IsUnavailable(transport) || absl::IsDeadlineExceeded(transport);
}

// botocore's legacy back-off: random(0, 1) * 2^(attempt - 1) seconds.
std::chrono::milliseconds Backoff(int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double seconds = unit(random) * static_cast<double>(1 << std::min(attempt - 1, 10));
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(seconds, 20.0) * 1000));
}

absl::StatusOr<std::shared_ptr<const Credentials>> ParseRoleCredentials(std::string& body,
                                                                       const std::string& account_id) {
  Json answer = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  Wipe(body);
  struct Wiper {
    Json& json;
    ~Wiper() { Wipe(json); }
  } wiper{answer};
  const Json* role = nullptr;
  if (answer.is_object()) {
    if (auto it = answer.find("roleCredentials"); it != answer.end() && it->is_object()) role = &*it;
  }
  auto text = [&](const char* key) -> const std::string* {
    if (role == nullptr) return nullptr;
    auto it = role->find(key);
    return it != role->end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
  };
  const std::string* key_id = text("accessKeyId");
  const std::string* secret = text("secretAccessKey");
  const std::string* token = text("sessionToken");
  const Json* expiration = nullptr;
  if (role != nullptr) {
    if (auto it = role->find("expiration"); it != role->end() && it->is_number()) expiration = &*it;
  }
  if (key_id == nullptr || secret == nullptr || token == nullptr || expiration == nullptr) {
    return absl::UnavailableError(std::string(kPrefix) +
                                  "GetRoleCredentials answered without roleCredentials (accessKeyId, "
                                  "secretAccessKey, sessionToken, expiration)");
  }
  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = *key_id;
  credentials->secret_access_key = Secret(*secret);
  credentials->session_token = Secret(*token);
  // Epoch milliseconds; botocore keeps whole seconds.
  const auto milliseconds = expiration->is_number_integer() ? expiration->get<int64_t>()
                                                            : static_cast<int64_t>(expiration->get<double>());
  credentials->expiration = std::chrono::system_clock::time_point(std::chrono::seconds(milliseconds / 1000));
  credentials->account_id = account_id;
  credentials->source = "sso";
  return std::shared_ptr<const Credentials>(std::move(credentials));
}

const config::Value* Find(const config::Section& section, const std::string& key) {
  const auto it = section.find(key);
  return it == section.end() ? nullptr : &it->second;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> scopes;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string scope(absl::StripAsciiWhitespace(text.substr(start, comma - start)));
    if (!scope.empty()) scopes.push_back(std::move(scope));
    start = comma + 1;
  }
  return scopes;
}

// botocore's max_attempts for a client: the setting, else the retry mode's.
int MaxAttempts(const config::Profile* profile, const config::EnvLookup& env) {
  if (auto configured = config::Resolve("max_attempts", profile, env)) {
    try {
      const int value = std::stoi(*configured);
      // Capped: a daemon call should not wait through dozens of back-offs.
      if (value >= 1) return std::min(value, 10);
    } catch (const std::exception&) {
    }
  }
  const std::string mode = config::Resolve("retry_mode", profile, env).value_or("legacy");
  return mode == "legacy" ? 5 : 3;
}

}  // namespace

SsoProvider::SsoProvider(ProviderContext context, SsoParams params, std::shared_ptr<SsoTokenProvider> tokens)
    : context_(std::move(context)), params_(std::move(params)), tokens_(std::move(tokens)) {}

absl::StatusOr<std::shared_ptr<const Credentials>> SsoProvider::Resolve() {
  auto endpoint = SsoServiceEndpoint("portal.sso", params_.sso_region, params_.endpoint);
  if (!endpoint.ok()) return absl::Status(endpoint.status().code(), kPrefix + std::string(endpoint.status().message()));
  auto token = tokens_->AccessToken();
  if (!token.ok()) return token.status();

  http::HttpRequest request;
  request.method = "GET";
  // botocore serialises the query in the order the fetcher passes it.
  request.url = *endpoint + "/federation/credentials?role_name=" + PercentEncode(params_.role_name) +
                "&account_id=" + PercentEncode(params_.account_id);
  request.headers.push_back({"x-amz-sso_bearer_token", std::string(token->view())});
  http::RequestOptions options;
  options.connect_timeout = std::chrono::seconds(3);
  options.total_timeout = std::chrono::seconds(10);
  options.max_response_bytes = 1 << 20;

  const int attempts = std::max(1, params_.max_attempts);
  absl::Status failure;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) context_.sleep(Backoff(attempt - 1));
    auto response = context_.http->Send(request, options);
    if (!response.ok()) {
      failure = absl::Status(response.status().code(), kPrefix + std::string(response.status().message()));
      if (IsRetryable(response.status())) continue;
      break;
    }
    if (response->status == 200) {
      Wipe(request.headers.back().value);
      return ParseRoleCredentials(response->body, params_.account_id);
    }
    const ServiceError error = ParseServiceError(*response);
    Wipe(response->body);
    if (error.code == "UnauthorizedException") {
      Wipe(request.headers.back().value);
      return absl::UnauthenticatedError(kLoginHint);
    }
    const bool retryable = IsRetryable(response->status, error.code);
    // As botocore's ClientError words it.
    std::string message = std::string(kPrefix) + "An error occurred (" + error.code +
                          ") when calling the GetRoleCredentials operation";
    if (retryable && attempt == attempts && attempts > 1) {
      message += " (reached max retries: " + std::to_string(attempts - 1) + ")";
    }
    message += ": " + error.message;
    if (retryable) {
      failure = absl::UnavailableError(message);
      continue;
    }
    failure = response->status >= 400 && response->status < 500 ? absl::FailedPreconditionError(message)
                                                                 : absl::UnavailableError(message);
    break;
  }
  Wipe(request.headers.back().value);
  return failure;
}

absl::StatusOr<std::shared_ptr<SsoProvider>> SsoProviderFromProfile(ProviderContext context,
                                                                    const std::string& profile_name,
                                                                    const config::AwsConfig& aws) {
  const config::Profile* profile = config::FindProfile(aws.merged, profile_name);
  if (profile == nullptr) return std::shared_ptr<SsoProvider>();
  // Role name or account id is what marks a profile as the SSO provider's.
  if (Find(*profile, "sso_role_name") == nullptr && Find(*profile, "sso_account_id") == nullptr) {
    return std::shared_ptr<SsoProvider>();
  }

  // The profile's keys with its sso-session's merged in.
  std::map<std::string, std::string> resolved;
  for (const auto& [key, value] : *profile) resolved[key] = value.text;
  std::vector<std::string> required = {"sso_role_name", "sso_account_id", "sso_start_url", "sso_region"};
  if (const config::Value* session_name = Find(*profile, "sso_session")) {
    const auto session = aws.merged.sso_sessions.find(session_name->text);
    if (session == aws.merged.sso_sessions.end()) {
      return absl::FailedPreconditionError("The specified sso-session does not exist: \"" + session_name->text + "\"");
    }
    for (const auto& [key, value] : session->second) {
      if (auto it = resolved.find(key); it != resolved.end() && it->second != value.text) {
        return absl::FailedPreconditionError("The value for " + key + " is inconsistent between profile (" +
                                             it->second + ") and sso-session (" + value.text + ").");
      }
      resolved[key] = value.text;
    }
    required.push_back("sso_session");
  }
  std::string missing;
  for (const std::string& key : required) {
    if (resolved.contains(key)) continue;
    if (!missing.empty()) missing += ", ";
    missing += key;
  }
  if (!missing.empty()) {
    return absl::FailedPreconditionError("The profile \"" + profile_name +
                                         "\" is configured to use SSO but is missing required configuration: " +
                                         missing);
  }

  SsoSessionConfig session;
  if (resolved.contains("sso_session")) session.session_name = resolved["sso_session"];
  session.start_url = resolved["sso_start_url"];
  session.region = resolved["sso_region"];
  if (auto scopes = resolved.find("sso_registration_scopes"); scopes != resolved.end()) {
    session.registration_scopes = SplitScopes(scopes->second);
  }
  auto oidc = ResolveSsoEndpointSettings("sso_oidc", profile, aws.merged, context.environment);
  if (!oidc.ok()) return oidc.status();
  session.oidc_endpoint = *std::move(oidc);

  SsoParams params;
  params.account_id = resolved["sso_account_id"];
  params.role_name = resolved["sso_role_name"];
  params.sso_region = session.region;
  auto endpoint = ResolveSsoEndpointSettings("sso", profile, aws.merged, context.environment);
  if (!endpoint.ok()) return endpoint.status();
  params.endpoint = *std::move(endpoint);
  params.max_attempts = MaxAttempts(profile, context.environment);

  auto tokens = std::make_shared<SsoTokenProvider>(context, std::move(session));
  return std::make_shared<SsoProvider>(std::move(context), std::move(params), std::move(tokens));
}

}  // namespace awsd::credentials
