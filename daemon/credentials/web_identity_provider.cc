#include "daemon/credentials/web_identity_provider.h"

#include <openssl/crypto.h>

#include <utility>

#include "absl/status/status.h"
#include "daemon/credentials/assume_role_provider.h"

namespace awsd::credentials {
namespace {

// STS takes tokens of up to 20,000 characters; this only bounds the read.
constexpr std::size_t kMaxTokenBytes = 1 << 20;

// botocore's _get_config: the variable when enabled and set (even to ""),
// else the profile's key.
std::optional<std::string> Lookup(const config::Profile* profile, const config::EnvLookup& env, bool disable_env_vars,
                                  const std::string& key, const std::string& env_var) {
  if (!disable_env_vars) {
    if (std::optional<std::string> value = env(env_var)) return value;
  }
  if (profile != nullptr) {
    if (const auto it = profile->find(key); it != profile->end()) return it->second.text;
  }
  return std::nullopt;
}

}  // namespace

WebIdentityProvider::WebIdentityProvider(ProviderContext context, WebIdentityParams params,
                                         std::shared_ptr<sts::StsClient> sts)
    : context_(std::move(context)), params_(std::move(params)), sts_(std::move(sts)) {
  if (params_.role_session_name.empty()) params_.role_session_name = DefaultRoleSessionName(context_.clock());
}

absl::StatusOr<std::shared_ptr<const Credentials>> WebIdentityProvider::Resolve() {
  absl::StatusOr<std::string> token = context_.files->ReadFile(params_.token_file, kMaxTokenBytes);
  if (!token.ok()) {
    return absl::Status(token.status().code(), "assume-role-with-web-identity: cannot read the web identity token: " +
                                                   std::string(token.status().message()));
  }
  sts::AssumeRoleWithWebIdentityRequest request;
  request.role_arn = params_.role_arn;
  request.role_session_name = params_.role_session_name;
  request.web_identity_token = Secret(*token);
  OPENSSL_cleanse(token->data(), token->size());
  if (request.web_identity_token.empty()) {
    return absl::FailedPreconditionError("assume-role-with-web-identity: the web identity token file " +
                                         params_.token_file + " is empty");
  }
  return sts_->AssumeRoleWithWebIdentity(request);
}

absl::StatusOr<std::optional<WebIdentityParams>> WebIdentityParamsFromConfig(const config::Profile* profile,
                                                                             const config::EnvLookup& env,
                                                                             bool disable_env_vars) {
  std::optional<std::string> token_file =
      Lookup(profile, env, disable_env_vars, "web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE");
  if (!token_file.has_value() || token_file->empty()) return std::nullopt;
  std::optional<std::string> role_arn = Lookup(profile, env, disable_env_vars, "role_arn", "AWS_ROLE_ARN");
  if (!role_arn.has_value() || role_arn->empty()) {
    // The first sentence is the other SDKs' wording, the rest botocore's.
    return absl::InvalidArgumentError(
        "`web_identity_token_file` was specified but `role_arn` was missing: the provided profile or the current "
        "environment is configured to assume role with web identity but has no role ARN configured. Ensure that "
        "the profile has the role_arn configuration set or the AWS_ROLE_ARN env var is set.");
  }
  WebIdentityParams params;
  params.token_file = *std::move(token_file);
  params.role_arn = *std::move(role_arn);
  params.role_session_name =
      Lookup(profile, env, disable_env_vars, "role_session_name", "AWS_ROLE_SESSION_NAME").value_or("");
  return params;
}

}  // namespace awsd::credentials
