#pragma once

// Clients send blob parameters as base64 text (JSON has no bytes); the
// protocols take a string as the bytes themselves, as botocore takes a str.
// This turns every blob member of an input into its bytes first.

#include "absl/status/status.h"
#include "daemon/model/shape.h"
#include "daemon/protocols/value.h"

namespace awsd::invoke {

// Replaces each string at a blob member of `shape` in `params` (through
// structures, lists and maps) by the bytes it encodes. InvalidArgument naming
// the member when one is not base64. Values of the wrong type are left for
// the parameter validator to report.
absl::Status DecodeBlobParams(const model::Shape& shape, protocols::Value& params);

}  // namespace awsd::invoke
