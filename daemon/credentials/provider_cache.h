#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "daemon/credentials/credentials_provider.h"

namespace awsd::credentials {

// One cached provider per resolved identity, shared by every session that
// resolves to it: a thousand sessions on one role make one AssumeRole call
// per refresh, not a thousand. Keyed by a description of the source (kind,
// parameters and, for a chain, its source's key) that never holds a secret.
// Entries live as long as some session holds them.
class ProviderCache {
 public:
  using Factory = std::function<std::shared_ptr<CredentialsProvider>()>;

  // The provider for `key`, made by `make` when none is alive.
  std::shared_ptr<CredentialsProvider> GetOrCreate(const std::string& key, const Factory& make);

  // Identities with a live provider.
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<CredentialsProvider>> providers_;
};

// A short, stable, non-reversible tag for secret material that is part of an
// identity (static keys, a token): hex SHA-256 of the parts, each followed by
// a NUL but the last, read in place so no copy of a secret is made.
std::string IdentityDigest(std::initializer_list<std::string_view> parts);
inline std::string IdentityDigest(std::string_view secret) { return IdentityDigest({secret}); }

}  // namespace awsd::credentials
