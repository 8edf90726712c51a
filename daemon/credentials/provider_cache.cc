#include "daemon/credentials/provider_cache.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"

namespace awsd::credentials {

std::shared_ptr<CredentialsProvider> ProviderCache::GetOrCreate(const std::string& key, const Factory& make) {
  std::lock_guard lock(mutex_);
  auto& slot = providers_[key];
  if (auto alive = slot.lock()) return alive;
  auto made = make();
  slot = made;
  // Forget identities no session holds any more, so the map stays the size
  // of what is in use.
  std::erase_if(providers_, [](const auto& entry) { return entry.second.expired(); });
  return made;
}

std::size_t ProviderCache::size() const {
  std::lock_guard lock(mutex_);
  std::size_t alive = 0;
  for (const auto& [key, provider] : providers_) alive += provider.expired() ? 0 : 1;
  return alive;
}

std::string IdentityDigest(std::string_view secret) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace awsd::credentials
