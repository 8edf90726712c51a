#include "daemon/credentials/credential_metrics.h"

#include "daemon/metrics/registry.h"

namespace awsd::credentials {

CredentialSourceMetrics CredentialSourceMetrics::For(std::string_view profile, std::string_view source) {
  metrics::Registry& registry = metrics::Global();
  static metrics::CounterFamily& refreshes =
      registry.AddCounter("awsd_credential_refreshes_total",
                          "Credential fetches from their source (upstream calls made).", {"profile", "source"});
  static metrics::CounterFamily& failures = registry.AddCounter(
      "awsd_credential_refresh_failures_total", "Credential fetches that failed.", {"profile", "source"});
  static metrics::CounterFamily& hits = registry.AddCounter(
      "awsd_credential_cache_hits_total", "Credential lookups answered from the cache (upstream calls avoided).",
      {"profile", "source"});
  static metrics::AgeGaugeFamily& age = registry.AddAgeGauge(
      "awsd_credential_age_seconds", "Seconds since the credentials held were obtained from their source.",
      {"profile", "source"});
  return {&refreshes.With({profile, source}), &failures.With({profile, source}), &hits.With({profile, source}),
          &age.With({profile, source})};
}

}  // namespace awsd::credentials
