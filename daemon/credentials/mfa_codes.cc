#include "daemon/credentials/mfa_codes.h"

#include "absl/status/status.h"

namespace awsd::credentials {

void MfaCodes::Offer(const std::string& mfa_serial, std::string code) {
  std::lock_guard lock(mutex_);
  codes_.insert_or_assign(mfa_serial, Secret(code));
}

MfaTokenSource MfaCodes::Source() {
  return [weak = weak_from_this()](const std::string& serial) -> absl::StatusOr<std::string> {
    if (auto self = weak.lock()) {
      std::lock_guard lock(self->mutex_);
      if (auto it = self->codes_.find(serial); it != self->codes_.end()) {
        std::string code(it->second.view());
        self->codes_.erase(it);
        return code;
      }
    }
    return absl::FailedPreconditionError("assume-role: an MFA code is needed for " + serial +
                                         ": create the session with one (awsctl --mfa-code, SessionSpec.mfa_code)");
  };
}

}  // namespace awsd::credentials
