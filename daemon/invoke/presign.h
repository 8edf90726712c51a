#pragma once

// boto3's generate_presigned_url: the operation's request, signed in its
// query string, for someone else to send.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/invoke/invoker.h"
#include "daemon/signing/signer.h"

namespace awsd::invoke {

struct PresignedUrl {
  std::string url;
  std::vector<signing::Warning> warnings;
};

// `expires_in_seconds`: 1 to 604800 (InvalidArgument otherwise).
// `http_method`: the operation's own when empty.
absl::StatusOr<PresignedUrl> PresignOperation(Invoker& invoker, const InvokeCall& call, int64_t expires_in_seconds,
                                              const std::string& http_method);

}  // namespace awsd::invoke
