#pragma once

// botocore.utils' set_value_from_jmespath and merge_dicts: setting a value
// at a dotted path, and merging one result into another.

#include <string_view>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"

namespace awsd::pagination {

// Sets `value` at a dotted path ("A.B.C"), making objects on the way.
// InvalidArgument for an empty path, a leading or trailing dot, or "..".
absl::Status SetAtPath(nlohmann::ordered_json& target, std::string_view dotted_path, nlohmann::ordered_json value);

// The value at a dotted path, or null when a step is missing or not an
// object: what searching the path finds, without a copy.
nlohmann::ordered_json* FindAtPath(nlohmann::ordered_json& target, std::string_view dotted_path);

// merge_dicts(target, source): objects merge key by key; anything else in
// `source` replaces what `target` has.
void MergeObjects(nlohmann::ordered_json& target, const nlohmann::ordered_json& source);

}  // namespace awsd::pagination
