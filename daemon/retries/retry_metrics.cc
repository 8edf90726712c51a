#include "daemon/retries/retry_metrics.h"

#include "daemon/metrics/registry.h"

namespace awsd::retries {

RetryMetrics RetryMetrics::For(std::string_view service, std::string_view region) {
  metrics::Registry& registry = metrics::Global();
  static metrics::CounterFamily& attempts =
      registry.AddCounter("awsd_upstream_attempts_total",
                          "Attempts of AWS calls that got a response or failed in transport.", {"service", "region"});
  static metrics::CounterFamily& retries =
      registry.AddCounter("awsd_retries_total", "AWS call attempts that were retried.", {"service", "region"});
  static metrics::CounterFamily& exhausted =
      registry.AddCounter("awsd_retry_quota_exhausted_total",
                          "Retries refused because the retry quota had too few tokens left.", {"service", "region"});
  static metrics::GaugeFamily& available =
      registry.AddGauge("awsd_retry_quota_available_tokens",
                        "Tokens left in the retry quota (standard and adaptive modes).", {"service", "region"});
  return {&attempts.With({service, region}), &retries.With({service, region}), &exhausted.With({service, region}),
          &available.With({service, region})};
}

}  // namespace awsd::retries
