#include "daemon/retries/retry_state.h"

#include <chrono>
#include <utility>

namespace awsd::retries {
namespace {

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

RetryState::RetryState(std::string service, std::string region, SecondsClock clock,
                       std::shared_ptr<ClockSkew> clock_skew, LegacyRetryRules legacy_rules)
    : service_(std::move(service)),
      region_(std::move(region)),
      metrics_(RetryMetrics::For(service_, region_)),
      quota_(RetryQuota::kInitialCapacity, metrics_.quota_available),
      rate_limiter_(std::move(clock)),
      clock_skew_(std::move(clock_skew)),
      legacy_rules_(std::move(legacy_rules)) {}

RetryRegistry::RetryRegistry() : RetryRegistry(Options{}) {}

RetryRegistry::RetryRegistry(Options options) : options_(std::move(options)) {
  if (!options_.seconds_clock) options_.seconds_clock = SteadySeconds;
  if (!options_.wall_clock) options_.wall_clock = std::chrono::system_clock::now;
  clock_skew_ = std::make_shared<ClockSkew>(options_.wall_clock);
}

RetryRegistry::~RetryRegistry() = default;

absl::Status RetryRegistry::SetRetryDocument(nlohmann::json document) {
  // A document whose general rules do not parse would fail every service.
  absl::StatusOr<LegacyRetryRules> check = LegacyRetryRules::FromJson(document, "__default__");
  if (!check.ok()) return check.status();
  auto shared = std::make_shared<const nlohmann::json>(std::move(document));
  std::lock_guard lock(mutex_);
  document_ = std::move(shared);
  return absl::OkStatus();
}

std::shared_ptr<RetryState> RetryRegistry::For(const std::string& service, const std::string& region) {
  std::lock_guard lock(mutex_);
  std::shared_ptr<RetryState>& state = states_[{service, region}];
  if (state == nullptr) {
    LegacyRetryRules rules = LegacyRetryRules::Builtin(service);
    if (document_ != nullptr) {
      // A service section that does not parse falls back to the built-in rules.
      if (absl::StatusOr<LegacyRetryRules> loaded = LegacyRetryRules::FromJson(*document_, service); loaded.ok()) {
        rules = *std::move(loaded);
      }
    }
    state = std::make_shared<RetryState>(service, region, options_.seconds_clock, clock_skew_, std::move(rules));
  }
  return state;
}

}  // namespace awsd::retries
