#include "daemon/credentials/imds_provider.h"

#include <arpa/inet.h>

#include <limits>
#include <random>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "daemon/config/settings.h"
#include "daemon/credentials/expiration_time.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"

namespace awsd::credentials {
namespace {

constexpr char kIpv4Endpoint[] = "http://169.254.169.254/";
constexpr char kIpv6Endpoint[] = "http://[fd00:ec2::254]/";
constexpr char kTokenPath[] = "latest/api/token";
constexpr char kTokenTtlSeconds[] = "21600";
constexpr std::chrono::seconds kTokenTtl{21600};
// A token is replaced this long before IMDS would stop honouring it, to
// allow for the request in flight and for our clock not being IMDS's.
constexpr std::chrono::minutes kTokenRenewalMargin{5};
constexpr char kCredentialsPath[] = "latest/meta-data/iam/security-credentials/";
// IMDS answers are a few hundred bytes; anything near this is not IMDS.
constexpr std::size_t kMaxResponseBytes = 64 * 1024;
// botocore passes _DEFAULT_ADVISORY_REFRESH_TIMEOUT as the
// ec2_credential_refresh_window.
constexpr std::chrono::seconds kRefreshWindow{15 * 60};

absl::Status Failure(absl::StatusCode code, std::string_view what) {
  return absl::Status(code, absl::StrCat("Error when retrieving credentials from iam-role: ", std::string(what)));
}

absl::Status Failure(const absl::Status& cause) { return Failure(cause.code(), std::string(cause.message())); }

std::string Lower(std::string value) {
  absl::AsciiStrToLower(&value);
  return value;
}

// Python's int() of a string: surrounding whitespace, a sign, digits with
// single '_' between them.
std::optional<long long> ParsePythonInt(std::string_view text) {
  absl::string_view s = absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()));
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '_' || s.back() == '_') return std::nullopt;
  long long value = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (s[i - 1] == '_') return std::nullopt;
      continue;
    }
    if (!absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    if (value > (std::numeric_limits<long long>::max() - 9) / 10) return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return negative ? -value : value;
}

bool IsUriCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}

// One label rule of botocore's is_valid_endpoint_url: 1-63 letters, digits
// or '-', not starting or ending with '-'.
bool IsValidHostName(std::string host) {
  if (host.size() > 255) return false;
  if (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty()) return false;
  size_t start = 0;
  while (true) {
    const size_t dot = host.find('.', start);
    const std::string_view label = std::string_view(host).substr(start, dot == host.npos ? host.npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == host.npos) return true;
    start = dot + 1;
  }
}

// botocore's is_valid_uri: a host name (or IPv4 address) as DNS allows, or a
// bracketed IPv6 address, possibly with a zone.
absl::Status ValidateEndpoint(const std::string& endpoint) {
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid endpoint EC2 Instance Metadata endpoint: ",
                                                   http::RedactUrl(endpoint), ": ", std::string(why)));
  };
  for (char c : endpoint) {
    if (!IsUriCharacter(c)) return invalid("invalid uri character");
  }
  auto url = http::ParseUrl(endpoint);
  if (!url.ok()) return invalid("not an absolute http(s) URL");
  std::string host = Lower(std::string(url->host));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    std::string address = host.substr(1, host.size() - 2);
    address = address.substr(0, address.find('%'));
    in6_addr parsed{};
    if (inet_pton(AF_INET6, address.c_str(), &parsed) == 1) return absl::OkStatus();
    return invalid("invalid IPv6 address");
  }
  if (!IsValidHostName(host)) return invalid("invalid host name");
  return absl::OkStatus();
}

int Jitter() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return std::uniform_int_distribution<int>(120, 600)(engine);
}

}  // namespace

absl::StatusOr<ImdsSettings> ImdsSettings::Resolve(const config::Profile* profile, const config::EnvLookup& env) {
  auto get = [&](std::string_view name) { return config::Resolve(name, profile, env); };
  ImdsSettings settings;
  if (auto disabled = env("AWS_EC2_METADATA_DISABLED")) settings.disabled = Lower(*disabled) == "true";

  if (auto timeout = get("metadata_service_timeout")) {
    const auto seconds = ParsePythonInt(*timeout);
    // Whole seconds only, as botocore's int(); a day is far past any use.
    if (!seconds.has_value() || *seconds < 0 || *seconds > 86400) {
      return absl::InvalidArgumentError(
          absl::StrCat("metadata_service_timeout must be a whole number of seconds, got '", *timeout, "'"));
    }
    settings.timeout = std::chrono::seconds(*seconds);
  }
  if (auto attempts = get("metadata_service_num_attempts")) {
    const auto count = ParsePythonInt(*attempts);
    if (!count.has_value() || *count > 100) {
      return absl::InvalidArgumentError(
          absl::StrCat("metadata_service_num_attempts must be a whole number, got '", *attempts, "'"));
    }
    // range(n) of a negative n runs no attempt.
    settings.attempts = static_cast<int>(std::max<long long>(0, *count));
  }
  if (auto v1_disabled = get("ec2_metadata_v1_disabled")) settings.v1_disabled = Lower(*v1_disabled) == "true";

  // resolve_imds_endpoint_mode: a set mode must be valid even when an
  // endpoint overrides it.
  bool ipv6 = false;
  if (auto mode = get("ec2_metadata_service_endpoint_mode")) {
    const std::string lowered = Lower(*mode);
    if (lowered != "ipv4" && lowered != "ipv6") {
      return absl::InvalidArgumentError(absl::StrCat("Invalid EC2 Instance Metadata endpoint mode: `",
                                                     http::RedactUrl(*mode),
                                                     "` is not a valid endpoint mode. Valid endpoint modes "
                                                     "(case-insensitive): ipv4, ipv6"));
    }
    ipv6 = lowered == "ipv6";
  } else if (auto use_ipv6 = get("imds_use_ipv6")) {
    ipv6 = Lower(*use_ipv6) == "true";
  }
  auto endpoint = get("ec2_metadata_service_endpoint");
  if (endpoint.has_value() && !endpoint->empty()) {
    settings.endpoint = *endpoint;
  } else {
    settings.endpoint = ipv6 ? kIpv6Endpoint : kIpv4Endpoint;
  }
  if (auto status = ValidateEndpoint(settings.endpoint); !status.ok()) return status;
  return settings;
}

