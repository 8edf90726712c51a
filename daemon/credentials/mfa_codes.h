#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "daemon/credentials/assume_role_provider.h"

namespace awsd::credentials {

// One-time MFA codes handed in by clients (SessionSpec.mfa_code), waiting
// for the AssumeRole call of the profile whose mfa_serial they answer. A
// code is used once; the role's credentials are then cached and refreshed
// without asking again until they expire, as the CLI's cache does.
class MfaCodes : public std::enable_shared_from_this<MfaCodes> {
 public:
  // Keeps `code` for `mfa_serial`, replacing an unused older one.
  void Offer(const std::string& mfa_serial, std::string code);

  // Asks for the code of a serial, consuming it; FailedPrecondition naming
  // the serial when no client has supplied one.
  MfaTokenSource Source();

 private:
  std::mutex mutex_;
  std::map<std::string, Secret> codes_;
};

}  // namespace awsd::credentials
