#include "daemon/credentials/sso_token_provider.h"

#include "daemon/credentials/wipe_json.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "daemon/config/settings.h"
#include "daemon/credentials/expiration_time.h"
#include "nlohmann/json.hpp"

namespace awsd::credentials {
namespace {

using Clock = std::chrono::system_clock;
// Insertion-ordered, so a rewritten cache file keeps botocore's key order.
using Json = nlohmann::ordered_json;

// botocore: SSOTokenProvider._REFRESH_WINDOW and DeferredRefreshableToken's
// advisory / mandatory timeouts and attempt interval.
constexpr std::chrono::minutes kRefreshWindow{15};
constexpr std::chrono::minutes kMandatoryWindow{10};
constexpr std::chrono::seconds kAttemptInterval{60};

// A cache file is a few hundred bytes; anything near this is not one.
constexpr std::size_t kMaxCacheFileBytes = 1 << 20;

constexpr char kLoginHint[] =
    "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO "
    "session run aws sso login with the corresponding profile.";

absl::Status InvalidConfig(const std::string& message) { return absl::FailedPreconditionError(message); }

absl::Status LoadError(absl::StatusCode code, const std::string& message) {
  return absl::Status(code, "Error loading SSO Token: " + message);
}

void Wipe(std::string& text) { WipeString(text); }
void Wipe(Json& value) { WipeJson(value); }

// Wipes its JSON when the scope ends, whichever return is taken.
class JsonWiper {
 public:
  explicit JsonWiper(Json& value) : value_(value) {}
  ~JsonWiper() { Wipe(value_); }
  JsonWiper(const JsonWiper&) = delete;
  JsonWiper& operator=(const JsonWiper&) = delete;

 private:
  Json& value_;
};

const config::Value* Find(const config::Section& section, const std::string& key) {
  const auto it = section.find(key);
  return it == section.end() ? nullptr : &it->second;
}

std::string PythonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += "'" + items[i] + "'";
  }
  return out + "]";
}

std::vector<std::string> SplitScopes(const config::Value* value) {
  std::vector<std::string> scopes;
  if (value == nullptr) return scopes;
  std::string_view rest = value->text;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string scope(absl::StripAsciiWhitespace(std::string(rest.substr(0, comma))));
    if (!scope.empty()) scopes.push_back(std::move(scope));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return scopes;
}

// botocore's validate_region_name: a host label, not all digits.
bool IsValidRegion(std::string_view region) {
  if (region.empty() || region.size() > 63 || region.front() == '-' || region.back() == '-') return false;
  bool all_digits = true;
  for (char c : region) {
    const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (!alnum && c != '-') return false;
    if (!std::isdigit(static_cast<unsigned char>(c))) all_digits = false;
  }
  return !all_digits;
}

// The parts of botocore's partitions.json the SSO rule sets read. Every
// partition supports FIPS and dual-stack.
struct Partition {
  const char* name;
  const char* region_regex;
  const char* global_region;
  const char* dns_suffix;
  const char* dual_stack_dns_suffix;
};

constexpr Partition kPartitions[] = {
    {"aws", R"(^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$)", "aws-global", "amazonaws.com", "api.aws"},
    {"aws-cn", R"(^cn\-\w+\-\d+$)", "aws-cn-global", "amazonaws.com.cn", "api.amazonwebservices.com.cn"},
    {"aws-eusc", R"(^eusc\-(de)\-\w+\-\d+$)", "", "amazonaws.eu", "api.amazonwebservices.eu"},
    {"aws-iso", R"(^us\-iso\-\w+\-\d+$)", "aws-iso-global", "c2s.ic.gov", "api.aws.ic.gov"},
    {"aws-iso-b", R"(^us\-isob\-\w+\-\d+$)", "aws-iso-b-global", "sc2s.sgov.gov", "api.aws.scloud"},
    {"aws-iso-e", R"(^eu\-isoe\-\w+\-\d+$)", "aws-iso-e-global", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"},
    {"aws-iso-f", R"(^us\-isof\-\w+\-\d+$)", "aws-iso-f-global", "csp.hci.ic.gov", "api.aws.hci.ic.gov"},
    {"aws-us-gov", R"(^us\-gov\-\w+\-\d+$)", "aws-us-gov-global", "amazonaws.com", "api.aws"},
};

// The rule-set function aws.partition: a region listed by a partition (the
// regional names all match their regex; only the "-global" pseudo regions
// need listing), then the first regex that matches, else "aws".
const Partition& PartitionOf(std::string_view region) {
  static const std::vector<std::regex> patterns = [] {
    std::vector<std::regex> compiled;
    for (const Partition& partition : kPartitions) compiled.emplace_back(partition.region_regex);
    return compiled;
  }();
  for (const Partition& partition : kPartitions) {
    if (*partition.global_region != '\0' && region == partition.global_region) return partition;
  }
  for (std::size_t i = 0; i < std::size(kPartitions); ++i) {
    if (std::regex_match(region.begin(), region.end(), patterns[i])) return kPartitions[i];
  }
  return kPartitions[0];
}

std::optional<Clock::time_point> ParseCacheTime(const std::string& text) {
  // dateutil.parser.parse reads far more; these are the forms the CLI and
  // the SDKs write (…Z, an offset, botocore's default "UTC" suffix).
  static const char* const kFormats[] = {
      "%Y-%m-%dT%H:%M:%E*S%Ez",
      "%Y-%m-%dT%H:%M:%E*SUTC",
      "%Y-%m-%dT%H:%M:%E*S",
      "%Y-%m-%d %H:%M:%E*S%Ez",
  };
  for (const char* format : kFormats) {
    absl::Time parsed;
    std::string error;
    if (absl::ParseTime(format, text, &parsed, &error)) return ToExpirationTime(parsed);
  }
  return std::nullopt;
}

// How tokens.py's _sso_json_dumps writes a datetime.
std::string FormatCacheTime(Clock::time_point time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromChrono(time), absl::UTCTimeZone());
}

