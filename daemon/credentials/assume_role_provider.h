#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "daemon/credentials/credentials_provider.h"
#include "daemon/sts/sts_client.h"

namespace awsd::credentials {

// What one AssumeRole call asks for (the profile's role_arn,
// role_session_name, external_id, duration_seconds, mfa_serial).
struct AssumeRoleParams {
  std::string role_arn;
  // Empty: "botocore-session-<unix seconds>", fixed when the provider is
  // made and reused for every refresh, as botocore's fetcher does.
  std::string role_session_name;
  std::optional<std::string> external_id;
  std::optional<int> duration_seconds;
  std::optional<std::string> mfa_serial;
  std::optional<std::string> source_identity;
};

// The current code of the MFA device `mfa_serial`, from whoever can supply
// it (the API caller; botocore prompts on the terminal).
using MfaTokenSource = std::function<absl::StatusOr<std::string>(const std::string& mfa_serial)>;

// botocore's AssumeRoleProvider / AssumeRoleCredentialFetcher, source
// "assume-role": credentials from `source`, then AssumeRole with them.
// - `source` having no credentials (nullptr) is FailedPrecondition; its
//   errors are returned as they are (they already name the source).
// - With mfa_serial, `mfa` is asked for a code at every call; no `mfa` is
//   FailedPrecondition naming the serial. botocore refuses to refresh
//   MFA-backed credentials at all; here each refresh asks `mfa` again, which
//   may itself refuse.
// - Nothing is cached: wrap in CachedProvider.
class AssumeRoleProvider : public CredentialsProvider {
 public:
  AssumeRoleProvider(std::shared_ptr<CredentialsProvider> source, AssumeRoleParams params,
                     std::shared_ptr<sts::StsClient> sts, MfaTokenSource mfa = {});
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

  const AssumeRoleParams& params() const { return params_; }

 private:
  std::shared_ptr<CredentialsProvider> source_;
  AssumeRoleParams params_;
  std::shared_ptr<sts::StsClient> sts_;
  MfaTokenSource mfa_;
};

// botocore's default role session name at `now`: "botocore-session-<unix
// seconds>".
std::string DefaultRoleSessionName(std::chrono::system_clock::time_point now);

}  // namespace awsd::credentials
