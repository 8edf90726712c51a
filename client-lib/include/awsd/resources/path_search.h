#pragma once

// The JMESPath that resources-1.json writes in its "path" fields: fields
// (`Buckets`), sub-expressions (`User.UserName`), indexes (`Images[0]`),
// flatten projections (`Reservations[].Instances[].InstanceId`), a
// multi-select list with a pipe (`[Versions,DeleteMarkers]|[]`), `@`, and
// boto3's `$` (the whole response). The full language runs in the daemon;
// the client library needs only this part.

#include <nlohmann/json.hpp>
#include <string_view>

#include "awsd/result.h"

namespace awsd::resources {

// The value `path` selects in `data` (null when nothing matches, as
// jmespath.search returns None). INVALID_ARGUMENT for an expression outside
// the subset above.
Result<nlohmann::json> SearchPath(std::string_view path, const nlohmann::json& data);

}  // namespace awsd::resources