const std::string* StringField(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

// A rest-json error's code, as botocore's RestJSONParser finds it.
std::string ErrorCode(const http::HttpResponse& response) {
  std::string code;
  if (const std::string* header = response.FindHeader("x-amzn-errortype")) {
    code = *header;
  } else {
    const Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_object()) {
      // SSO-OIDC's own bodies name it "error" (OAuth style).
      for (const char* key : {"code", "Code", "__type", "error"}) {
        if (const std::string* value = StringField(body, key)) {
          code = *value;
          break;
        }
      }
    }
  }
  code = code.substr(0, code.find(':'));
  if (const std::size_t hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
  // It goes into an error message: keep it short and printable.
  code.erase(std::remove_if(code.begin(), code.end(), [](char c) { return !std::isgraph(static_cast<unsigned char>(c)); }),
             code.end());
  if (code.size() > 64) code.resize(64);
  return code.empty() ? std::to_string(response.status) : code;
}

// SSO-OIDC CreateToken with the refresh grant. Returns the new cache file
// contents, built as tokens.py's _attempt_create_token builds them.
absl::StatusOr<Json> CreateToken(const ProviderContext& context, const SsoSessionConfig& config, const Json& cached) {
  auto endpoint = SsoServiceEndpoint("oidc", config.region, config.oidc_endpoint);
  if (!endpoint.ok()) return endpoint.status();

  Json request_body;
  request_body["grantType"] = "refresh_token";
  request_body["clientId"] = cached["clientId"];
  request_body["clientSecret"] = cached["clientSecret"];
  request_body["refreshToken"] = cached["refreshToken"];
  http::HttpRequest request;
  request.method = "POST";
  request.url = *endpoint + "/token";
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = request_body.dump();
  Wipe(request_body);

  http::RequestOptions options;
  options.connect_timeout = std::chrono::seconds(3);
  options.total_timeout = std::chrono::seconds(10);
  options.max_response_bytes = 1 << 20;
  auto response = context.http->Send(request, options);
  Wipe(request.body);
  if (!response.ok()) {
    return absl::Status(response.status().code(), "CreateToken: " + std::string(response.status().message()));
  }
  if (response->status != 200) {
    const std::string code = ErrorCode(*response);
    Wipe(response->body);
    return absl::UnavailableError("An error occurred (" + code + ") when calling the CreateToken operation (HTTP " +
                                  std::to_string(response->status) + ")");
  }
  Json answer = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  Wipe(response->body);
  JsonWiper answer_wiper(answer);
  const std::string* access_token = answer.is_object() ? StringField(answer, "accessToken") : nullptr;
  const auto expires_in = answer.is_object() ? answer.find("expiresIn") : answer.end();
  // expiresIn is bounded (a century either way) so that the expiry stays a
  // time the cache can compute with.
  constexpr int64_t kMaxExpiresIn = int64_t{100} * 366 * 24 * 3600;
  if (access_token == nullptr || expires_in == answer.end() || !expires_in->is_number_integer() ||
      (expires_in->is_number_unsigned() && expires_in->get<uint64_t>() > uint64_t{kMaxExpiresIn}) ||
      expires_in->get<int64_t>() > kMaxExpiresIn || expires_in->get<int64_t>() < -kMaxExpiresIn) {
    return absl::UnavailableError("CreateToken: the response has no accessToken and expiresIn");
  }

  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(context.clock());
  Json token;
  token["startUrl"] = config.start_url;
  token["region"] = config.region;
  token["accessToken"] = *access_token;
  token["expiresAt"] = FormatCacheTime(now + std::chrono::seconds(expires_in->get<int64_t>()));
  token["clientId"] = cached["clientId"];
  token["clientSecret"] = cached["clientSecret"];
  token["registrationExpiresAt"] = cached["registrationExpiresAt"];
  if (answer.contains("refreshToken")) token["refreshToken"] = answer["refreshToken"];
  return token;
}

// tokens.py's _refresh_access_token: why a refresh cannot be tried, or the
// refreshed token.
absl::StatusOr<Json> RefreshAccessToken(const ProviderContext& context, const SsoSessionConfig& config,
                                        const Json& cached, Clock::time_point now) {
  std::vector<std::string> missing;
  for (const char* key : {"refreshToken", "clientId", "clientSecret", "registrationExpiresAt"}) {
    if (StringField(cached, key) == nullptr) missing.push_back(key);
  }
  if (!missing.empty()) {
    return absl::FailedPreconditionError("Unable to refresh SSO token: missing keys: " + PythonList(missing));
  }
  const auto registration_expiry = ParseCacheTime(*StringField(cached, "registrationExpiresAt"));
  if (!registration_expiry.has_value()) {
    return absl::FailedPreconditionError("Unable to refresh SSO token: registrationExpiresAt is not a time");
  }
  if (*registration_expiry <= now) {
    return absl::FailedPreconditionError("SSO token registration expired at " +
                                         FormatCacheTime(*registration_expiry));
  }
  return CreateToken(context, config, cached);
}

}  // namespace

