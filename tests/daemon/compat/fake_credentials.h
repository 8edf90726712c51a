#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "daemon/compat/authorization.h"
#include "daemon/compat/credential_source.h"

namespace awsd::compat::testing {

inline constexpr char kSecret[] = "CANARYsecretKEY0123456789abcdefghijklmno";
inline constexpr char kToken[] = "CANARYsessionTOKEN";

// Session credentials for profile "dev", nothing for any other profile.
inline CredentialSource FakeSource() {
  return [](const std::string& profile) -> absl::StatusOr<std::shared_ptr<const credentials::Credentials>> {
    if (profile != "dev") return absl::FailedPreconditionError("no credentials for profile " + profile);
    auto credentials = std::make_shared<credentials::Credentials>();
    credentials->access_key_id = "ASIAEXAMPLEEXAMPLE12";
    credentials->secret_access_key = Secret(kSecret);
    credentials->session_token = Secret(kToken);
    credentials->expiration = std::chrono::system_clock::from_time_t(1800000000);  // 2027-01-15T08:00:00Z
    return credentials;
  };
}

inline Clock FixedClock(std::chrono::system_clock::time_point* now) {
  return [now] { return *now; };
}

inline AuthorizeCompatAccess AllowAll() {
  return [](const CompatAccess&) { return CompatDecision{true, "test"}; };
}

}  // namespace awsd::compat::testing
