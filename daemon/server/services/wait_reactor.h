#pragma once

// The Wait RPC: a waiter (waiters-2.json) polled in the daemon. Between
// attempts it is a timer on the transport, not a sleeping thread; a client
// that hangs up or whose deadline passes stops it at once, and nothing is
// polled for it afterwards.

#include <grpcpp/support/server_callback.h>

#include "awsd/v1/invoke.pb.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

grpc::ServerUnaryReactor* StartWait(ServiceContext& context, grpc::CallbackServerContext* call,
                                    const awsd::v1::WaitRequest& request, awsd::v1::WaitResponse* reply);

}  // namespace awsd::server
