#pragma once

// botocore's ParamValidator: every problem in the parameters found in one
// pass and reported together, with botocore's wording, before anything is
// serialised.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "daemon/model/shape.h"
#include "daemon/protocols/value.h"

namespace awsd::protocols {

// One line per problem ("Missing required parameter in Key: \"S\"",
// "Unknown parameter in input: \"Bukket\", must be one of: Bucket, ...",
// "Invalid type for parameter Key.id.S, value: 1, type: <class 'int'>,
// valid types: <class 'str'>", "Invalid length for parameter Key, value: 0,
// valid min length: 1", "Invalid value for parameter MaxKeys, ..."), in the
// order botocore finds them. Empty when the parameters are valid.
std::vector<std::string> ValidationProblems(const Value& params, const model::Member& input);

// OK, or InvalidArgument "Parameter validation failed:\n" + the problems,
// botocore's ParamValidationError message.
absl::Status ValidateParameters(const Value& params, const model::Member& input);

}  // namespace awsd::protocols
