#pragma once

// botocore's Waiter.wait loop as a state machine: it takes each response
// and says whether the waiter succeeded, failed (with botocore's reason) or
// polls again after its delay. The caller makes the calls and the delays.

#include <string>

#include "daemon/waiters/waiter_config.h"

namespace awsd::waiters {

struct WaiterVerdict {
  enum class Outcome { kSuccess, kFailure, kTimeout, kPollAgain };
  Outcome outcome = Outcome::kPollAgain;
  // WaiterError's reason for kFailure and kTimeout: "Max attempts exceeded",
  // "Waiter encountered a terminal failure state: ...", "An error occurred
  // (Code): Message".
  std::string reason;
};

class WaiterProgress {
 public:
  // `delay_seconds` / `max_attempts` of 0 keep the model's (WaiterConfig).
  WaiterProgress(WaiterConfig config, int delay_seconds, int max_attempts);

  WaiterVerdict TakeResponse(const WaiterResponse& response);

  int attempts() const { return attempts_; }
  int delay_seconds() const { return delay_seconds_; }
  const WaiterConfig& config() const { return config_; }

 private:
  WaiterConfig config_;
  int delay_seconds_;
  int max_attempts_;
  int attempts_ = 0;
  bool matched_before_ = false;
};

// WaiterError's text: "Waiter ObjectExists failed: Max attempts exceeded".
std::string WaiterErrorMessage(const std::string& waiter_name, const std::string& reason);

}  // namespace awsd::waiters