// ---------------------------------------------------------------------------

struct ImdsProvider::Token {
  // Unset: go on without one (IMDSv1).
  std::optional<Secret> value;
  // Reused rather than fetched by this call: IMDS may have forgotten it.
  bool from_cache = false;
  // IMDS called the token request malformed; botocore gives up quietly.
  bool bad_request = false;
};

struct ImdsProvider::Fetched {
  // Unset: every try failed.
  std::optional<std::string> body;
  // IMDS answered 401 to a reused token.
  bool token_rejected = false;
};

ImdsProvider::ImdsProvider(ProviderContext context, ImdsSettings settings)
    : context_(std::move(context)), settings_(std::move(settings)) {}

std::string ImdsProvider::Url(const std::string& path) const {
  const std::string& base = settings_.endpoint;
  return base.empty() || base.back() == '/' ? base + path : base + "/" + path;
}

absl::StatusOr<std::shared_ptr<const Credentials>> ImdsProvider::Resolve() {
  if (settings_.disabled) return nullptr;
  bool token_rejected = false;
  auto result = ResolveOnce(/*force_new_token=*/false, &token_rejected);
  if (!token_rejected) return result;
  // A kept token IMDS no longer honours (it restarted, or our clock is off):
  // once more with a new one.
  return ResolveOnce(/*force_new_token=*/true, &token_rejected);
}

absl::StatusOr<ImdsProvider::Token> ImdsProvider::GetToken(bool force_new) {
  std::lock_guard lock(token_mutex_);
  const auto now = context_.clock();
  if (!force_new && token_.has_value() && now < token_expires_ - kTokenRenewalMargin) {
    return Token{*token_, /*from_cache=*/true, false};
  }
  token_.reset();
  auto fetched = FetchToken();
  if (fetched.ok() && fetched->value.has_value()) {
    token_ = *fetched->value;
    token_expires_ = now + kTokenTtl;
  }
  return fetched;
}

void ImdsProvider::ForgetToken(const Secret& token) {
  std::lock_guard lock(token_mutex_);
  if (token_.has_value() && *token_ == token) token_.reset();
}

absl::StatusOr<ImdsProvider::Token> ImdsProvider::FetchToken() {
  const http::HttpRequest request{"PUT", Url(kTokenPath), {{"x-aws-ec2-metadata-token-ttl-seconds", kTokenTtlSeconds}}, ""};
  const http::RequestOptions options{settings_.timeout, 2 * settings_.timeout, kMaxResponseBytes};
  for (int attempt = 0; attempt < settings_.attempts; ++attempt) {
    auto response = context_.http->Send(request, options);
    if (!response.ok()) {
      const auto code = response.status().code();
      // A refused or dropped connection is retried. A timeout ends the token
      // step at once, as botocore's ReadTimeoutError does (the client does
      // not tell a connect timeout, which botocore retries, from a read one).
      if (code == absl::StatusCode::kUnavailable) continue;
      if (code == absl::StatusCode::kDeadlineExceeded) return Token{};
      return Failure(response.status());
    }
    if (response->status == 200) {
      Token token;
      // An empty answer is no token; sending it back would only earn a 401.
      if (!response->body.empty()) token.value = Secret(response->body);
      response->body.assign(response->body.size(), '\0');
      return token;
    }
    if (response->status == 403 || response->status == 404 || response->status == 405) return Token{};
    if (response->status == 400) return Token{std::nullopt, false, /*bad_request=*/true};
  }
  return Token{};
}

