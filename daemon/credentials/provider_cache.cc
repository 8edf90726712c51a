#include "daemon/credentials/provider_cache.h"

#include <openssl/evp.h>

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

std::string IdentityDigest(std::initializer_list<std::string_view> parts) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) EVP_DigestUpdate(context, "\0", 1);
    EVP_DigestUpdate(context, part.data(), part.size());
    first = false;
  }
  EVP_DigestFinal_ex(context, digest, &digest_size);
  EVP_MD_CTX_free(context);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), digest_size));
}

}  // namespace awsd::credentials
