#include "daemon/credentials/assume_role_provider.h"

#include <openssl/crypto.h>

#include <utility>

#include "absl/status/status.h"

namespace awsd::credentials {

std::string DefaultRoleSessionName(std::chrono::system_clock::time_point now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return "botocore-session-" + std::to_string(seconds);
}

AssumeRoleProvider::AssumeRoleProvider(std::shared_ptr<CredentialsProvider> source, AssumeRoleParams params,
                                       std::shared_ptr<sts::StsClient> sts, MfaTokenSource mfa)
    : source_(std::move(source)), params_(std::move(params)), sts_(std::move(sts)), mfa_(std::move(mfa)) {
  if (params_.role_session_name.empty()) params_.role_session_name = DefaultRoleSessionName(sts_->context().clock());
}

absl::StatusOr<std::shared_ptr<const Credentials>> AssumeRoleProvider::Resolve() {
  sts::AssumeRoleRequest request;
  request.role_arn = params_.role_arn;
  request.role_session_name = params_.role_session_name;
  request.external_id = params_.external_id;
  request.duration_seconds = params_.duration_seconds;
  request.source_identity = params_.source_identity;
  // The code is asked for first, as botocore prompts before calling STS, and
  // a source whose credentials cost a network call is not called for nothing.
  if (params_.mfa_serial.has_value()) {
    if (!mfa_) {
      return absl::FailedPreconditionError("assume-role: role " + params_.role_arn + " needs an MFA code for " +
                                           *params_.mfa_serial + ", and none was supplied");
    }
    absl::StatusOr<std::string> code = mfa_(*params_.mfa_serial);
    if (!code.ok()) return code.status();
    request.serial_number = params_.mfa_serial;
    request.token_code = Secret(*code);
    OPENSSL_cleanse(code->data(), code->size());
    if (request.token_code->empty()) {
      return absl::FailedPreconditionError("assume-role: role " + params_.role_arn + " needs an MFA code for " +
                                           *params_.mfa_serial + ", and the code supplied is empty");
    }
  }

  absl::StatusOr<std::shared_ptr<const Credentials>> caller = source_->Resolve();
  if (!caller.ok()) return caller.status();
  if (*caller == nullptr) {
    return absl::FailedPreconditionError("assume-role: no source credentials to assume role " + params_.role_arn +
                                         " with: the source provider found none");
  }
  return sts_->AssumeRole(request, **caller);
}

}  // namespace awsd::credentials
