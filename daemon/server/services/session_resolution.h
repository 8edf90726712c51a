#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "awsd/v1/common.pb.h"
#include "daemon/session/session_registry.h"

namespace awsd::server {

// The daemon-side form of an awsd.v1.SessionSpec.
session::SessionOptions ToSessionOptions(const awsd::v1::SessionSpec& spec);

// The session a call names: by id, inline, or the default when unset.
absl::StatusOr<std::shared_ptr<const session::Session>> ResolveSession(session::SessionRegistry& sessions,
                                                                       const awsd::v1::SessionRef& ref);

}  // namespace awsd::server
