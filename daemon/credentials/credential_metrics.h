#pragma once

#include <string_view>

#include "daemon/metrics/scalar_metrics.h"

namespace awsd::credentials {

// The metrics of one cached credential source (daemon/metrics/README.md),
// resolved once when its CachedProvider is made so a lookup pays one atomic
// increment. Labels are the profile and botocore's method name of the
// source ("assume-role", "iam-role", ...): never a key, a token or a role
// session's secret.
struct CredentialSourceMetrics {
  // Upstream fetches (the calls the cache could not avoid), and how many
  // of them failed.
  metrics::Counter* refreshes;
  metrics::Counter* refresh_failures;
  // Lookups answered from the cache: upstream calls avoided.
  metrics::Counter* cache_hits;
  // Seconds since the credentials now held were obtained.
  metrics::AgeGauge* age;

  static CredentialSourceMetrics For(std::string_view profile, std::string_view source);
};

}  // namespace awsd::credentials
