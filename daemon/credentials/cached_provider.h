#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

#include "daemon/credentials/credentials_provider.h"

namespace awsd::credentials {

// Wraps a provider whose credentials expire, so that every caller of the
// session shares one set and one refresh, as botocore's
// RefreshableCredentials does for one process (and awsd does for the host):
// - credentials that do not expire are fetched once;
// - inside the advisory window (15 min before expiry) the first caller
//   refreshes, and if that fails the still-valid credentials are served;
// - inside the mandatory window (10 min) a failed refresh is an error;
// - callers arriving during a refresh wait for it (one refresh, not a storm).
class CachedProvider : public CredentialsProvider {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  struct Options {
    std::chrono::seconds advisory_refresh{15 * 60};
    std::chrono::seconds mandatory_refresh{10 * 60};
    Clock clock = [] { return std::chrono::system_clock::now(); };
  };

  CachedProvider(std::shared_ptr<CredentialsProvider> inner, Options options);
  explicit CachedProvider(std::shared_ptr<CredentialsProvider> inner) : CachedProvider(std::move(inner), Options()) {}
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  std::shared_ptr<CredentialsProvider> inner_;
  Options options_;
  // Held while fetching: refreshes are serialised and callers wait for the
  // one in flight.
  std::mutex mutex_;
  std::shared_ptr<const Credentials> cached_;
  bool fetched_ = false;
};

}  // namespace awsd::credentials
