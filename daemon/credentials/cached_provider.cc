#include "daemon/credentials/cached_provider.h"

namespace awsd::credentials {

CachedProvider::CachedProvider(std::shared_ptr<CredentialsProvider> inner, Options options)
    : inner_(std::move(inner)), options_(std::move(options)) {}

absl::StatusOr<std::shared_ptr<const Credentials>> CachedProvider::Resolve() {
  std::lock_guard lock(mutex_);
  const auto now = options_.clock();
  auto time_left = [&](const Credentials& c) { return *c.expiration - now; };
  if (fetched_) {
    if (cached_ == nullptr || !cached_->expiration || time_left(*cached_) > options_.advisory_refresh) return cached_;
  }
  auto fresh = inner_->Resolve();
  if (fresh.ok()) {
    cached_ = *fresh;
    fetched_ = true;
    return cached_;
  }
  // Refresh failed: what we hold may still be served outside the mandatory
  // window, so a flapping source does not fail calls that need not fail.
  if (fetched_ && cached_ != nullptr && time_left(*cached_) > options_.mandatory_refresh) return cached_;
  return fresh.status();
}

}  // namespace awsd::credentials
