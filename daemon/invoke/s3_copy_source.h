#pragma once

// botocore's handle_copy_source_param: S3's CopySource (CopyObject,
// UploadPartCopy) given as "bucket/key[?versionId=V]" is percent-encoded
// but for its version suffix; given as {"Bucket", "Key", "VersionId"} (what
// boto3 callers pass), it is built into that string first.

#include <string_view>

#include "absl/status/status.h"
#include "daemon/protocols/value.h"

namespace awsd::invoke {

// Rewrites params["CopySource"] in place for those operations; an object
// without Bucket or Key is botocore's ParamValidationError.
absl::Status QuoteCopySource(std::string_view operation, protocols::Value& params);

}  // namespace awsd::invoke
