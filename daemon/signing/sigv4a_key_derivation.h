#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "daemon/common/secret.h"
#include "daemon/signing/crypto.h"

namespace awsd::signing {

// An ECDSA P-256 key (private and public, or public only) held as a
// reference-counted EVP_PKEY. Copies share the key; OpenSSL wipes the private
// scalar when the last reference goes.
class EcKey {
 public:
  EcKey() = default;
  // Takes ownership of one reference to `pkey`.
  explicit EcKey(EVP_PKEY* pkey) : pkey_(pkey) {}
  EcKey(const EcKey& other);
  EcKey& operator=(const EcKey& other);
  EcKey(EcKey&& other) noexcept;
  EcKey& operator=(EcKey&& other) noexcept;
  ~EcKey();

  EVP_PKEY* get() const { return pkey_; }
  explicit operator bool() const { return pkey_ != nullptr; }

  // The public point uncompressed (0x04 || X || Y, 65 bytes); empty on
  // failure.
  std::string PublicPoint() const;

 private:
  EVP_PKEY* pkey_ = nullptr;
};

// The SigV4a private scalar derived from a secret access key, per the SigV4a
// spec and aws-c-auth's aws_ecc_key_pair_new_ecdsa_p256_key_from_aws_credentials:
// NIST SP 800-108 KDF in counter mode, HMAC-SHA256 keyed with "AWS4A" +
// secret over 0x00000001 || "AWS4-ECDSA-P256-SHA256" || 0x00 || access key id
// || counter || 0x00000100; the first output not above N-2 (compared in
// constant time), plus one, is the key. False if 254 counters all fail (odds
// about 2^-8000) or OpenSSL fails.
bool DeriveSigV4aPrivateKey(std::string_view access_key_id, const Secret& secret_access_key, KeyBytes* private_key);

// The key pair for a private scalar (the public point is computed).
absl::StatusOr<EcKey> EcKeyFromPrivateKey(const KeyBytes& private_key);

// A public-only key from an uncompressed point (0x04 || X || Y).
absl::StatusOr<EcKey> EcPublicKeyFromPoint(std::string_view uncompressed_point);

// DeriveSigV4aPrivateKey then EcKeyFromPrivateKey.
absl::StatusOr<EcKey> DeriveSigV4aKey(std::string_view access_key_id, const Secret& secret_access_key);

// SigV4a keys by access key id (checked against the secret), since deriving
// one costs an EC scalar multiplication (tens of microseconds). Thread-safe
// and bounded; evicted keys are released (and wiped by OpenSSL).
class SigV4aKeyCache {
 public:
  static constexpr size_t kDefaultCapacity = 256;

  explicit SigV4aKeyCache(size_t capacity = kDefaultCapacity);
  SigV4aKeyCache(const SigV4aKeyCache&) = delete;
  SigV4aKeyCache& operator=(const SigV4aKeyCache&) = delete;

  // The key pair for the credentials, derived on a miss.
  absl::StatusOr<EcKey> Get(std::string_view access_key_id, const Secret& secret_access_key);

  // Drops (and wipes) every entry.
  void Clear();
  // Entry count and lookup counters, for tests and metrics.
  size_t size() const;
  uint64_t hits() const;
  uint64_t misses() const;

 private:
  struct Entry {
    Secret secret_access_key;
    EcKey key;
    uint64_t last_used = 0;
  };

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  uint64_t clock_ = 0;                              // guarded by mu_
  uint64_t hits_ = 0;                               // guarded by mu_
  uint64_t misses_ = 0;                             // guarded by mu_
};

}  // namespace awsd::signing
