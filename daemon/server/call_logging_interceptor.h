#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "daemon/server/call_gate.h"
#include "daemon/server/peer_credentials.h"

namespace awsd::server {

// Logs one line per call: caller pid/uid (from the kernel), method, gRPC
// outcome and duration. Messages and metadata are never logged: they can
// carry explicit credentials. With a CallGate it also runs the gate's hooks
// (security_interceptor.h): one interceptor for both.
class CallLoggingInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallLoggingInterceptorFactory(const PeerTable& peers, CallGate* gate = nullptr)
      : peers_(peers), gate_(gate) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

 private:
  const PeerTable& peers_;
  CallGate* gate_;
};

}  // namespace awsd::server
