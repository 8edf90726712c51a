#include "daemon/session/session_registry.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "daemon/credentials/chain_provider.h"
#include "daemon/credentials/static_provider.h"

namespace awsd::session {
namespace {

// Ids are unguessable so that one local client cannot use another's session
// by counting.
absl::StatusOr<std::string> NewSessionId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return absl::UnavailableError("no randomness for a session id");
  return "s-" + absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(bytes), sizeof(bytes)));
}

// Inline sessions are keyed by what they are made of. The secret enters the
// key only through a SHA-256 digest, so the cache's keys hold no secret.
std::string CacheKey(const SessionOptions& options) {
  std::string key = absl::StrCat(options.profile.size(), ":", options.profile, "|", options.region.size(), ":",
                                 options.region, "|", options.endpoint_url.size(), ":", options.endpoint_url, "|");
  if (options.explicit_credentials) {
    const auto& c = *options.explicit_credentials;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    EVP_DigestUpdate(ctx, c.secret_access_key.bytes(), c.secret_access_key.size());
    EVP_DigestUpdate(ctx, "\0", 1);
    EVP_DigestUpdate(ctx, c.session_token.bytes(), c.session_token.size());
    EVP_DigestFinal_ex(ctx, digest, &digest_len);
    EVP_MD_CTX_free(ctx);
    absl::StrAppend(&key, c.access_key_id, "|",
                    absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), digest_len)));
  }
  return key;
}

}  // namespace

SessionRegistry::SessionRegistry(credentials::EnvironmentLookup environment, std::size_t max_inline_sessions)
    : environment_(std::move(environment)), max_inline_sessions_(max_inline_sessions) {}

absl::StatusOr<std::shared_ptr<const Session>> SessionRegistry::Build(std::string id,
                                                                      const SessionOptions& options) const {
  std::shared_ptr<credentials::CredentialsProvider> provider;
  if (options.explicit_credentials) {
    const auto& c = *options.explicit_credentials;
    if (c.access_key_id.empty()) return absl::InvalidArgumentError("explicit_credentials.access_key_id: empty");
    if (c.secret_access_key.empty()) return absl::InvalidArgumentError("explicit_credentials.secret_access_key: empty");
    credentials::Credentials copy = c;
    copy.source = "explicit";
    provider = std::make_shared<credentials::StaticProvider>(std::move(copy));
  } else {
    // The default chain grows provider by provider (credentials issue); the
    // environment is its first link, as in botocore.
    provider = std::make_shared<credentials::ChainProvider>(std::vector<std::shared_ptr<credentials::CredentialsProvider>>{
        std::make_shared<credentials::EnvironmentProvider>(environment_)});
  }
  std::string profile = options.profile;
  if (profile.empty()) profile = environment_("AWS_PROFILE").value_or("default");
  std::string region = options.region;
  if (region.empty()) region = environment_("AWS_REGION").value_or(environment_("AWS_DEFAULT_REGION").value_or(""));
  return std::make_shared<const Session>(std::move(id), std::move(profile), std::move(region), options.endpoint_url,
                                         std::move(provider));
}

absl::StatusOr<std::shared_ptr<const Session>> SessionRegistry::Create(const SessionOptions& options) {
  auto id = NewSessionId();
  if (!id.ok()) return id.status();
  auto session = Build(*std::move(id), options);
  if (!session.ok()) return session;
  std::lock_guard lock(mutex_);
  by_id_[(*session)->id()] = *session;
  return session;
}

absl::StatusOr<std::shared_ptr<const Session>> SessionRegistry::Get(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return absl::NotFoundError(absl::StrCat("session.session_id: no open session '", id, "'"));
  return it->second;
}

void SessionRegistry::Close(const std::string& id) {
  std::lock_guard lock(mutex_);
  by_id_.erase(id);
}

absl::StatusOr<std::shared_ptr<const Session>> SessionRegistry::ForOptions(const SessionOptions& options) {
  std::string key = CacheKey(options);
  {
    std::lock_guard lock(mutex_);
    if (auto it = inline_by_key_.find(key); it != inline_by_key_.end()) {
      inline_lru_.splice(inline_lru_.begin(), inline_lru_, it->second);
      return it->second->second;
    }
  }
  auto session = Build("", options);
  if (!session.ok()) return session;
  std::lock_guard lock(mutex_);
  if (auto it = inline_by_key_.find(key); it != inline_by_key_.end()) return it->second->second;
  inline_lru_.emplace_front(key, *session);
  inline_by_key_[key] = inline_lru_.begin();
  if (inline_lru_.size() > max_inline_sessions_) {
    inline_by_key_.erase(inline_lru_.back().first);
    inline_lru_.pop_back();
  }
  return session;
}

std::size_t SessionRegistry::open_sessions() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

}  // namespace awsd::session
