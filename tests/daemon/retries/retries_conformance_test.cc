// Compares awsd's retry decisions with botocore's own classes, driven with
// the same inputs by botocore_reference.py.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "daemon/retries/legacy_retry_rules.h"
#include "daemon/retries/rate_limiter.h"
#include "daemon/retries/retryable_errors.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace awsd::retries {
namespace {

const nlohmann::json& Reference() {
  static const nlohmann::json* const reference = [] {
    const std::string command = "python3 " + test_support::SourceDir() + "/tests/daemon/retries/botocore_reference.py";
    std::string output;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char buffer[65536];
      size_t n;
      while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
      pclose(pipe);
    }
    return new nlohmann::json(nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false));
  }();
  return *reference;
}

absl::Status Transport(const std::string& name) {
  if (name == "Unavailable") return absl::UnavailableError("connect failed");
  if (name == "DeadlineExceeded") return absl::DeadlineExceededError("read timeout");
  if (name == "DataLoss") return absl::DataLossError("connection closed");
  return absl::OkStatus();
}

TEST(RetriesConformanceTest, ClassificationAndLegacyDelays) {
  const nlohmann::json& reference = Reference();
  ASSERT_TRUE(reference.is_object()) << "botocore_reference.py failed";
  const double random = reference["random"];
  ASSERT_GT(reference["classification"].size(), 300u);
  for (const nlohmann::json& c : reference["classification"]) {
    AttemptResult result;
    result.transport = Transport(c["transport"]);
    result.http_status = c["status"];
    result.error_code = c["code"];
    const std::string service = c["service"];
    SCOPED_TRACE(service + " " + std::to_string(result.http_status) + " " + result.error_code + " " +
                 std::string(c["transport"]));
    EXPECT_EQ(ClassifyStandard(result, service) != StandardErrorKind::kNotRetryable, c["standard_retryable"]);
    EXPECT_EQ(IsThrottlingError(result), c["throttling"]);
    const LegacyRetryRules rules = LegacyRetryRules::Builtin(service);
    const nlohmann::json& delays = c["legacy_delays"];
    ASSERT_EQ(delays.size(), static_cast<size_t>(rules.max_attempts() + 1));
    for (int attempt = 1; attempt <= rules.max_attempts() + 1; ++attempt) {
      const bool retry = rules.Match(result) != nullptr && attempt < rules.max_attempts();
      const nlohmann::json& expected = delays[attempt - 1];
      ASSERT_EQ(retry, !expected.is_null()) << "attempt " << attempt;
      if (retry) {
        EXPECT_DOUBLE_EQ(rules.DelaySeconds(attempt, random), expected.get<double>());
      }
    }
  }
}

TEST(RetriesConformanceTest, AdaptiveLimiterFollowsBotocore) {
  const nlohmann::json& reference = Reference();
  ASSERT_TRUE(reference.is_object());
  double now = reference["adaptive"]["start"];
  RateLimiter limiter([&] { return now; });
  int index = 0;
  for (const nlohmann::json& event : reference["adaptive"]["events"]) {
    SCOPED_TRACE("event " + std::to_string(index++));
    now = event["send_at"];
    EXPECT_NEAR(limiter.OnSendingRequest(), event["wait"].get<double>(), 1e-9);
    now = event["response_at"];
    limiter.OnReceivingResponse(event["throttled"]);
    const RateLimiter::Snapshot s = limiter.snapshot();
    EXPECT_EQ(s.enabled, event["enabled"]);
    EXPECT_NEAR(s.max_rate, event["max_rate"].get<double>(), 1e-9);
    EXPECT_NEAR(s.measured_rate, event["measured_rate"].get<double>(), 1e-9);
    EXPECT_NEAR(s.available_capacity, event["capacity"].get<double>(), 1e-9);
    EXPECT_NEAR(s.w_max, event["w_max"].get<double>(), 1e-9);
    EXPECT_NEAR(s.k, event["k"].get<double>(), 1e-9);
    EXPECT_NEAR(s.last_fail, event["last_fail"].get<double>(), 1e-9);
  }
}

TEST(RetriesConformanceTest, StandardBackoff) {
  const nlohmann::json& reference = Reference();
  ASSERT_TRUE(reference.is_object());
  const double random = reference["random"];
  int attempt = 1;
  for (const nlohmann::json& expected : reference["backoff"]) {
    EXPECT_DOUBLE_EQ(random * std::min(std::pow(2.0, attempt - 1), 20.0), expected.get<double>());
    ++attempt;
  }
  EXPECT_EQ(reference["quota_initial"], 500);
}

}  // namespace
}  // namespace awsd::retries
