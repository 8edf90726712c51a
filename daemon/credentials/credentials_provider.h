#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "daemon/credentials/credentials.h"

namespace awsd::credentials {

// One source of credentials (environment, a profile, IMDS, ...).
//
// Resolve() returns:
// - credentials when this source has them;
// - nullptr when this source has none to offer, so a chain moves on (as a
//   botocore provider returning None);
// - an error when this source is configured but broken (a malformed file, a
//   failing credential_process), which stops a chain, as botocore raises.
// Error messages name the source and never contain secret material.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  virtual absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() = 0;
};

}  // namespace awsd::credentials
