#pragma once

// Retries as botocore 1.43 does them (retries/standard.py, adaptive.py,
// bucket.py, throttling.py, quota.py, retryhandler.py with _retry.json),
// plus clock-skew correction. The call path asks one CallRetries per call
// what to do after each attempt; the quota and the adaptive rate limiter
// live in a RetryState shared by every client of the host for one
// (service, region), the skew table in the RetryRegistry.
//
// The facade: each part has its own header.
//   retry_config.h        RetryMode, RetryConfig, ResolveRetryConfig
//   attempt_result.h      AttemptResult, RetryDecision
//   retryable_errors.h    standard/adaptive classification
//   legacy_retry_rules.h  _retry.json rules (legacy mode)
//   retry_quota.h         the standard quota
//   token_bucket.h, cubic_calculator.h, rate_clocker.h, rate_limiter.h
//                         adaptive mode's client rate limiter
//   clock_skew.h          ClockSkew, Date parsing
//   retry_state.h         RetryState, RetryRegistry
//   call_retries.h        CallRetries

#include "daemon/retries/attempt_result.h"      // IWYU pragma: export
#include "daemon/retries/call_retries.h"        // IWYU pragma: export
#include "daemon/retries/clock_skew.h"          // IWYU pragma: export
#include "daemon/retries/legacy_retry_rules.h"  // IWYU pragma: export
#include "daemon/retries/retry_config.h"        // IWYU pragma: export
#include "daemon/retries/retry_state.h"         // IWYU pragma: export
