#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/common/secret.h"
#include "daemon/credentials/credentials.h"
#include "daemon/credentials/provider_context.h"
#include "daemon/http/http_client.h"
#include "daemon/signing/signer.h"
#include "daemon/sts/sts_endpoint.h"
#include "daemon/sts/sts_retry.h"

namespace awsd::sts {

// AssumeRole's parameters that the credential providers use. Unset optional
// fields are not sent (botocore sends what is not None).
struct AssumeRoleRequest {
  std::string role_arn;
  std::string role_session_name;
  std::optional<std::string> external_id;
  std::optional<int> duration_seconds;
  // The MFA device and its current code. The code is a secret: it is never
  // logged or put in an error.
  std::optional<std::string> serial_number;
  std::optional<Secret> token_code;
  std::optional<std::string> source_identity;
};

struct AssumeRoleWithWebIdentityRequest {
  std::string role_arn;
  std::string role_session_name;
  // Sent as read (botocore does not strip the file's trailing newline).
  // Never logged or put in an error.
  Secret web_identity_token;
  std::optional<int> duration_seconds;
};

// The two STS calls the credential providers make, over the query protocol
// (a form-encoded POST to the endpoint's "/", Version 2011-06-15), as
// botocore's STS client makes them:
// - AssumeRole is signed with SigV4 (service "sts", the endpoint's signing
//   region, the time from context.clock) with the caller's credentials;
//   AssumeRoleWithWebIdentity is sent unsigned, as botocore's fetcher does.
// - Failed attempts are retried as `retry_mode` says (sts_retry.h), up to
//   `max_attempts` attempts in all, waiting through context.sleep.
// - Every request is bounded by StsRequestOptions().
//
// The credentials returned carry the account id from AssumedRoleUser/Arn
// and the source botocore's provider would name ("assume-role",
// "assume-role-with-web-identity").
//
// Errors: an STS error document becomes "<Code>: <Message> (<context>)",
// where <Code> is the modeled exception name when STS's service model gives
// the wire code one ("InvalidIdentityToken" reads
// "InvalidIdentityTokenException", the name botocore's client.exceptions
// and the other SDKs use; the wire code is in the context and in
// StsErrorCode). Status codes: throttling, 5xx and IDPCommunicationError
// are Unavailable; 401/403 PermissionDenied; validation errors
// InvalidArgument; other 4xx FailedPrecondition; a 200 that cannot be read
// Internal; transport failures keep the HttpClient's code. No message holds
// a secret, a token or an MFA code: the server's message is cut to 512
// bytes, control bytes are replaced, and the token or code sent is masked
// should the server echo it.
//
// Thread-safe.
class StsClient {
 public:
  StsClient(credentials::ProviderContext context, std::shared_ptr<signing::Signer> signer, StsEndpoint endpoint,
            int max_attempts = 3, RetryMode retry_mode = RetryMode::kStandard);

  absl::StatusOr<std::shared_ptr<const credentials::Credentials>> AssumeRole(const AssumeRoleRequest& request,
                                                                             const credentials::Credentials& caller);

  absl::StatusOr<std::shared_ptr<const credentials::Credentials>> AssumeRoleWithWebIdentity(
      const AssumeRoleWithWebIdentityRequest& request);

  const StsEndpoint& endpoint() const { return endpoint_; }
  // For callers that need the same clock (a default session name).
  const credentials::ProviderContext& context() const { return context_; }

 private:
  struct Call;
  absl::StatusOr<std::shared_ptr<const credentials::Credentials>> Run(const Call& call);

  credentials::ProviderContext context_;
  std::shared_ptr<signing::Signer> signer_;
  StsEndpoint endpoint_;
  int max_attempts_;
  RetryMode retry_mode_;
};

// The limits of one STS request: 3 s to connect, 10 s in all, 1 MiB.
http::RequestOptions StsRequestOptions();

// The wire error code STS answered with ("InvalidIdentityToken",
// "Throttling"), when `status` came from an STS error document.
std::optional<std::string> StsErrorCode(const absl::Status& status);

}  // namespace awsd::sts
