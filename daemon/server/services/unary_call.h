#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "absl/status/status.h"
#include "daemon/server/call_limiter.h"
#include "daemon/server/status_conversion.h"

namespace awsd::server {

// Runs a unary handler inline on gRPC's callback thread: the handlers served
// this way do no blocking I/O, so a hop to another thread would only add
// latency. `handler` returns an absl::Status; its reply is already filled.
template <typename Handler>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, CallLimiter& limiter, Handler&& handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  CallLimiter::Ticket ticket = limiter.TryAcquire();
  if (!ticket) {
    reactor->Finish(grpc::Status(grpc::RESOURCE_EXHAUSTED, "too many calls in flight (limits.max_concurrent_calls)"));
    return reactor;
  }
  reactor->Finish(ToGrpcStatus(handler()));
  return reactor;
}

}  // namespace awsd::server
