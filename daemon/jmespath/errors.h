#pragma once

// Error statuses carry the JMESPath compliance-suite error class as a payload
// so callers (waiters, tests) can tell an arity error from a type error
// without parsing messages; the messages themselves follow jmespath.py's.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace awsd::jmespath {

// The suite's error classes: "syntax", "invalid-type", "invalid-arity",
// "unknown-function", "invalid-value"; plus "limit" for the depth bounds.
absl::Status MakeError(absl::string_view error_class, absl::string_view message);

// The class MakeError attached, or nullopt for any other status.
std::optional<std::string> ErrorClass(const absl::Status& status);

}  // namespace awsd::jmespath
