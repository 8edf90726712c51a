#pragma once

#include "nlohmann/json.hpp"

namespace awsd::protocols {

// Parameters and results, in the order the caller gave them and the wire
// returned them, as Python dicts keep it: botocore serialises a map in its
// parameter order, and the AWS CLI prints results in model order.
using Value = nlohmann::ordered_json;

}  // namespace awsd::protocols
