#pragma once

// json.loads as Python's json module does it, with its error messages: the
// AWS CLI prints them ("Invalid JSON: Expecting ',' delimiter: line 1 column
// 9 (char 8)").

#include <absl/status/statusor.h>

#include <nlohmann/json.hpp>
#include <string_view>

namespace awsd::cli {

// Parses `text` (UTF-8) as Python's json.loads does: objects keep their key
// order (a repeated key keeps its first place and its last value), NaN,
// Infinity and -Infinity are accepted. On failure, InvalidArgument with
// Python's JSONDecodeError text, positions counted in code points.
absl::StatusOr<nlohmann::ordered_json> ParsePythonJson(std::string_view text);

}  // namespace awsd::cli
