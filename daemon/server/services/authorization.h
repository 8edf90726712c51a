#pragma once

// The policy check every handler makes before acting: which action a
// request is (with the model's own service and operation names, so that
// "delete-object" cannot slip past a deny of "s3:DeleteObject"), and
// whether the calling process may do it.

#include <grpcpp/server_context.h>

#include "absl/status/status.h"
#include "daemon/invoke/invoker.h"
#include "daemon/security/policy.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

// The action an operation call is: the session's profile, and the service's
// data-folder name and the operation's model name where the models know
// them (else as the request spelled them: such a call fails later anyway).
security::Action InvokeAction(const ServiceContext& context, const invoke::InvokeCall& call);

// OK, or the refusal to end the call with. With no gate (handlers run
// without a daemon, as in benchmarks) everything is allowed; with a gate, a
// call it has no record of is refused.
absl::Status Authorize(ServiceContext& context, const grpc::ServerContextBase* call, const security::Action& action);

}  // namespace awsd::server
