#include "daemon/credentials/chain_provider.h"

#include <utility>

namespace awsd::credentials {

ChainProvider::ChainProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers)
    : providers_(std::move(providers)) {}

absl::StatusOr<std::shared_ptr<const Credentials>> ChainProvider::Resolve() {
  for (auto& provider : providers_) {
    auto credentials = provider->Resolve();
    if (!credentials.ok() || *credentials != nullptr) return credentials;
  }
  return std::shared_ptr<const Credentials>();
}

}  // namespace awsd::credentials
