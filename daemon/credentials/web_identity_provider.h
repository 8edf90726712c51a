#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"
#include "daemon/credentials/credentials_provider.h"
#include "daemon/credentials/provider_context.h"
#include "daemon/sts/sts_client.h"

namespace awsd::credentials {

struct WebIdentityParams {
  std::string token_file;
  std::string role_arn;
  // Empty: "botocore-session-<unix seconds>", fixed when the provider is
  // made.
  std::string role_session_name;
};

// botocore's AssumeRoleWithWebIdentityProvider, source
// "assume-role-with-web-identity": AssumeRoleWithWebIdentity (unsigned) with
// the token read from `token_file` through context.files at every Resolve(),
// since tokens rotate (EKS rewrites the file hourly). A missing or empty file
// is an error naming the path. Nothing is cached: wrap in CachedProvider.
class WebIdentityProvider : public CredentialsProvider {
 public:
  WebIdentityProvider(ProviderContext context, WebIdentityParams params, std::shared_ptr<sts::StsClient> sts);
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

  const WebIdentityParams& params() const { return params_; }

 private:
  ProviderContext context_;
  WebIdentityParams params_;
  std::shared_ptr<sts::StsClient> sts_;
};

// The web identity settings botocore's provider would use, each of
// web_identity_token_file, role_arn and role_session_name taken on its own
// from its environment variable (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN,
// AWS_ROLE_SESSION_NAME; a variable set to "" counts as set) unless
// `disable_env_vars`, else from `profile` (may be null):
// - no token file, or an empty one: nullopt (not configured);
// - a token file but no role ARN (or an empty one): InvalidArgument;
// - an empty session name means the default one.
// `disable_env_vars` is botocore's: true for a source profile, and when the
// profile was chosen explicitly (a per-call profile, Session(profile=...))
// rather than through AWS_PROFILE.
absl::StatusOr<std::optional<WebIdentityParams>> WebIdentityParamsFromConfig(const config::Profile* profile,
                                                                             const config::EnvLookup& env,
                                                                             bool disable_env_vars);

}  // namespace awsd::credentials
