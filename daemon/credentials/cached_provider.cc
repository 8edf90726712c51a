#include "daemon/credentials/cached_provider.h"

#include <random>

#include "absl/strings/str_cat.h"

namespace awsd::credentials {
namespace {

using std::chrono::system_clock;
using Seconds = std::chrono::duration<double>;

constexpr std::chrono::minutes kStaticStabilityMin{5};
constexpr std::chrono::minutes kStaticStabilitySpread{10};
constexpr std::chrono::minutes kStaticStabilityRetry{1};
constexpr std::chrono::seconds kFailedRefreshBackoff{10};
constexpr std::chrono::seconds kNoCredentialsRecheck{10};

}  // namespace

CachedProvider::CachedProvider(std::shared_ptr<CredentialsProvider> inner, Options options)
    : inner_(std::move(inner)), options_(std::move(options)) {
  if (options_.metric_labels) {
    metrics_ = CredentialSourceMetrics::For(options_.metric_labels->profile, options_.metric_labels->source);
  }
}

void CachedProvider::CountHit() const {
  if (metrics_) metrics_->cache_hits->Increment();
}

uint64_t CachedProvider::fetches() const { return fetches_.load(); }

double CachedProvider::Random() const {
  if (options_.random) return options_.random();
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

std::shared_ptr<const CachedProvider::Snapshot> CachedProvider::Load() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

void CachedProvider::Store(std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(snapshot);
}

CachedProvider::Freshness CachedProvider::Judge(const Snapshot* snapshot, system_clock::time_point now) const {
  if (snapshot == nullptr) return Freshness::kMustRefresh;
  const auto& credentials = snapshot->credentials;
  if (credentials == nullptr) return now < snapshot->retry_at ? Freshness::kFresh : Freshness::kMustRefresh;
  if (!credentials->expiration) return Freshness::kFresh;
  if (now >= *credentials->expiration) return Freshness::kMustRefresh;
  if (snapshot->extended) return now < snapshot->retry_at ? Freshness::kFresh : Freshness::kServeAndRefresh;
  if (now < *snapshot->refresh_at) return Freshness::kFresh;
  if (now < *snapshot->wait_at) return Freshness::kServeAndRefresh;
  return Freshness::kMustRefresh;
}

std::shared_ptr<const CachedProvider::Snapshot> CachedProvider::SnapshotFor(
    std::shared_ptr<const Credentials> credentials, system_clock::time_point now) const {
  auto snapshot = std::make_shared<Snapshot>();
  if (credentials != nullptr && credentials->expiration) {
    const auto expiry = *credentials->expiration;
    const auto jitter = std::chrono::duration_cast<system_clock::duration>(
        Seconds(options_.advisory_jitter) * Random());
    if (expiry - now > options_.advisory_refresh) {
      snapshot->refresh_at = std::max(now, expiry - options_.advisory_refresh - jitter);
      snapshot->wait_at = expiry - options_.mandatory_refresh;
    } else {
      // Short-lived: halfway through, so they are not refreshed at every call.
      snapshot->refresh_at = snapshot->wait_at = now + (expiry - now) / 2;
    }
  }
  // None found is only an answer for now: a long-lived daemon asks again,
  // since a role may be attached or a file written later.
  if (credentials == nullptr) snapshot->retry_at = now + kNoCredentialsRecheck;
  snapshot->credentials = std::move(credentials);
  return snapshot;
}

absl::StatusOr<std::shared_ptr<const Credentials>> CachedProvider::Resolve() {
  auto snapshot = Load();
  const auto now = options_.clock();
  switch (Judge(snapshot.get(), now)) {
    case Freshness::kFresh:
      CountHit();
      return snapshot->credentials;
    case Freshness::kServeAndRefresh: {
      std::unique_lock lock(refresh_mutex_, std::try_to_lock);
      // Someone is already refreshing: the current set is still good.
      if (!lock.owns_lock()) {
        CountHit();
        return snapshot->credentials;
      }
      return Refresh(snapshot);
    }
    case Freshness::kMustRefresh:
      break;
  }
  // Counted before waiting: a refresh that ends while this caller waits
  // answers for it too.
  const uint64_t completed_before = completed_.load();
  std::lock_guard lock(refresh_mutex_);
  snapshot = Load();
  if (Judge(snapshot.get(), options_.clock()) != Freshness::kMustRefresh) {
    // Another caller's refresh answered for this one.
    CountHit();
    return snapshot->credentials;
  }
  if (completed_.load() != completed_before && !last_error_.ok()) return last_error_;
  return Refresh(snapshot);
}

absl::StatusOr<std::shared_ptr<const Credentials>> CachedProvider::Refresh(
    const std::shared_ptr<const Snapshot>& previous) {
  fetches_.fetch_add(1);
  if (metrics_) metrics_->refreshes->Increment();
  auto fresh = inner_->Resolve();
  completed_.fetch_add(1);
  const auto now = options_.clock();
  const std::shared_ptr<const Credentials> held = previous ? previous->credentials : nullptr;
  // A source that gave credentials and now finds none (IMDS once its
  // attempts ran out) failed to refresh them: the held set, or static
  // stability, still applies.
  if (fresh.ok() && *fresh == nullptr && held != nullptr) {
    fresh = absl::UnavailableError("the source found no credentials to refresh with");
  }
  if (fresh.ok() && (*fresh == nullptr || !(*fresh)->expiration || now < *(*fresh)->expiration)) {
    last_error_ = absl::OkStatus();
    if (metrics_ && *fresh != nullptr) metrics_->age->Reset();
    Store(SnapshotFor(*fresh, now));
    return *fresh;
  }
  if (fresh.ok()) fresh = absl::UnavailableError("the source returned credentials that have already expired");
  last_error_ = fresh.status();
  // Counted even when held or extended credentials are served instead.
  if (metrics_) metrics_->refresh_failures->Increment();

  const bool still_valid = held != nullptr && held->expiration && now < *held->expiration;
  // Outside the mandatory window the held set is still good to serve; the
  // source is left alone for a while rather than asked at every call.
  if (still_valid && Judge(previous.get(), now) == Freshness::kServeAndRefresh) {
    auto postponed = std::make_shared<Snapshot>(*previous);
    if (postponed->extended) {
      postponed->retry_at = now + kStaticStabilityRetry;
    } else {
      postponed->refresh_at = std::min(*postponed->wait_at, now + kFailedRefreshBackoff);
    }
    Store(std::move(postponed));
    return held;
  }
  if (options_.static_stability && held != nullptr) {
    auto extended = std::make_shared<Credentials>(*held);
    const auto extension = kStaticStabilityMin + std::chrono::duration_cast<system_clock::duration>(
                                                     Seconds(kStaticStabilitySpread) * Random());
    extended->expiration = std::max(held->expiration.value_or(now), now + extension);
    if (options_.warn) {
      options_.warn(absl::StrCat("credentials of ", MaskAccessKeyId(held->access_key_id),
                                 " could not be refreshed (", fresh.status().message(),
                                 "); serving them for up to ",
                                 std::chrono::duration_cast<std::chrono::seconds>(*extended->expiration - now).count(),
                                 " s more and retrying"));
    }
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->extended = true;
    snapshot->retry_at = now + kStaticStabilityRetry;
    snapshot->credentials = extended;
    Store(std::move(snapshot));
    last_error_ = absl::OkStatus();
    return std::shared_ptr<const Credentials>(std::move(extended));
  }
  return fresh.status();
}

}  // namespace awsd::credentials
