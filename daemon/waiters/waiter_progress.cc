#include "daemon/waiters/waiter_progress.h"

#include "absl/strings/str_cat.h"

namespace awsd::waiters {

WaiterProgress::WaiterProgress(WaiterConfig config, int delay_seconds, int max_attempts)
    : config_(std::move(config)),
      delay_seconds_(delay_seconds > 0 ? delay_seconds : config_.delay_seconds),
      max_attempts_(max_attempts > 0 ? max_attempts : config_.max_attempts) {}

WaiterVerdict WaiterProgress::TakeResponse(const WaiterResponse& response) {
  ++attempts_;
  WaiterVerdict verdict;
  // botocore reports the last acceptor its loop looked at (the matched one,
  // or the list's last when none matched): its `acceptor` variable.
  const Acceptor* looked_at = nullptr;
  const Acceptor* matched = nullptr;
  for (const Acceptor& acceptor : config_.acceptors) {
    looked_at = &acceptor;
    if (Matches(acceptor, response)) {
      matched = &acceptor;
      break;
    }
  }
  if (matched == nullptr && IsWaiterError(response)) {
    const auto& error = response["Error"];
    auto text = [&](const char* key) {
      auto it = error.find(key);
      return it != error.end() && it->is_string() ? it->get<std::string>() : std::string("Unknown");
    };
    verdict.outcome = WaiterVerdict::Outcome::kFailure;
    verdict.reason = absl::StrCat("An error occurred (", text("Code"), "): ", text("Message"));
    return verdict;
  }
  if (matched != nullptr) {
    matched_before_ = true;
    if (matched->state == WaiterState::kSuccess) {
      verdict.outcome = WaiterVerdict::Outcome::kSuccess;
      return verdict;
    }
    if (matched->state == WaiterState::kFailure) {
      verdict.outcome = WaiterVerdict::Outcome::kFailure;
      verdict.reason = absl::StrCat("Waiter encountered a terminal failure state: ", Explanation(*matched));
      return verdict;
    }
  }
  if (attempts_ >= max_attempts_) {
    verdict.outcome = WaiterVerdict::Outcome::kTimeout;
    verdict.reason = "Max attempts exceeded";
    if (matched_before_ && looked_at != nullptr) {
      absl::StrAppend(&verdict.reason, ". Previously accepted state: ", Explanation(*looked_at));
    }
  }
  return verdict;
}

std::string WaiterErrorMessage(const std::string& waiter_name, const std::string& reason) {
  return absl::StrCat("Waiter ", waiter_name, " failed: ", reason);
}

}  // namespace awsd::waiters
