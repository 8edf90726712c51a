#pragma once

// The SSO access token that `aws sso login` leaves in ~/.aws/sso/cache, as
// botocore reads it (utils.SSOTokenLoader) and keeps it fresh
// (tokens.SSOTokenProvider): shortly before it expires it is exchanged
// through SSO-OIDC CreateToken and the new one is written back, so the CLI
// and every other SDK on the machine see it too.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/common/secret.h"
#include "daemon/config/aws_config.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"
#include "daemon/credentials/provider_context.h"

namespace awsd::credentials {

// Where an SSO or SSO-OIDC client sends its requests, from the selected
// profile and the environment, as botocore's client creation reads them.
struct SsoEndpointSettings {
  bool use_fips_endpoint = false;
  bool use_dualstack_endpoint = false;
  // A configured endpoint (botocore's ConfiguredEndpointProvider); empty
  // when the service's endpoint rule set decides.
  std::string endpoint_url;
};

// The settings for `service_id` ("sso" or "sso_oidc": botocore's snake-case
// service id) in `profile` (nullptr: none selected): AWS_ENDPOINT_URL_<ID>,
// AWS_ENDPOINT_URL, the profile's `services` section, its endpoint_url, in
// that order, unless ignore_configured_endpoint_urls; use_fips_endpoint and
// use_dualstack_endpoint as botocore's ensure_boolean reads them. An error
// when the profile names a services section that does not exist.
absl::StatusOr<SsoEndpointSettings> ResolveSsoEndpointSettings(std::string_view service_id,
                                                               const config::Profile* profile,
                                                               const config::ProfileSet& set,
                                                               const config::EnvLookup& env);

// The base URL (no trailing '/') of SSO (`host_prefix` "portal.sso") or
// SSO-OIDC ("oidc") in `region`, by their endpoint rule sets (partitions,
// FIPS, dual-stack; a configured endpoint wins and turns both off, as
// botocore's builtins do). The region must be a valid host label, as
// botocore's validate_region_name requires.
absl::StatusOr<std::string> SsoServiceEndpoint(std::string_view host_prefix, std::string_view region,
                                               const SsoEndpointSettings& settings);

// The SSO login a profile uses.
struct SsoSessionConfig {
  // The `[sso-session NAME]` the profile names; empty for a legacy profile
  // (sso_start_url and sso_region on the profile itself), whose token
  // botocore never refreshes.
  std::string session_name;
  std::string start_url;
  std::string region;
  // sso_registration_scopes, split on commas. Only `aws sso login` uses
  // them; kept so callers can show what was registered.
  std::vector<std::string> registration_scopes;
  // Where CreateToken goes.
  SsoEndpointSettings oidc_endpoint;
};

// The SSO login of profile `profile_name` in `aws.merged`:
// - sso_session: that section's sso_start_url / sso_region /
//   sso_registration_scopes, with the errors of botocore's SSOTokenProvider
//   (a section that does not exist or is empty; missing keys listed);
// - otherwise sso_start_url / sso_region on the profile (legacy), both
//   required;
// - nullopt when there is no such profile or it has none of these keys.
// botocore's token provider chain ignores legacy profiles: a chain that
// mirrors it skips configs with an empty session_name.
absl::StatusOr<std::optional<SsoSessionConfig>> SsoSessionConfigFromProfile(const std::string& profile_name,
                                                                            const config::AwsConfig& aws,
                                                                            const config::EnvLookup& env);

// Hex SHA-1 of the session name, or of the start URL for a legacy profile:
// the cache file's name without ".json".
std::string SsoTokenCacheKey(const SsoSessionConfig& config);

// <home>/.aws/sso/cache/<key>.json, home from `env` as Python's expanduser.
absl::StatusOr<std::string> SsoTokenCachePath(const config::EnvLookup& env, const SsoSessionConfig& config);

struct SsoToken {
  Secret access_token;
  std::chrono::system_clock::time_point expiration;
};

// One SSO login's access token. Thread-safe; one instance per login is
// meant to be shared by every provider that needs it.
//
// The token read from the cache file is kept in memory and served while
// more than 15 minutes remain. Inside that window the file is read again
// (another process may have logged in or refreshed) and, for an sso-session
// whose file holds a refresh token and an unexpired client registration,
// CreateToken is called and the file rewritten (0600, atomically) with the
// fields botocore writes. A failed refresh serves the token while it is
// still valid (callers more than 10 minutes from expiry do not wait for a
// refresh another caller is doing); attempts are at most once a minute while
// the token is valid. An expired token with no way to refresh it is an
// error telling the user to run `aws sso login`.
class SsoTokenProvider {
 public:
  SsoTokenProvider(ProviderContext context, SsoSessionConfig config);

  absl::StatusOr<Secret> AccessToken();
  // The token with its expiry.
  absl::StatusOr<SsoToken> Token();

  const SsoSessionConfig& config() const { return config_; }

 private:
  // botocore's SSOTokenProvider._refresher (or, for a legacy profile, the
  // SSOTokenLoader call and expiry check of SSOCredentialFetcher).
  absl::StatusOr<SsoToken> Load(std::chrono::system_clock::time_point now);

  ProviderContext context_;
  SsoSessionConfig config_;

  std::mutex state_mutex_;
  std::optional<SsoToken> current_;  // guarded by state_mutex_
  std::chrono::system_clock::time_point next_attempt_;  // guarded by state_mutex_
  // Held while reading the file or refreshing.
  std::mutex refresh_mutex_;
};

}  // namespace awsd::credentials
