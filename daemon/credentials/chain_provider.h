#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "daemon/credentials/credentials_provider.h"

namespace awsd::credentials {

// Asks each provider in order: the first with credentials wins, a broken one
// stops the chain with its error, and a chain where none has any returns
// nullptr (botocore's CredentialResolver).
//
// Once a provider has answered, the chain sticks to it, as a botocore session
// keeps the credentials object it resolved: credentials that do not expire
// are kept and handed out as they are, and expiring ones are asked of the
// winning provider (a CachedProvider) alone. So the hot path never walks
// the chain again.
class ChainProvider : public CredentialsProvider {
 public:
  explicit ChainProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers);
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> providers_;
  std::atomic<std::shared_ptr<const Credentials>> fixed_;
  // Index of the provider that answered, or -1.
  std::atomic<int> winner_{-1};
};

}  // namespace awsd::credentials
