#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "daemon/server/call_gate.h"

namespace awsd::server {

// The CallGate's side of each RPC, run by the call interceptor
// (call_logging_interceptor): opens the RPC's record when it arrives (caller
// identity, per-caller concurrency slot), notes AWS's request id in the
// replies that carry one, and closes the record (the audit line) when its
// status is sent. One interceptor does both jobs: a second server
// interceptor made gRPC 1.51's shutdown wait out its whole drain timeout
// now and then after a streamed reply.
class CallSecurityHooks {
 public:
  CallSecurityHooks(CallGate& gate, grpc::experimental::ServerRpcInfo* info) : gate_(gate), info_(info) {}
  // A call torn down without a status still closes its record.
  ~CallSecurityHooks();
  CallSecurityHooks(const CallSecurityHooks&) = delete;
  CallSecurityHooks& operator=(const CallSecurityHooks&) = delete;

  // Before the interceptor's Proceed().
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods);

 private:
  CallGate& gate_;
  grpc::experimental::ServerRpcInfo* info_;
  bool begun_ = false;
  bool ended_ = false;
};

}  // namespace awsd::server
