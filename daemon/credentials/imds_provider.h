#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/common/secret.h"
#include "daemon/config/file_locations.h"
#include "daemon/config/profile_file_parser.h"
#include "daemon/credentials/credentials_provider.h"
#include "daemon/credentials/provider_context.h"

namespace awsd::credentials {

// How the instance metadata service is reached, resolved as botocore's
// create_credential_resolver and IMDSFetcher do.
struct ImdsSettings {
  // The base URL; paths are appended after a '/'.
  std::string endpoint = "http://169.254.169.254/";
  // Per request: the connect timeout; a request may take twice this in all,
  // as urllib3 bounds the connect and the read separately.
  std::chrono::milliseconds timeout{1000};
  // Tries per step (token, role name, credentials); no pause between them.
  int attempts = 1;
  // ec2_metadata_v1_disabled: without a session token, give up (an error)
  // rather than fall back to unauthenticated IMDSv1 requests.
  bool v1_disabled = false;
  // AWS_EC2_METADATA_DISABLED=true: the provider offers nothing.
  bool disabled = false;

  // From metadata_service_timeout (whole seconds, as botocore's int()),
  // metadata_service_num_attempts, ec2_metadata_service_endpoint (wins),
  // ec2_metadata_service_endpoint_mode (ipv4 / ipv6, any case; else
  // imds_use_ipv6), ec2_metadata_v1_disabled and AWS_EC2_METADATA_DISABLED.
  // `profile` may be nullptr. InvalidArgument for an unknown endpoint mode,
  // an endpoint that is not a valid URI, or a timeout or attempt count that
  // is not an integer: botocore raises these when it builds the chain, even
  // when IMDS is disabled.
  static absl::StatusOr<ImdsSettings> Resolve(const config::Profile* profile, const config::EnvLookup& env);
};

// The EC2 instance role (botocore's InstanceMetadataProvider and
// InstanceMetadataFetcher, source "iam-role"):
// 1. PUT latest/api/token (IMDSv2). The token is kept and reused until
//    shortly before its 6 h TTL runs out (botocore asks for a new one on every
//    refresh), and dropped early if IMDS answers 401 to it.
// 2. GET latest/meta-data/iam/security-credentials/ for the role name.
// 3. GET .../<role> for the credentials.
//
// As botocore: 403/404/405 to the token PUT (IMDSv2 not offered), running out
// of tries on it, or a timeout means IMDSv1, unless v1 is disabled, which is
// an error. A 400 to the PUT, running out of tries on steps 2-3 (an instance
// with no role answers 404), or an answer lacking a credential field means
// "not configured" (nullptr), so a chain moves on. A non-200, empty or (step
// 3) non-JSON answer is retried, as are refused and dropped connections.
//
// Credentials that expire within the refresh window (15 min plus a 2-10 min
// jitter), or have expired already, are handed out as valid for that window
// from now, as botocore's _evaluate_expiration does, so a caller keeps
// working through an IMDS outage and retries later instead of failing.
//
// Thread-safe. No message or log line carries the token, a secret or a body.
class ImdsProvider : public CredentialsProvider {
 public:
  ImdsProvider(ProviderContext context, ImdsSettings settings);
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  struct Token;
  struct Fetched;

  absl::StatusOr<Token> GetToken(bool force_new);
  absl::StatusOr<Token> FetchToken();
  absl::StatusOr<Fetched> Get(const std::string& path, const Token& token, bool want_json);
  absl::StatusOr<std::shared_ptr<const Credentials>> ResolveOnce(bool force_new_token, bool* token_rejected);
  void ForgetToken(const Secret& token);
  std::string Url(const std::string& path) const;

  const ProviderContext context_;
  const ImdsSettings settings_;

  // Held while a token is fetched, so concurrent callers share one PUT.
  std::mutex token_mutex_;
  std::optional<Secret> token_;
  std::chrono::system_clock::time_point token_expires_;
};

}  // namespace awsd::credentials
