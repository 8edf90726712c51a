#include "daemon/credentials/chain_provider.h"

#include <utility>

namespace awsd::credentials {

ChainProvider::ChainProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers)
    : providers_(std::move(providers)) {}

absl::StatusOr<std::shared_ptr<const Credentials>> ChainProvider::Resolve() {
  if (auto fixed = fixed_.load(std::memory_order_acquire)) return fixed;
  if (const int winner = winner_.load(std::memory_order_acquire); winner >= 0) return providers_[winner]->Resolve();
  for (std::size_t i = 0; i < providers_.size(); ++i) {
    auto credentials = providers_[i]->Resolve();
    if (!credentials.ok()) return credentials;
    if (*credentials == nullptr) continue;
    if (!(*credentials)->expiration) fixed_.store(*credentials, std::memory_order_release);
    winner_.store(static_cast<int>(i), std::memory_order_release);
    return credentials;
  }
  return std::shared_ptr<const Credentials>();
}

}  // namespace awsd::credentials