absl::StatusOr<SsoEndpointSettings> ResolveSsoEndpointSettings(std::string_view service_id,
                                                               const config::Profile* profile,
                                                               const config::ProfileSet& set,
                                                               const config::EnvLookup& env) {
  SsoEndpointSettings settings;
  settings.use_fips_endpoint = config::ResolveBoolean("use_fips_endpoint", profile, env).value_or(false);
  settings.use_dualstack_endpoint = config::ResolveBoolean("use_dualstack_endpoint", profile, env).value_or(false);
  if (config::ResolveBoolean("ignore_configured_endpoint_urls", profile, env).value_or(false)) return settings;

  // An empty value counts as unset, as botocore's `if endpoint_url:`.
  auto non_empty = [](std::optional<std::string> value) {
    return value.has_value() && !value->empty() ? value : std::nullopt;
  };
  const std::string service_env = "AWS_ENDPOINT_URL_" + absl::AsciiStrToUpper(std::string(service_id));
  if (auto url = non_empty(env(service_env))) {
    settings.endpoint_url = *url;
    return settings;
  }
  if (auto url = non_empty(env("AWS_ENDPOINT_URL"))) {
    settings.endpoint_url = *url;
    return settings;
  }
  if (profile == nullptr) return settings;
  if (const config::Value* services = Find(*profile, "services")) {
    const auto section = set.services.find(services->text);
    if (section == set.services.end() || section->second.empty()) {
      return InvalidConfig("The profile is configured to use the services section but the \"" + services->text +
                           "\" services configuration does not exist.");
    }
    const config::Value* service = Find(section->second, std::string(service_id));
    if (service != nullptr && service->sub_properties.has_value()) {
      const auto url = service->sub_properties->find("endpoint_url");
      if (url != service->sub_properties->end() && !url->second.empty()) {
        settings.endpoint_url = url->second;
        return settings;
      }
    }
  }
  if (const config::Value* url = Find(*profile, "endpoint_url"); url != nullptr && !url->text.empty()) {
    settings.endpoint_url = url->text;
  }
  return settings;
}

