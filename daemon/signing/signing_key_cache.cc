#include "daemon/signing/signing_key_cache.h"

#include <algorithm>
#include <cstring>

#include "daemon/signing/sigv4_signer.h"

namespace awsd::signing {
namespace {

// Builds the map key in a per-thread buffer, so a hit allocates nothing.
const std::string& ScopeKey(std::string_view access_key_id, std::string_view date, std::string_view region,
                            std::string_view service) {
  thread_local std::string key;
  key.clear();
  key.append(access_key_id).push_back('\0');
  key.append(date).push_back('\0');
  key.append(region).push_back('\0');
  key.append(service);
  return key;
}

// Secret::operator== in constant time, a word rather than a byte at a time:
// this runs on every signature.
bool SameSecret(const Secret& a, const Secret& b) {
  return a.size() == b.size() && ConstantTimeEquals(a.bytes(), b.bytes(), a.size());
}

}  // namespace

SigningKeyCache::SigningKeyCache(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

bool SigningKeyCache::Get(std::string_view access_key_id, const Secret& secret_access_key, std::string_view date,
                          std::string_view region, std::string_view service, KeyBytes* key) {
  const std::string& scope = ScopeKey(access_key_id, date, region, service);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(scope);
    if (it != entries_.end() && SameSecret(it->second.secret_access_key, secret_access_key)) {
      ++hits_;
      it->second.last_used = ++clock_;
      std::memcpy(key->data(), it->second.signing_key.bytes(), KeyBytes::size());
      return true;
    }
    ++misses_;
  }
  // Derived outside the lock: other scopes keep signing meanwhile. Two
  // threads missing on the same scope both derive; the second insert wins.
  if (!DeriveSigningKey(secret_access_key, date, region, service, key)) return false;
  Entry entry{secret_access_key,
              Secret(std::string_view(reinterpret_cast<const char*>(key->data()), KeyBytes::size())), 0};
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(scope);
  if (it == entries_.end()) {
    if (entries_.size() >= capacity_) EvictOldestLocked();
    it = entries_.emplace(scope, std::move(entry)).first;
  } else {
    it->second = std::move(entry);
  }
  it->second.last_used = ++clock_;
  return true;
}

void SigningKeyCache::EvictOldestLocked() {
  // A linear scan on insert into a full cache only: scopes change daily, so
  // this is rare, and it keeps hits free of list bookkeeping.
  auto oldest = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.last_used < oldest->second.last_used) oldest = it;
  }
  if (oldest != entries_.end()) entries_.erase(oldest);
}

void SigningKeyCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

size_t SigningKeyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

uint64_t SigningKeyCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

uint64_t SigningKeyCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

}  // namespace awsd::signing