absl::StatusOr<ImdsProvider::Fetched> ImdsProvider::Get(const std::string& path, const Token& token, bool want_json) {
  http::HttpRequest request{"GET", Url(path), {}, ""};
  if (token.value.has_value()) request.headers.push_back({"x-aws-ec2-metadata-token", std::string(token.value->view())});
  const http::RequestOptions options{settings_.timeout, 2 * settings_.timeout, kMaxResponseBytes};
  Fetched fetched;
  for (int attempt = 0; attempt < settings_.attempts; ++attempt) {
    auto response = context_.http->Send(request, options);
    if (!response.ok()) {
      const auto code = response.status().code();
      if (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded) continue;
      return Failure(response.status());
    }
    if (response->status == 401 && token.from_cache) {
      fetched.token_rejected = true;
      return fetched;
    }
    if (response->status != 200) {
      spdlog::debug("IMDS answered {} to GET {}", response->status, http::RedactUrl(request.url));
      continue;
    }
    if (response->body.empty()) continue;
    if (want_json && !nlohmann::json::accept(response->body)) {
      spdlog::debug("IMDS answered GET {} with something that is not JSON", http::RedactUrl(request.url));
      continue;
    }
    fetched.body = std::move(response->body);
    return fetched;
  }
  return fetched;
}

absl::StatusOr<std::shared_ptr<const Credentials>> ImdsProvider::ResolveOnce(bool force_new_token,
                                                                             bool* token_rejected) {
  *token_rejected = false;
  auto token = GetToken(force_new_token);
  if (!token.ok()) return token.status();
  if (token->bad_request) {
    spdlog::debug("IMDS refused the token request as malformed (400)");
    return nullptr;
  }
  if (!token->value.has_value() && settings_.v1_disabled) {
    return Failure(absl::StatusCode::kUnavailable,
                   "Error retrieving metadata: Unable to retrieve token for use in IMDSv2 call and IMDSv1 has been "
                   "disabled");
  }

  auto role = Get(kCredentialsPath, *token, /*want_json=*/false);
  if (!role.ok()) return role.status();
  if (role->token_rejected) {
    ForgetToken(*token->value);
    *token_rejected = true;
    return nullptr;
  }
  if (!role->body.has_value()) {
    spdlog::debug("no IAM role from IMDS after {} attempt(s)", settings_.attempts);
    return nullptr;
  }
  const std::string role_name = *role->body;

  auto document = Get(kCredentialsPath + role_name, *token, /*want_json=*/true);
  if (!document.ok()) return document.status();
  if (document->token_rejected) {
    ForgetToken(*token->value);
    *token_rejected = true;
    return nullptr;
  }
  if (!document->body.has_value()) {
    spdlog::debug("no credentials from IMDS after {} attempt(s)", settings_.attempts);
    return nullptr;
  }
  nlohmann::json parsed = nlohmann::json::parse(*document->body, nullptr, /*allow_exceptions=*/false);
  document->body->assign(document->body->size(), '\0');

  // A 200 may carry an error document ({"Code": ..., "Message": ...}), for
  // one when EC2 may not assume the role: botocore treats any answer missing
  // a field as "no credentials" rather than an error.
  for (const char* field : {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}) {
    if (!parsed.is_object() || !parsed.contains(field)) {
      spdlog::debug("IMDS credentials for role {} lack the field {}", role_name, field);
      return nullptr;
    }
  }
  auto text = [&](const char* field) -> const std::string* { return parsed[field].get_ptr<const std::string*>(); };
  for (const char* field : {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}) {
    if (text(field) == nullptr) return Failure(absl::StatusCode::kInternal, absl::StrCat(field, " is not a string"));
  }

  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = *text("AccessKeyId");
  credentials->secret_access_key = Secret(*text("SecretAccessKey"));
  credentials->session_token = Secret(*text("Token"));
  credentials->source = "iam-role";

  absl::Time expiration;
  std::string error;
  // botocore extends only what strptime("%Y-%m-%dT%H:%M:%SZ") reads; any
  // other ISO 8601 form is used as given.
  const bool strict = absl::ParseTime("%Y-%m-%d%ET%H:%M:%SZ", *text("Expiration"), &expiration, &error);
  const bool parsed_time = strict || absl::ParseTime(absl::RFC3339_full, *text("Expiration"), &expiration, &error);
  const auto expires = parsed_time ? ToExpirationTime(expiration) : std::nullopt;
  if (!expires.has_value()) {
    return Failure(absl::StatusCode::kInternal, "the Expiration field is not an ISO 8601 time");
  }
  credentials->expiration = *expires;
  if (strict) {
    const std::chrono::seconds offset = kRefreshWindow + std::chrono::seconds(Jitter());
    const auto now = context_.clock();
    if (now >= *credentials->expiration - offset) {
      credentials->expiration = std::chrono::floor<std::chrono::seconds>(now + offset);
      spdlog::info(
          "Attempting credential expiration extension due to a credential service availability issue. A refresh "
          "of these credentials will be attempted again within the next {} minutes.",
          (offset.count() + 30) / 60);
    }
  }
  spdlog::info("Found credentials from IAM Role: {}", role_name);
  std::shared_ptr<const Credentials> result = std::move(credentials);
  return result;
}

}  // namespace awsd::credentials
