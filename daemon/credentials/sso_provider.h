#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/config/aws_config.h"
#include "daemon/credentials/credentials_provider.h"
#include "daemon/credentials/provider_context.h"
#include "daemon/credentials/sso_token_provider.h"

namespace awsd::credentials {

// What GetRoleCredentials is asked for, and where.
struct SsoParams {
  std::string account_id;
  std::string role_name;
  std::string sso_region;
  SsoEndpointSettings endpoint;
  // Attempts at a throttled, failing (5xx) or unreachable service, as
  // botocore's retry_mode / max_attempts decide (legacy: 5, standard: 3).
  int max_attempts = 5;
};

// A profile's IAM Identity Center role (botocore's SSOProvider and
// SSOCredentialFetcher, source "sso"): the login's access token, from
// `tokens`, is exchanged for role credentials by an unsigned
// GetRoleCredentials call. Every Resolve() calls the service: wrap it in
// CachedProvider.
class SsoProvider : public CredentialsProvider {
 public:
  SsoProvider(ProviderContext context, SsoParams params, std::shared_ptr<SsoTokenProvider> tokens);
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  ProviderContext context_;
  SsoParams params_;
  std::shared_ptr<SsoTokenProvider> tokens_;
};

// botocore's SSOProvider.load for profile `profile_name` of `aws.merged`:
// nullptr when the profile has neither sso_account_id nor sso_role_name (a
// profile for the token provider chain alone is not an error here either);
// botocore's InvalidConfigError messages for an sso_session naming no
// section, a key whose value differs between the profile and the section,
// and missing required keys (all listed). The provider gets its own
// SsoTokenProvider.
absl::StatusOr<std::shared_ptr<SsoProvider>> SsoProviderFromProfile(ProviderContext context,
                                                                    const std::string& profile_name,
                                                                    const config::AwsConfig& aws);

}  // namespace awsd::credentials
