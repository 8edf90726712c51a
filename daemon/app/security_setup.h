#pragma once

// The daemon's security state, built from its config: the policy (user and
// group names resolved), the audit log and the per-caller limits, joined in
// the CallGate that every call passes. SIGHUP rebuilds the policy, reopens
// the audit log and applies new limits.

#include <memory>

#include "absl/status/statusor.h"
#include "daemon/app/daemon_config.h"
#include "daemon/security/audit_log.h"
#include "daemon/security/caller_limits.h"
#include "daemon/server/call_gate.h"
#include "daemon/server/peer_credentials.h"

namespace awsd::app {

class SecuritySetup {
 public:
  // Fails when the policy cannot be built (an unknown user or group): a
  // daemon must not start with a policy other than the one configured. An
  // audit log that cannot be opened does not stop the start: calls that act
  // on AWS are refused until it can be written (fail closed).
  static absl::StatusOr<std::unique_ptr<SecuritySetup>> Create(const DaemonConfig& config,
                                                               const server::PeerTable& peers);

  server::CallGate& gate() { return *gate_; }

  // SIGHUP, after the config was reloaded (or kept): a policy that cannot
  // be built keeps the running one; the audit log is always reopened.
  void Reload(const DaemonConfig& config);

 private:
  SecuritySetup() = default;

  security::AuditLog audit_;
  std::unique_ptr<security::CallerLimits> limits_;
  std::unique_ptr<server::CallGate> gate_;
  std::optional<std::string> audit_path_;
};

}  // namespace awsd::app
