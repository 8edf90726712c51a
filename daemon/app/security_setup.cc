#include "daemon/app/security_setup.h"

#include <unistd.h>

#include "daemon/security/policy_builder.h"
#include "spdlog/spdlog.h"

namespace awsd::app {
namespace {

security::CallerLimitSettings LimitsOf(const DaemonConfig& config) {
  return {config.security.caller_max_concurrent_calls, config.security.caller_calls_per_second,
          config.security.caller_burst};
}

absl::StatusOr<security::Policy> PolicyOf(const DaemonConfig& config) {
  // Without rules, compat.credential_process.allow_export is what lets the
  // daemon's own uid (and root) export.
  return security::BuildPolicy(config.security, getuid(), security::NameResolver::System(), config.compat_allow_export);
}

void Describe(const DaemonConfig& config) {
  if (config.security.rules.empty()) {
    spdlog::info("policy: default (uid {} and root; export {})", getuid(),
                 config.compat_allow_export ? "allowed" : "refused");
  } else {
    spdlog::info("policy: {} rule(s)", config.security.rules.size());
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<SecuritySetup>> SecuritySetup::Create(const DaemonConfig& config,
                                                                     const server::PeerTable& peers) {
  auto policy = PolicyOf(config);
  if (!policy.ok()) return policy.status();
  std::unique_ptr<SecuritySetup> self(new SecuritySetup());
  self->audit_path_ = config.security.audit_file;
  if (auto st = self->audit_.Configure(config.security.audit_file); !st.ok()) {
    spdlog::error("audit: {}; calls that act on AWS are refused until it can be written", std::string(st.message()));
  } else if (config.security.audit_file) {
    spdlog::info("audit log: {}", *config.security.audit_file);
  }
  self->limits_ = std::make_unique<security::CallerLimits>(LimitsOf(config));
  self->gate_ = std::make_unique<server::CallGate>(peers, self->audit_, *self->limits_, *std::move(policy));
  Describe(config);
  return self;
}

void SecuritySetup::Reload(const DaemonConfig& config) {
  if (auto policy = PolicyOf(config); policy.ok()) {
    gate_->SetPolicy(*std::move(policy));
    Describe(config);
  } else {
    spdlog::error("reload: policy unchanged: {}", std::string(policy.status().message()));
  }
  limits_->Update(LimitsOf(config));
  absl::Status audit =
      config.security.audit_file == audit_path_ ? audit_.Reopen() : audit_.Configure(config.security.audit_file);
  audit_path_ = config.security.audit_file;
  if (!audit.ok()) {
    spdlog::error("audit: {}; calls that act on AWS are refused until it can be written", std::string(audit.message()));
  } else if (audit_path_) {
    spdlog::info("audit log reopened: {}", *audit_path_);
  }
}

}  // namespace awsd::app
