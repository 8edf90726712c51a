#pragma once

// Results as clients receive them: botocore's dict encoded in JSON, with
// blobs as base64 text (JSON has no bytes) and ResponseMetadata completed.

#include <string>

#include "daemon/protocols/value.h"

namespace awsd::protocols {

// `result` as compact JSON, with ResponseMetadata.RetryAttempts set (botocore
// adds it after retrying), blobs base64 and invalid UTF-8 replaced.
std::string ClientResultJson(Value result, int retry_attempts);

}  // namespace awsd::protocols
