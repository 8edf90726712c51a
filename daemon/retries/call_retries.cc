#include "daemon/retries/call_retries.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "daemon/retries/clock_skew.h"
#include "daemon/retries/retryable_errors.h"

namespace awsd::retries {
namespace {

// ExponentialBackoff's _MAX_BACKOFF, seconds.
constexpr double kMaxBackoffSeconds = 20;

double ThreadRandom() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

std::chrono::milliseconds ToMilliseconds(double seconds) {
  if (!(seconds > 0)) return std::chrono::milliseconds(0);
  // Rounded up so a caller never sends before the limiter's token exists.
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(std::min(seconds, 1e9) * 1000)));
}

// Backoff delays are botocore's float seconds, to the nearest millisecond.
std::chrono::milliseconds RoundToMilliseconds(double seconds) {
  if (!(seconds > 0)) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(std::llround(std::min(seconds, 1e9) * 1000));
}

std::string OutcomeReason(const AttemptResult& result) {
  if (!result.transport.ok()) {
    const char* kind = result.transport.code() == absl::StatusCode::kDeadlineExceeded ? "timeout" : "connection error";
    return absl::StrCat(kind, ": ", result.transport.message());
  }
  if (!result.error_code.empty()) return result.error_code;
  return absl::StrCat("HTTP ", result.http_status);
}

bool IsSuccess(const AttemptResult& result) {
  return result.transport.ok() && result.http_status >= 200 && result.http_status < 300;
}

}  // namespace

CallRetries::CallRetries(RetryConfig config, std::shared_ptr<RetryState> state, std::string service_name, Random random)
    : config_(config), state_(std::move(state)), service_name_(std::move(service_name)), random_(std::move(random)) {
  if (!random_) random_ = ThreadRandom;
}

int CallRetries::max_attempts() const {
  if (config_.max_attempts_configured) return config_.max_attempts;
  if (config_.mode == RetryMode::kLegacy) return state_->legacy_rules().max_attempts();
  return config_.max_attempts;
}

std::chrono::milliseconds CallRetries::DelayBeforeAttempt() {
  if (config_.mode != RetryMode::kAdaptive) return std::chrono::milliseconds(0);
  return ToMilliseconds(state_->rate_limiter().OnSendingRequest());
}

RetryDecision CallRetries::AfterAttempt(const AttemptResult& result) {
  const RetryMetrics& metrics = state_->metrics();
  metrics.attempts->Increment();
  RetryDecision decision = Decide(result);
  if (decision.retry) metrics.retries->Increment();
  return decision;
}

RetryDecision CallRetries::Decide(const AttemptResult& result) {
  ++attempts_;
  // adaptive.py's limiter hears every response and failure, retried or not.
  if (config_.mode == RetryMode::kAdaptive) state_->rate_limiter().OnReceivingResponse(IsThrottlingError(result));

  // Any response with a far-off Date refreshes the host's offset; only a
  // signature-time error earns the retry.
  bool skewed = false;
  if (result.transport.ok() && result.headers != nullptr && !result.host.empty()) {
    if (auto server_time = ServerTime(*result.headers)) {
      skewed = state_->clock_skew().Observe(result.host, *server_time, result.signed_at);
    }
  }

  if (IsSuccess(result)) {
    if (config_.mode != RetryMode::kLegacy) {
      // release_retry_quota: what the last retry took, else the increment.
      state_->quota().Release(last_quota_acquired_ > 0 ? last_quota_acquired_ : RetryQuota::kNoRetryIncrement);
    }
    return RetryDecision{};
  }

  std::string reason = OutcomeReason(result);
  if (skewed && !skew_retried_ && IsClockSkewErrorCode(result.error_code) && IsClockSkewStatus(result.http_status)) {
    RetryDecision decision;
    decision.retryable = true;
    decision.reason = absl::StrCat(reason, " (clock skew of ", state_->clock_skew().Offset(result.host).count(),
                                   " s recorded for ", result.host, ")");
    if (!result.replayable) {
      absl::StrAppend(&decision.reason, "; the request body cannot be sent again");
      return decision;
    }
    // Not a retry of the service's making: no quota, no backoff, and it does
    // not use up one of the configured attempts.
    skew_retried_ = true;
    decision.retry = true;
    decision.clock_skew = true;
    return decision;
  }

  return config_.mode == RetryMode::kLegacy ? Legacy(result, std::move(reason)) : Standard(result, std::move(reason));
}

RetryDecision CallRetries::Standard(const AttemptResult& result, std::string reason) {
  RetryDecision decision;
  decision.reason = std::move(reason);
  decision.retryable = ClassifyStandard(result, service_name_) != StandardErrorKind::kNotRetryable;
  if (!decision.retryable) return decision;
  if (!result.replayable) {
    absl::StrAppend(&decision.reason, "; the request body cannot be sent again");
    return decision;
  }
  const int attempt_number = attempts_ - (skew_retried_ ? 1 : 0);
  if (attempt_number >= max_attempts()) {
    absl::StrAppend(&decision.reason, "; max attempts (", max_attempts(), ") reached");
    return decision;
  }
  const int cost = IsTimeoutError(result) ? RetryQuota::kTimeoutRetryCost : RetryQuota::kRetryCost;
  if (!state_->quota().Acquire(cost)) {
    state_->metrics().quota_exhausted->Increment();
    decision.reason = "retry quota exhausted";
    return decision;
  }
  last_quota_acquired_ = cost;
  decision.retry = true;
  // ExponentialBackoff.delay_amount: rand * min(2 ** (attempt - 1), 20).
  const double cap = std::min(std::pow(2.0, attempt_number - 1), kMaxBackoffSeconds);
  decision.delay = RoundToMilliseconds(random_() * cap);
  return decision;
}

RetryDecision CallRetries::Legacy(const AttemptResult& result, std::string reason) {
  RetryDecision decision;
  decision.reason = std::move(reason);
  const LegacyRetryRules& rules = state_->legacy_rules();
  decision.retryable = rules.Match(result) != nullptr;
  if (!decision.retryable) return decision;
  if (!result.replayable) {
    absl::StrAppend(&decision.reason, "; the request body cannot be sent again");
    return decision;
  }
  const int attempt_number = attempts_ - (skew_retried_ ? 1 : 0);
  if (attempt_number >= max_attempts()) {
    absl::StrAppend(&decision.reason, "; max attempts (", max_attempts(), ") reached");
    return decision;
  }
  decision.retry = true;
  decision.delay = RoundToMilliseconds(rules.DelaySeconds(attempt_number, rules.base_is_random() ? random_() : 0));
  return decision;
}

}  // namespace awsd::retries