absl::StatusOr<std::string> SsoServiceEndpoint(std::string_view host_prefix, std::string_view region,
                                               const SsoEndpointSettings& settings) {
  if (!region.empty() && !IsValidRegion(region)) {
    return absl::InvalidArgumentError("Provided region_name '" + std::string(region) +
                                      "' doesn't match a supported format.");
  }
  // A configured endpoint turns FIPS and dual-stack off (botocore's
  // builtins), so the rule set's "not supported" errors never fire.
  if (!settings.endpoint_url.empty()) {
    std::string url = settings.endpoint_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }
  if (region.empty()) return absl::InvalidArgumentError("Invalid Configuration: Missing Region");
  const Partition& partition = PartitionOf(region);
  const std::string prefix(host_prefix);
  const std::string at_region = "." + std::string(region) + ".";
  if (settings.use_fips_endpoint && settings.use_dualstack_endpoint) {
    return "https://" + prefix + "-fips" + at_region + partition.dual_stack_dns_suffix;
  }
  if (settings.use_fips_endpoint) {
    // GovCloud's regular endpoints are FIPS endpoints already.
    if (std::string_view(partition.name) == "aws-us-gov") return "https://" + prefix + at_region + "amazonaws.com";
    return "https://" + prefix + "-fips" + at_region + partition.dns_suffix;
  }
  if (settings.use_dualstack_endpoint) return "https://" + prefix + at_region + partition.dual_stack_dns_suffix;
  return "https://" + prefix + at_region + partition.dns_suffix;
}

absl::StatusOr<std::optional<SsoSessionConfig>> SsoSessionConfigFromProfile(const std::string& profile_name,
                                                                            const config::AwsConfig& aws,
                                                                            const config::EnvLookup& env) {
  const config::Profile* profile = config::FindProfile(aws.merged, profile_name);
  if (profile == nullptr) return std::nullopt;

  SsoSessionConfig result;
  if (const config::Value* session_name = Find(*profile, "sso_session")) {
    const auto session = aws.merged.sso_sessions.find(session_name->text);
    // tokens.py tests `not sso_config`: an empty section is as good as none.
    if (session == aws.merged.sso_sessions.end() || session->second.empty()) {
      return InvalidConfig("The profile \"" + profile_name + "\" is configured to use the SSO token provider but the \"" +
                           session_name->text + "\" sso_session configuration does not exist.");
    }
    std::vector<std::string> missing;
    for (const char* key : {"sso_start_url", "sso_region"}) {
      if (Find(session->second, key) == nullptr) missing.push_back(key);
    }
    if (!missing.empty()) {
      return InvalidConfig("The profile \"" + profile_name +
                           "\" is configured to use the SSO token provider but is missing the following "
                           "configuration: " +
                           PythonList(missing) + ".");
    }
    result.session_name = session_name->text;
    result.start_url = Find(session->second, "sso_start_url")->text;
    result.region = Find(session->second, "sso_region")->text;
    result.registration_scopes = SplitScopes(Find(session->second, "sso_registration_scopes"));
  } else {
    const config::Value* start_url = Find(*profile, "sso_start_url");
    const config::Value* region = Find(*profile, "sso_region");
    if (start_url == nullptr && region == nullptr) return std::nullopt;
    if (start_url == nullptr || region == nullptr) {
      return InvalidConfig("The profile \"" + profile_name +
                           "\" is configured to use SSO but is missing required configuration: " +
                           (start_url == nullptr ? "sso_start_url" : "sso_region"));
    }
    result.start_url = start_url->text;
    result.region = region->text;
    result.registration_scopes = SplitScopes(Find(*profile, "sso_registration_scopes"));
  }
  auto endpoint = ResolveSsoEndpointSettings("sso_oidc", profile, aws.merged, env);
  if (!endpoint.ok()) return endpoint.status();
  result.oidc_endpoint = *std::move(endpoint);
  return result;
}

std::string SsoTokenCacheKey(const SsoSessionConfig& config) {
  const std::string& input = config.session_name.empty() ? config.start_url : config.session_name;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

absl::StatusOr<std::string> SsoTokenCachePath(const config::EnvLookup& env, const SsoSessionConfig& config) {
  const std::optional<std::string> home = config::HomeDirectory(env);
  if (!home.has_value()) {
    return absl::FailedPreconditionError("Error loading SSO Token: no home directory for ~/.aws/sso/cache");
  }
  std::string dir = *home;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir != "/") dir += "/";
  return dir + ".aws/sso/cache/" + SsoTokenCacheKey(config) + ".json";
}

SsoTokenProvider::SsoTokenProvider(ProviderContext context, SsoSessionConfig config)
    : context_(std::move(context)), config_(std::move(config)) {}

absl::StatusOr<Secret> SsoTokenProvider::AccessToken() {
  auto token = Token();
  if (!token.ok()) return token.status();
  return std::move(token->access_token);
}

