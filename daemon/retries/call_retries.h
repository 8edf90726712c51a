#pragma once

// One call's retry bookkeeping: after each attempt, whether to try again and
// after how long, as botocore's retry handler for the configured mode would
// decide, plus the clock-skew retry. The shared quota, rate limiter and
// skew table live in the RetryState. Not thread-safe (one call, one thread
// at a time); the RetryState it uses is.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "daemon/retries/attempt_result.h"
#include "daemon/retries/retry_config.h"
#include "daemon/retries/retry_state.h"

namespace awsd::retries {

class CallRetries {
 public:
  using Random = std::function<double()>;  // uniform in [0, 1); tests pass a fixed one

  // `service_name` is botocore's service name ("sts" enables its
  // IDPCommunicationError retry in standard mode). A null `random` uses a
  // per-thread Mersenne Twister.
  CallRetries(RetryConfig config, std::shared_ptr<RetryState> state, std::string service_name, Random random);

  // Before each attempt, the first included: how long adaptive mode's rate
  // limiter wants the call to wait (zero in the other modes, and in adaptive
  // mode until the first throttle). The token is taken now: send once the
  // delay has passed, without asking again.
  std::chrono::milliseconds DelayBeforeAttempt();

  // After each attempt; updates the shared state (quota, rate limiter,
  // skew table). A success gives quota back.
  RetryDecision AfterAttempt(const AttemptResult& result);

  // Attempts made so far (AfterAttempt calls), the clock-skew retry included.
  int attempts() const { return attempts_; }
  // The attempt limit in force: the configured one, else the mode's
  // default (legacy: the service's _retry.json value).
  int max_attempts() const;
  const RetryConfig& config() const { return config_; }

 private:
  // AfterAttempt's decision, before it is counted.
  RetryDecision Decide(const AttemptResult& result);
  RetryDecision Standard(const AttemptResult& result, std::string reason);
  RetryDecision Legacy(const AttemptResult& result, std::string reason);

  RetryConfig config_;
  std::shared_ptr<RetryState> state_;
  std::string service_name_;
  Random random_;
  int attempts_ = 0;
  bool skew_retried_ = false;
  // The quota taken by this call's last retry, given back on success
  // (botocore's request_context['retry_quota_capacity']).
  int last_quota_acquired_ = 0;
};

}  // namespace awsd::retries
