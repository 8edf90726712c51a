#pragma once

#include <functional>
#include <optional>
#include <string>

#include "daemon/config/file_locations.h"
#include "daemon/credentials/credentials_provider.h"

namespace awsd::credentials {

// Environment lookups are injected so tests need not touch the process
// environment.
using EnvironmentLookup = config::EnvLookup;
using config::ProcessEnvironment;

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (or the older
// AWS_SECURITY_TOKEN), AWS_CREDENTIAL_EXPIRATION: botocore's EnvProvider,
// source "env". Only one of the key pair set is an error, as in botocore.
class EnvironmentProvider : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(EnvironmentLookup lookup = ProcessEnvironment());
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  EnvironmentLookup lookup_;
};

}  // namespace awsd::credentials
