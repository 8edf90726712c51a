#pragma once

// Names as boto3 users write them: resources, actions, attributes and
// collections are named in the model's CamelCase and exposed by boto3 in
// snake_case (awsd::XformName); both forms are accepted.

#include <string>
#include <string_view>

#include "awsd/xform_name.h"

namespace awsd::resources {

// True when `query` names `model_name`: the model's form or boto3's
// snake_case form of it.
bool NameMatches(std::string_view query, std::string_view model_name);

}  // namespace awsd::resources
