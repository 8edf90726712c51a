#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/credentials/credentials_provider.h"

namespace awsd::credentials {

// A profile's credential_process (botocore's ProcessProvider, source
// "custom-process"): runs the command (split as a shell would, run without
// one), reads the Version 1 JSON it prints, and fails with its stderr when it
// exits non-zero. The command is killed after `timeout`, which botocore does
// not do but a daemon must: a hung helper would hold the session forever.
// Wrap in CachedProvider so the command runs once per expiry, not per call.
class ProcessProvider : public CredentialsProvider {
 public:
  // `fallback_account_id` is the profile's aws_account_id, used when the
  // process prints no AccountId (as botocore does).
  explicit ProcessProvider(std::string command, std::chrono::milliseconds timeout = std::chrono::seconds(60),
                           std::string fallback_account_id = "");
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  std::string command_;
  std::chrono::milliseconds timeout_;
  std::string fallback_account_id_;
};

// The part of Resolve after the helper exited 0: its stdout as botocore
// reads it (a Version 1 JSON object; Expiration in RFC 3339). Apart so the
// parsing can be tested and fuzzed without running a process.
absl::StatusOr<std::shared_ptr<const Credentials>> ParseProcessOutput(std::string_view output,
                                                                      const std::string& fallback_account_id);

}  // namespace awsd::credentials
