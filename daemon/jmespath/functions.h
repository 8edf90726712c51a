#pragma once

// The built-in functions, with jmespath.py's signatures, type checks and
// error messages.

#include <vector>

#include "absl/strings/string_view.h"
#include "daemon/jmespath/evaluator.h"
#include "daemon/jmespath/value.h"

namespace awsd::jmespath {

// The function's result; on an unknown name, wrong arity or wrong argument
// type, records the error on `evaluator` and returns null.
Value CallFunction(absl::string_view name, const std::vector<Value>& arguments, Evaluator& evaluator);

}  // namespace awsd::jmespath
