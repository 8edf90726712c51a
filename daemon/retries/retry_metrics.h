#pragma once

#include <string_view>

#include "daemon/metrics/scalar_metrics.h"

namespace awsd::retries {

// The metrics of one (service, region) retry state (daemon/metrics/README.md),
// resolved when the state is made: an attempt then costs one or two atomic
// increments.
struct RetryMetrics {
  // Attempts sent to AWS that came back (a response or a transport error).
  metrics::Counter* attempts;
  // Attempts decided to be retried, the clock-skew retry included.
  metrics::Counter* retries;
  // Retries standard and adaptive modes refused because the quota ran out.
  metrics::Counter* quota_exhausted;
  // Tokens left in the retry quota.
  metrics::Gauge* quota_available;

  static RetryMetrics For(std::string_view service, std::string_view region);
};

}  // namespace awsd::retries
