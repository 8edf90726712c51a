#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "daemon/server/peer_credentials.h"

namespace awsd::server {

// Logs one line per call: caller pid/uid (from the kernel), method, gRPC
// outcome and duration. Messages and metadata are never logged: they can
// carry explicit credentials.
class CallLoggingInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallLoggingInterceptorFactory(const PeerTable& peers) : peers_(peers) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

 private:
  const PeerTable& peers_;
};

}  // namespace awsd::server
