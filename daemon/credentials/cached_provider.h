#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "daemon/credentials/credential_metrics.h"
#include "daemon/credentials/credentials_provider.h"

namespace awsd::credentials {

// Wraps a provider whose credentials expire, so that every caller shares one
// set and one refresh, as botocore's RefreshableCredentials does for one
// process (and awsd does for the host):
// - credentials that do not expire are fetched once;
// - inside the advisory window (15 min before expiry, started up to
//   `advisory_jitter` earlier at random so identities fetched together do not
//   refresh together) one caller refreshes while the others are served the
//   current set, which is also served if the refresh fails;
// - inside the mandatory window (10 min) callers wait for the refresh, and a
//   failed refresh is an error: expired credentials are never handed out;
// - every refresh is single flight, failures included: callers that waited
//   for a refresh that failed get its error rather than starting another;
// - with `static_stability` (IMDS only), credentials that could not be
//   refreshed before they expired are extended by 5 to 15 minutes with one
//   warning, and the source is retried at most once a minute meanwhile.
// Credentials living less than the advisory window are refreshed when half
// of their life has passed.
// The hot path takes one short lock to copy a pointer.
class CachedProvider : public CredentialsProvider {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  struct Options {
    std::chrono::seconds advisory_refresh{15 * 60};
    std::chrono::seconds mandatory_refresh{10 * 60};
    std::chrono::seconds advisory_jitter{60};
    bool static_stability = false;
    // Told, without secrets, when credentials are extended.
    std::function<void(const std::string&)> warn;
    Clock clock = [] { return std::chrono::system_clock::now(); };
    // Uniform in [0, 1); injectable so tests know the jitter.
    std::function<double()> random;
    // Labels of its metrics (credential_metrics.h): the profile whose lookup
    // made it and the source's method name. Unset: no metrics.
    struct MetricLabels {
      std::string profile;
      std::string source;
    };
    std::optional<MetricLabels> metric_labels;
  };

  CachedProvider(std::shared_ptr<CredentialsProvider> inner, Options options);
  explicit CachedProvider(std::shared_ptr<CredentialsProvider> inner) : CachedProvider(std::move(inner), Options()) {}
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

  // Upstream fetches so far (successful or not), for tests and figures.
  uint64_t fetches() const;

 private:
  struct Snapshot {
    std::shared_ptr<const Credentials> credentials;
    // Unset for credentials that do not expire (or none at all).
    std::optional<std::chrono::system_clock::time_point> refresh_at;  // advisory
    std::optional<std::chrono::system_clock::time_point> wait_at;     // mandatory
    // Extended by static stability: served until expiry, source retried
    // from retry_at. No credentials found: the source is asked again from
    // retry_at.
    bool extended = false;
    std::chrono::system_clock::time_point retry_at;
  };
  enum class Freshness { kFresh, kServeAndRefresh, kMustRefresh };

  Freshness Judge(const Snapshot* snapshot, std::chrono::system_clock::time_point now) const;
  std::shared_ptr<const Snapshot> Load() const;
  void Store(std::shared_ptr<const Snapshot> snapshot);
  // Runs with refresh_mutex_ held.
  absl::StatusOr<std::shared_ptr<const Credentials>> Refresh(const std::shared_ptr<const Snapshot>& previous);
  std::shared_ptr<const Snapshot> SnapshotFor(std::shared_ptr<const Credentials> credentials,
                                              std::chrono::system_clock::time_point now) const;
  double Random() const;
  void CountHit() const;

  std::shared_ptr<CredentialsProvider> inner_;
  Options options_;
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  // Held while fetching.
  std::mutex refresh_mutex_;
  // Refreshes finished, and (guarded by refresh_mutex_) the last one's error,
  // OK when it succeeded.
  std::atomic<uint64_t> completed_{0};
  absl::Status last_error_;
  std::atomic<uint64_t> fetches_{0};
  std::optional<CredentialSourceMetrics> metrics_;
};

}  // namespace awsd::credentials
