#include "daemon/retries/call_retries.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "daemon/retries/retry_policy.h"

namespace awsd::retries {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

AttemptResult Response(int status, std::string code = "") {
  AttemptResult result;
  result.http_status = status;
  result.error_code = std::move(code);
  return result;
}

RetryConfig Mode(RetryMode mode, int max_attempts, bool configured = false) {
  return RetryConfig{mode, max_attempts, configured};
}

CallRetries::Random Fixed(double value) {
  return [value] { return value; };
}

TEST(CallRetriesTest, StandardBackoffSequence) {
  RetryRegistry registry;
  CallRetries call(Mode(RetryMode::kStandard, 8, true), registry.For("lambda", "us-east-1"), "lambda", Fixed(0.5));
  // rand * min(2^(attempt - 1), 20): 0.5, 1, 2, 4, 8, 10, 10 seconds.
  const int64_t expected_ms[] = {500, 1000, 2000, 4000, 8000, 10000, 10000};
  for (int64_t expected : expected_ms) {
    RetryDecision decision = call.AfterAttempt(Response(503));
    ASSERT_TRUE(decision.retry);
    EXPECT_EQ(decision.delay, milliseconds(expected));
    EXPECT_EQ(decision.reason, "HTTP 503");
  }
  RetryDecision last = call.AfterAttempt(Response(500, "InternalError"));
  EXPECT_FALSE(last.retry);
  EXPECT_TRUE(last.retryable);
  EXPECT_EQ(last.reason, "InternalError; max attempts (8) reached");
  EXPECT_EQ(call.attempts(), 8);
  EXPECT_EQ(registry.For("lambda", "us-east-1")->quota().available(), 500 - 7 * 5);
}

TEST(CallRetriesTest, StandardRetriesWhatBotocoreDoes) {
  RetryRegistry registry;
  auto state = registry.For("sts", "us-east-1");
  const auto retries = [&](AttemptResult result, const std::string& service = "sts") {
    CallRetries call(Mode(RetryMode::kStandard, 3), state, service, Fixed(0));
    return call.AfterAttempt(result).retry;
  };
  EXPECT_TRUE(retries(Response(400, "ThrottlingException")));
  EXPECT_TRUE(retries(Response(400, "SlowDown")));
  EXPECT_TRUE(retries(Response(400, "RequestTimeout")));
  EXPECT_TRUE(retries(Response(502)));
  EXPECT_TRUE(retries(Response(400, "IDPCommunicationError")));
  EXPECT_FALSE(retries(Response(400, "IDPCommunicationError"), "iam"));
  EXPECT_FALSE(retries(Response(429)));  // no code: not a throttle in standard mode
  EXPECT_FALSE(retries(Response(501)));
  EXPECT_FALSE(retries(Response(400, "ValidationException")));
  AttemptResult modeled = Response(400, "SomeModeledException");
  modeled.modeled = ModeledRetry::kTransient;
  EXPECT_TRUE(retries(modeled));
  AttemptResult timeout;
  timeout.transport = absl::DeadlineExceededError("read timeout");
  EXPECT_TRUE(retries(timeout));
  AttemptResult stream = Response(503);
  stream.replayable = false;
  EXPECT_FALSE(retries(stream));
  // Two timeout retries at 10 and five 5-token retries.
  EXPECT_EQ(state->quota().available(), 500 - 10 - 6 * 5);
}

TEST(CallRetriesTest, QuotaThroughALongOutage) {
  RetryRegistry registry;
  auto state = registry.For("lambda", "us-east-1");
  // Calls of 3 attempts against a dead service: each takes 2 * 5 tokens.
  int calls = 0;
  while (state->quota().available() >= 10) {
    CallRetries call(Mode(RetryMode::kStandard, 3), state, "lambda", Fixed(0));
    EXPECT_TRUE(call.AfterAttempt(Response(503)).retry);
    EXPECT_TRUE(call.AfterAttempt(Response(503)).retry);
    EXPECT_FALSE(call.AfterAttempt(Response(503)).retry);
    ++calls;
  }
  EXPECT_EQ(calls, 50);
  EXPECT_EQ(state->quota().available(), 0);
  CallRetries dry(Mode(RetryMode::kStandard, 3), state, "lambda", Fixed(0));
  RetryDecision decision = dry.AfterAttempt(Response(503));
  EXPECT_FALSE(decision.retry);
  EXPECT_TRUE(decision.retryable);
  EXPECT_EQ(decision.reason, "retry quota exhausted");
  // The service recovers: first-try successes give back 1 each.
  for (int i = 0; i < 7; ++i)
    CallRetries(Mode(RetryMode::kStandard, 3), state, "lambda", Fixed(0)).AfterAttempt(Response(200));
  EXPECT_EQ(state->quota().available(), 7);
  // A success after a retry gives back what the retry took.
  CallRetries retried(Mode(RetryMode::kStandard, 3), state, "lambda", Fixed(0));
  AttemptResult timeout;
  timeout.transport = absl::DeadlineExceededError("read timeout");
  EXPECT_FALSE(retried.AfterAttempt(timeout).retry);  // needs 10, has 7
  EXPECT_EQ(state->quota().available(), 7);
  EXPECT_TRUE(retried.AfterAttempt(Response(500)).retry);
  EXPECT_EQ(state->quota().available(), 2);
  retried.AfterAttempt(Response(200));
  EXPECT_EQ(state->quota().available(), 7);
  for (int i = 0; i < 600; ++i)
    CallRetries(Mode(RetryMode::kStandard, 3), state, "lambda", Fixed(0)).AfterAttempt(Response(200));
  EXPECT_EQ(state->quota().available(), 500);
}

TEST(CallRetriesTest, LegacyDynamoDb) {
  RetryRegistry registry;
  CallRetries call(Mode(RetryMode::kLegacy, 5), registry.For("dynamodb", "eu-west-1"), "dynamodb", Fixed(0.9));
  EXPECT_EQ(call.max_attempts(), 10);
  const int64_t expected_ms[] = {50, 100, 200, 400, 800, 1600, 3200, 6400, 12800};
  for (int64_t expected : expected_ms) {
    RetryDecision decision = call.AfterAttempt(Response(400, "ProvisionedThroughputExceededException"));
    ASSERT_TRUE(decision.retry);
    EXPECT_EQ(decision.delay, milliseconds(expected));
  }
  EXPECT_FALSE(call.AfterAttempt(Response(400, "ProvisionedThroughputExceededException")).retry);
  // Legacy mode has no quota.
  EXPECT_EQ(registry.For("dynamodb", "eu-west-1")->quota().available(), 500);

  // Configured max_attempts wins over _retry.json's.
  CallRetries configured(Mode(RetryMode::kLegacy, 2, true), registry.For("dynamodb", "eu-west-1"), "dynamodb",
                         Fixed(0.9));
  EXPECT_TRUE(configured.AfterAttempt(Response(500)).retry);
  EXPECT_FALSE(configured.AfterAttempt(Response(500)).retry);
}

TEST(CallRetriesTest, LegacyGeneralDelaysAndCodes) {
  RetryRegistry registry;
  CallRetries call(Mode(RetryMode::kLegacy, 5), registry.For("ec2", "us-east-1"), "ec2", Fixed(0.25));
  EXPECT_EQ(call.AfterAttempt(Response(503, "RequestLimitExceeded")).delay, milliseconds(250));
  EXPECT_EQ(call.AfterAttempt(Response(429)).delay, milliseconds(500));
  EXPECT_EQ(call.AfterAttempt(Response(509)).delay, milliseconds(1000));
  EXPECT_FALSE(call.AfterAttempt(Response(400, "RequestLimitExceeded")).retryable);
}

TEST(CallRetriesTest, RegistrySharesStatePerServiceAndRegion) {
  RetryRegistry registry;
  EXPECT_EQ(registry.For("s3", "us-east-1"), registry.For("s3", "us-east-1"));
  EXPECT_NE(registry.For("s3", "us-east-1"), registry.For("s3", "us-west-2"));
  EXPECT_NE(registry.For("s3", "us-east-1"), registry.For("sqs", "us-east-1"));
  nlohmann::json document = LegacyRetryRules::BuiltinDocument();
  document["retry"]["sqs"]["__default__"]["max_attempts"] = 7;
  ASSERT_TRUE(registry.SetRetryDocument(document).ok());
  EXPECT_EQ(registry.For("sqs", "eu-west-1")->legacy_rules().max_attempts(), 7);
  EXPECT_EQ(registry.For("sqs", "us-east-1")->legacy_rules().max_attempts(), 5);  // made before
  EXPECT_FALSE(registry.SetRetryDocument(nlohmann::json::array()).ok());
}

TEST(CallRetriesTest, ClockSkewRetriesOnceAndSharesTheOffset) {
  system_clock::time_point now = system_clock::time_point(seconds(1'700'000'000));
  RetryRegistry registry(
      RetryRegistry::Options{.seconds_clock = [] { return 0.0; }, .wall_clock = [&] { return now; }});
  const std::vector<http::Header> headers = {{"Date", "Tue, 14 Nov 2023 22:23:20 GMT"}};  // now + 600 s
  AttemptResult skewed = Response(403, "SignatureDoesNotMatch");
  skewed.headers = &headers;
  skewed.host = "sts.amazonaws.com";
  skewed.signed_at = now;

  for (RetryMode mode : {RetryMode::kLegacy, RetryMode::kStandard, RetryMode::kAdaptive}) {
    registry.clock_skew()->Observe("sts.amazonaws.com", now, now + seconds(3600));  // reset to 0
    CallRetries call(Mode(mode, 1, true), registry.For("sts", "us-east-1"), "sts", Fixed(0.5));
    RetryDecision first = call.AfterAttempt(skewed);
    EXPECT_TRUE(first.retry);
    EXPECT_TRUE(first.clock_skew);
    EXPECT_EQ(first.delay, milliseconds(0));
    EXPECT_EQ(first.reason, "SignatureDoesNotMatch (clock skew of 600 s recorded for sts.amazonaws.com)");
    // Every caller of the host now signs with the offset.
    EXPECT_EQ(registry.clock_skew()->Now("sts.amazonaws.com"), now + seconds(600));
    // Only once per call.
    EXPECT_FALSE(call.AfterAttempt(skewed).retry);
  }
  EXPECT_EQ(registry.For("sts", "us-east-1")->quota().available(), 500);

  // A retry signed with the correction that still fails is not skew.
  CallRetries call(Mode(RetryMode::kStandard, 3), registry.For("sts", "us-east-1"), "sts", Fixed(0.5));
  AttemptResult corrected = skewed;
  corrected.signed_at = registry.clock_skew()->Now("sts.amazonaws.com");
  RetryDecision decision = call.AfterAttempt(corrected);
  EXPECT_FALSE(decision.retry);
  EXPECT_FALSE(decision.retryable);
  EXPECT_EQ(registry.clock_skew()->Offset("sts.amazonaws.com"), seconds(600));

  // An unrelated error with a far-off Date refreshes the offset, no retry.
  AttemptResult denied = Response(403, "AccessDenied");
  denied.headers = &headers;
  denied.host = "iam.amazonaws.com";
  denied.signed_at = now;
  CallRetries other(Mode(RetryMode::kStandard, 3), registry.For("iam", "us-east-1"), "iam", Fixed(0.5));
  EXPECT_FALSE(other.AfterAttempt(denied).retry);
  EXPECT_EQ(registry.clock_skew()->Offset("iam.amazonaws.com"), seconds(600));

  // A stream cannot be resent.
  registry.clock_skew()->Observe("sts.amazonaws.com", now, now + seconds(3600));
  AttemptResult stream = skewed;
  stream.replayable = false;
  CallRetries streamed(Mode(RetryMode::kStandard, 3), registry.For("sts", "us-east-1"), "sts", Fixed(0.5));
  EXPECT_FALSE(streamed.AfterAttempt(stream).retry);
  EXPECT_EQ(registry.clock_skew()->Offset("sts.amazonaws.com"), seconds(600));
}

TEST(CallRetriesTest, AdaptiveDelaysAfterThrottles) {
  double now = 10;
  RetryRegistry registry(RetryRegistry::Options{.seconds_clock = [&] { return now; }, .wall_clock = nullptr});
  auto state = registry.For("dynamodb", "us-east-1");
  CallRetries call(Mode(RetryMode::kAdaptive, 3), state, "dynamodb", Fixed(0.5));
  EXPECT_EQ(call.DelayBeforeAttempt(), milliseconds(0));
  now = 10.6;
  RetryDecision decision = call.AfterAttempt(Response(400, "ThrottlingException"));
  EXPECT_TRUE(decision.retry);
  EXPECT_EQ(decision.delay, milliseconds(500));
  // Measured 1.6/s, cut to 1.12/s; the bucket filled 0.6 tokens at 1/s
  // since 10: (1 - 0.6) / 1.12 s to go, rounded up.
  EXPECT_EQ(call.DelayBeforeAttempt(), milliseconds(358));
  // Standard mode never waits.
  CallRetries standard(Mode(RetryMode::kStandard, 3), state, "dynamodb", Fixed(0.5));
  EXPECT_EQ(standard.DelayBeforeAttempt(), milliseconds(0));
}

TEST(CallRetriesTest, ConcurrentCallersShareOneState) {
  double fake_now = 0;
  std::atomic<int> ticks{0};
  RetryRegistry registry(RetryRegistry::Options{.seconds_clock = [&] { return fake_now + 0.001 * ticks.fetch_add(1); },
                                                .wall_clock = nullptr});
  std::atomic<int> retried{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto state = registry.For("lambda", "us-east-1");
        CallRetries call(Mode(t % 2 == 0 ? RetryMode::kAdaptive : RetryMode::kStandard, 3), state, "lambda", nullptr);
        call.DelayBeforeAttempt();
        if (call.AfterAttempt(Response(400, "ThrottlingException")).retry) ++retried;
        call.DelayBeforeAttempt();
        call.AfterAttempt(Response(200));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // 400 throttles, each retry takes 5 and its success gives 5 back.
  EXPECT_EQ(retried.load(), 400);
  EXPECT_EQ(registry.For("lambda", "us-east-1")->quota().available(), 500);
  EXPECT_TRUE(registry.For("lambda", "us-east-1")->rate_limiter().snapshot().enabled);
}

TEST(CallRetriesTest, CountsAttemptsRetriesAndTheQuotaInMetrics) {
  RetryRegistry registry;
  auto state = registry.For("metrics-test", "eu-west-3");
  const RetryMetrics& metrics = state->metrics();
  const uint64_t attempts = metrics.attempts->value();
  const uint64_t retries = metrics.retries->value();
  const uint64_t exhausted = metrics.quota_exhausted->value();
  EXPECT_EQ(metrics.quota_available->value(), RetryQuota::kInitialCapacity);

  CallRetries call(Mode(RetryMode::kStandard, 3), state, "metrics-test", Fixed(0));
  ASSERT_TRUE(call.AfterAttempt(Response(503)).retry);
  ASSERT_FALSE(call.AfterAttempt(Response(200)).retry);
  EXPECT_EQ(metrics.attempts->value() - attempts, 2u);
  EXPECT_EQ(metrics.retries->value() - retries, 1u);
  // The retry took 5 tokens, the success gave them back.
  EXPECT_EQ(metrics.quota_available->value(), RetryQuota::kInitialCapacity);

  ASSERT_TRUE(state->quota().Acquire(RetryQuota::kInitialCapacity - 1));
  EXPECT_EQ(metrics.quota_available->value(), 1);
  CallRetries starved(Mode(RetryMode::kStandard, 3), state, "metrics-test", Fixed(0));
  const RetryDecision refused = starved.AfterAttempt(Response(503));
  EXPECT_FALSE(refused.retry);
  EXPECT_EQ(refused.reason, "retry quota exhausted");
  EXPECT_EQ(metrics.quota_exhausted->value() - exhausted, 1u);
  EXPECT_EQ(metrics.retries->value() - retries, 1u);
}

}  // namespace
}  // namespace awsd::retries
