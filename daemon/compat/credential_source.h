#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/credentials/credentials.h"

namespace awsd::compat {

// The daemon's credentials for a profile, as its sessions resolve them
// (cached, refreshed). Errors carry no secret.
using CredentialSource =
    std::function<absl::StatusOr<std::shared_ptr<const credentials::Credentials>>(const std::string& profile)>;

using Clock = std::function<std::chrono::system_clock::time_point()>;

}  // namespace awsd::compat
