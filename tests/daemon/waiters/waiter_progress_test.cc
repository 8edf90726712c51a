// The messages expected here are what botocore's Waiter.wait raises for the
// same configuration and responses (botocore.waiter.Waiter with a scripted
// operation method).

#include "daemon/waiters/waiter_progress.h"

#include <gtest/gtest.h>

namespace awsd::waiters {
namespace {

using Json = nlohmann::ordered_json;
using Outcome = WaiterVerdict::Outcome;

constexpr const char* kEc2Waiters = R"({"version": 2, "waiters": {"InstanceRunning": {
  "delay": 15, "operation": "DescribeInstances", "maxAttempts": 3, "acceptors": [
    {"expected": "running", "matcher": "pathAll", "state": "success", "argument": "Reservations[].Instances[].State.Name"},
    {"expected": "terminated", "matcher": "pathAny", "state": "failure", "argument": "Reservations[].Instances[].State.Name"},
    {"expected": "pending", "matcher": "pathAny", "state": "retry", "argument": "Reservations[].Instances[].State.Name"}]},
  "ObjectExists": {"delay": 5, "operation": "HeadObject", "maxAttempts": 2, "acceptors": [
    {"expected": 200, "matcher": "status", "state": "success"},
    {"expected": 404, "matcher": "status", "state": "retry"}]},
  "TableGone": {"delay": 1, "operation": "X", "maxAttempts": 2, "acceptors": [
    {"expected": true, "matcher": "path", "state": "failure", "argument": "A"},
    {"expected": "ResourceNotFoundException", "matcher": "error", "state": "retry"}]}}})";

WaiterProgress Progress(const char* name, int delay = 0, int attempts = 0) {
  auto config = FindWaiter(nlohmann::json::parse(kEc2Waiters), name);
  EXPECT_TRUE(config.ok()) << config.status();
  return WaiterProgress(*config, delay, attempts);
}

Json Instance(const char* state) {
  return {{"Reservations", {{{"Instances", {{{"State", {{"Name", state}}}}}}}}},
          {"ResponseMetadata", {{"HTTPStatusCode", 200}}}};
}

Json Error(const char* code, const char* message, int status) {
  return {{"Error", {{"Code", code}, {"Message", message}}}, {"ResponseMetadata", {{"HTTPStatusCode", status}}}};
}

TEST(WaiterProgressTest, SucceedsWhenEveryMemberMatches) {
  WaiterProgress progress = Progress("instance-running");
  EXPECT_EQ(progress.TakeResponse(Instance("pending")).outcome, Outcome::kPollAgain);
  EXPECT_EQ(progress.TakeResponse(Instance("running")).outcome, Outcome::kSuccess);
  EXPECT_EQ(progress.attempts(), 2);
  EXPECT_EQ(progress.delay_seconds(), 15);
}

TEST(WaiterProgressTest, FailureStateGivesBotocoresReason) {
  WaiterProgress progress = Progress("InstanceRunning");
  progress.TakeResponse(Instance("pending"));
  const WaiterVerdict verdict = progress.TakeResponse(Instance("terminated"));
  EXPECT_EQ(verdict.outcome, Outcome::kFailure);
  EXPECT_EQ(WaiterErrorMessage("InstanceRunning", verdict.reason),
            "Waiter InstanceRunning failed: Waiter encountered a terminal failure state: For expression "
            "\"Reservations[].Instances[].State.Name\" we matched expected path: \"terminated\" at least once");
}

TEST(WaiterProgressTest, MaxAttemptsNameTheLastAcceptorLookedAt) {
  WaiterProgress retried = Progress("InstanceRunning");
  for (int i = 0; i < 2; ++i) EXPECT_EQ(retried.TakeResponse(Instance("pending")).outcome, Outcome::kPollAgain);
  WaiterVerdict verdict = retried.TakeResponse(Instance("pending"));
  EXPECT_EQ(verdict.outcome, Outcome::kTimeout);
  EXPECT_EQ(verdict.reason,
            "Max attempts exceeded. Previously accepted state: For expression "
            "\"Reservations[].Instances[].State.Name\" we matched expected path: \"pending\" at least once");

  WaiterProgress unmatched = Progress("InstanceRunning");
  for (int i = 0; i < 2; ++i) unmatched.TakeResponse(Instance("stopped"));
  EXPECT_EQ(unmatched.TakeResponse(Instance("stopped")).reason, "Max attempts exceeded");
}

TEST(WaiterProgressTest, AnUnexpectedErrorFailsAtOnce) {
  WaiterProgress progress = Progress("InstanceRunning");
  const WaiterVerdict verdict = progress.TakeResponse(Error("Boom", "bad", 400));
  EXPECT_EQ(verdict.outcome, Outcome::kFailure);
  EXPECT_EQ(verdict.reason, "An error occurred (Boom): bad");
}

TEST(WaiterProgressTest, StatusAndErrorMatchers) {
  WaiterProgress exists = Progress("ObjectExists");
  EXPECT_EQ(exists.TakeResponse(Error("404", "Not Found", 404)).outcome, Outcome::kPollAgain);
  EXPECT_EQ(exists.TakeResponse(Error("404", "Not Found", 404)).reason,
            "Max attempts exceeded. Previously accepted state: Matched expected HTTP status code: 404");
  WaiterProgress found = Progress("ObjectExists");
  EXPECT_EQ(found.TakeResponse(Json{{"ResponseMetadata", {{"HTTPStatusCode", 200}}}}).outcome, Outcome::kSuccess);

  WaiterProgress gone = Progress("TableGone", 0, 5);
  EXPECT_EQ(gone.TakeResponse(Error("ResourceNotFoundException", "x", 400)).outcome, Outcome::kPollAgain);
  const WaiterVerdict path_true = gone.TakeResponse(Json{{"A", true}});
  EXPECT_EQ(path_true.outcome, Outcome::kFailure);
  EXPECT_EQ(path_true.reason,
            "Waiter encountered a terminal failure state: For expression \"A\" we matched expected path: \"True\"");
}

TEST(WaiterProgressTest, OverridesAndLookups) {
  WaiterProgress progress = Progress("ObjectExists", 1, 1);
  EXPECT_EQ(progress.delay_seconds(), 1);
  EXPECT_EQ(progress.TakeResponse(Error("404", "Not Found", 404)).outcome, Outcome::kTimeout);
  auto missing = FindWaiter(nlohmann::json::parse(kEc2Waiters), "no-such-waiter");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("object-exists"), std::string_view::npos);
}

}  // namespace
}  // namespace awsd::waiters
