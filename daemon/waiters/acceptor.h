#pragma once

// A waiter's acceptor: a matcher on a response and the state it leads to
// (botocore waiter.py AcceptorConfig and its matcher functions).

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/jmespath/jmespath.h"
#include "nlohmann/json.hpp"

namespace awsd::waiters {

enum class WaiterState { kSuccess, kFailure, kRetry };

// What a waiter sees of one call: the parsed result as boto3 returns it, or
// the error response ({"Error": {"Code", "Message"}, "ResponseMetadata"});
// ResponseMetadata.HTTPStatusCode in either.
using WaiterResponse = nlohmann::ordered_json;

struct Acceptor {
  WaiterState state = WaiterState::kRetry;
  std::string matcher;  // path, pathAll, pathAny, status, error
  std::string argument;
  std::optional<jmespath::Expression> expression;  // path matchers
  nlohmann::ordered_json expected;
};

// InvalidArgument for an unknown state or matcher, or a bad expression.
absl::StatusOr<Acceptor> ParseAcceptor(const nlohmann::json& entry);

// Whether `response` meets the acceptor, with Python's == between the
// found value and the expected one. A path matcher never meets an error
// response.
bool Matches(const Acceptor& acceptor, const WaiterResponse& response);

// botocore's AcceptorConfig.explanation: 'For expression "X" we matched
// expected path: "Y"', 'Matched expected HTTP status code: 404', ...
std::string Explanation(const Acceptor& acceptor);

// An error response with a Code: botocore's is_valid_waiter_error.
bool IsWaiterError(const WaiterResponse& response);

}  // namespace awsd::waiters