absl::StatusOr<SsoToken> SsoTokenProvider::Token() {
  auto now = context_.clock();
  std::optional<SsoToken> current;
  {
    std::lock_guard lock(state_mutex_);
    if (current_.has_value() && current_->expiration - now >= kRefreshWindow) return *current_;
    current = current_;
  }
  // Outside the mandatory window a caller does not wait for a refresh that
  // another one is doing; it is served the token it would have had.
  std::unique_lock refreshing(refresh_mutex_, std::defer_lock);
  if (current.has_value() && current->expiration - now > kMandatoryWindow) {
    if (!refreshing.try_lock()) return *current;
  } else {
    refreshing.lock();
  }

  now = context_.clock();
  {
    std::lock_guard lock(state_mutex_);
    // Refreshed by the caller this one waited for; or tried less than a
    // minute ago while the token is still good.
    if (current_.has_value() && current_->expiration - now >= kRefreshWindow) return *current_;
    if (current_.has_value() && current_->expiration > now && now < next_attempt_) return *current_;
    current = current_;
    next_attempt_ = now + kAttemptInterval;
  }
  auto loaded = Load(now);
  if (!loaded.ok()) {
    // botocore swallows a failure in the advisory window only.
    if (current.has_value() && current->expiration - now > kMandatoryWindow) return *current;
    return loaded.status();
  }
  std::lock_guard lock(state_mutex_);
  current_ = *loaded;
  return *std::move(loaded);
}

absl::StatusOr<SsoToken> SsoTokenProvider::Load(Clock::time_point now) {
  auto path = SsoTokenCachePath(context_.environment, config_);
  if (!path.ok()) return path.status();
  const bool legacy = config_.session_name.empty();
  const std::string& name = legacy ? config_.start_url : config_.session_name;

  auto contents = context_.files->ReadFile(*path, kMaxCacheFileBytes);
  if (!contents.ok()) {
    const std::string why(contents.status().message());
    if (absl::IsNotFound(contents.status())) {
      return LoadError(absl::StatusCode::kNotFound, "Token for " + name + " does not exist (" + why + ")");
    }
    return LoadError(contents.status().code(), why);
  }
  Json cached = Json::parse(*contents, nullptr, /*allow_exceptions=*/false);
  Wipe(*contents);
  JsonWiper cached_wiper(cached);
  // botocore names the start URL here even for an sso-session.
  const std::string invalid = "Token for " + config_.start_url + " is invalid";
  if (!cached.is_object()) {
    return LoadError(absl::StatusCode::kFailedPrecondition, invalid + " (" + *path + " is not a JSON object)");
  }
  const std::string* access_token = StringField(cached, "accessToken");
  const std::string* expires_at = StringField(cached, "expiresAt");
  if (access_token == nullptr || expires_at == nullptr) {
    return LoadError(absl::StatusCode::kFailedPrecondition, invalid);
  }
  std::optional<Clock::time_point> expiration = ParseCacheTime(*expires_at);
  if (!expiration.has_value()) {
    return LoadError(absl::StatusCode::kFailedPrecondition, invalid + " (expiresAt is not a time)");
  }
  SsoToken token{Secret(*access_token), *expiration};

  if (legacy) {
    // SSOCredentialFetcher: a legacy token is never refreshed, and an
    // expired one is not worth a GetRoleCredentials call.
    if (token.expiration <= now) return absl::UnauthenticatedError(kLoginHint);
    return token;
  }

  std::string refresh_failure;
  if (token.expiration - now < kRefreshWindow) {
    auto refreshed = RefreshAccessToken(context_, config_, cached, now);
    if (refreshed.ok()) {
      JsonWiper refreshed_wiper(*refreshed);
      std::string text = refreshed->dump();
      const absl::Status saved = context_.files->WriteFileAtomically(*path, text, 0600);
      Wipe(text);
      if (!saved.ok()) {
        return absl::Status(saved.code(), "Error when retrieving token from sso: cannot save the refreshed token: " +
                                              std::string(saved.message()));
      }
      token.access_token = Secret((*refreshed)["accessToken"].get_ref<const std::string&>());
      token.expiration = *ParseCacheTime((*refreshed)["expiresAt"].get_ref<const std::string&>());
    } else {
      // botocore logs this and carries on with the cached token.
      refresh_failure = std::string(refreshed.status().message());
    }
  }
  if (token.expiration <= now) {
    std::string message = "Error when retrieving token from sso: Token has expired and refresh failed";
    if (!refresh_failure.empty()) message += " (" + refresh_failure + ")";
    return absl::UnauthenticatedError(message + ". " + kLoginHint);
  }
  return token;
}

}  // namespace awsd::credentials
