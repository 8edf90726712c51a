#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "daemon/common/secret.h"
#include "daemon/signing/crypto.h"

namespace awsd::signing {

// SigV4 signing keys by (access key id, date, region, service), so a busy
// client pays for the four-HMAC derivation once a day per scope, not per
// request. Thread-safe. Each entry keeps its secret (to check it: an access
// key id alone is not proof of the secret) and key as Secret, so both are
// wiped when the entry is evicted or the cache destroyed.
//
// Bounded: when full, the least recently used entry is evicted.
class SigningKeyCache {
 public:
  static constexpr size_t kDefaultCapacity = 1024;

  explicit SigningKeyCache(size_t capacity = kDefaultCapacity);
  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;

  // Copies the signing key for the scope into `key`, deriving and caching it
  // on a miss (or when the cached entry was made with another secret). False
  // only on OpenSSL failure.
  bool Get(std::string_view access_key_id, const Secret& secret_access_key, std::string_view date,
           std::string_view region, std::string_view service, KeyBytes* key);

  // Drops (and wipes) every entry.
  void Clear();

  // Entry count and lookup counters, for tests and metrics.
  size_t size() const;
  uint64_t hits() const;
  uint64_t misses() const;

 private:
  struct Entry {
    Secret secret_access_key;
    Secret signing_key;
    uint64_t last_used = 0;
  };

  void EvictOldestLocked();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  uint64_t clock_ = 0;                              // guarded by mu_
  uint64_t hits_ = 0;                               // guarded by mu_
  uint64_t misses_ = 0;                             // guarded by mu_
};

}  // namespace awsd::signing
