#pragma once

// Where an operation's timestamps and blobs sit, for clients that turn the
// daemon's JSON (ISO 8601 strings, base64 strings) back into their language's
// datetimes and bytes without holding the model (the Python client).

#include "daemon/model/service_model.h"
#include "nlohmann/json.hpp"

namespace awsd::model {

// {"input": REF, "output": REF, "shapes": {NAME: NODE}} where REF is
// "@timestamp", "@blob", a shape name in "shapes", or null when nothing below
// it needs converting; NODE is {"members": {MEMBER: REF}}, {"list": REF} or
// {"map": REF} (a map's values). Only references that lead to a timestamp or
// blob are listed, so a recursive shape (DynamoDB's AttributeValue) is named
// once and referred to by name. A streaming payload member is left out: it
// is not in the JSON result. Documents are left alone.
nlohmann::json ValueTypes(const Operation& operation);

}  // namespace awsd::model
