#pragma once

#include <memory>
#include <vector>

#include "daemon/credentials/credentials_provider.h"

namespace awsd::credentials {

// Asks each provider in order: the first with credentials wins, a broken one
// stops the chain with its error, and a chain where none has any returns
// nullptr (botocore's CredentialResolver).
class ChainProvider : public CredentialsProvider {
 public:
  explicit ChainProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers);
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> providers_;
};

}  // namespace awsd::credentials
