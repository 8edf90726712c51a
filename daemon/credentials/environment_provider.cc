#include "daemon/credentials/environment_provider.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "daemon/credentials/expiration_time.h"

namespace awsd::credentials {

EnvironmentProvider::EnvironmentProvider(EnvironmentLookup lookup) : lookup_(std::move(lookup)) {}

absl::StatusOr<std::shared_ptr<const Credentials>> EnvironmentProvider::Resolve() {
  auto non_empty = [this](const char* name) {
    auto value = lookup_(name);
    return value && !value->empty() ? value : std::nullopt;
  };
  auto key_id = non_empty("AWS_ACCESS_KEY_ID");
  auto secret = non_empty("AWS_SECRET_ACCESS_KEY");
  // As botocore: without a key id the environment has nothing to offer (a
  // lone secret is ignored); a key id without its secret is an error.
  if (!key_id) return std::shared_ptr<const Credentials>();
  if (!secret) return absl::FailedPreconditionError("env: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");

  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = *key_id;
  credentials->secret_access_key = Secret(*secret);
  auto token = non_empty("AWS_SESSION_TOKEN");
  if (!token) token = non_empty("AWS_SECURITY_TOKEN");
  if (token) credentials->session_token = Secret(*token);
  if (auto expiry = non_empty("AWS_CREDENTIAL_EXPIRATION")) {
    absl::Time parsed;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, *expiry, &parsed, &error)) {
      return absl::FailedPreconditionError("env: AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time: " + error);
    }
    credentials->expiration = ToExpirationTime(parsed);
    if (!credentials->expiration.has_value()) {
      return absl::FailedPreconditionError("env: AWS_CREDENTIAL_EXPIRATION is out of range");
    }
  }
  if (auto account = non_empty("AWS_ACCOUNT_ID")) credentials->account_id = *account;
  credentials->source = "env";
  std::shared_ptr<const Credentials> result = std::move(credentials);
  return result;
}

}  // namespace awsd::credentials
