#pragma once

// Names as boto3 users write them: resources, actions, attributes and
// collections are named in the model's CamelCase and exposed by boto3 in
// snake_case; both forms are accepted.

#include <string>
#include <string_view>

namespace awsd::resources {

// botocore.xform_name: "ListObjectsV2" -> "list_objects_v2",
// "GatewayARNs" -> "gateway_arns"; a name with an underscore is unchanged.
// (The daemon has the same transform; the client library links none of the
// daemon's code.)
std::string XformName(std::string_view name);

// True when `query` names `model_name`: the model's form or boto3's
// snake_case form of it.
bool NameMatches(std::string_view query, std::string_view model_name);

}  // namespace awsd::resources
