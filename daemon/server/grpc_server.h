#pragma once

#include <grpcpp/server.h>

#include <chrono>
#include <memory>

#include "absl/status/statusor.h"
#include "daemon/server/services/credential_service.h"
#include "daemon/server/services/daemon_service.h"
#include "daemon/server/services/session_service.h"
#include "daemon/server/services/signing_service.h"
#include "daemon/server/services/invoke_service.h"
#include "daemon/server/services/invoke_session_service.h"
#include "daemon/server/services/resource_model_service.h"
#include "awsd/v1/invoke.grpc.pb.h"

namespace awsd::server {

struct GrpcServerOptions {
  // Largest message received or sent; larger ones fail RESOURCE_EXHAUSTED.
  int max_message_bytes = 4 * 1024 * 1024;
};

// The gRPC server of every awsd.v1 service, the standard health service and
// server reflection, on the callback API (which keeps up where the
// synchronous API stalls on these 2-core machines). It listens on nothing
// itself: ConnectionAcceptor hands it each accepted connection.
class GrpcServer {
 public:
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(ServiceContext& context, const PeerTable& peers,
                                                           const GrpcServerOptions& options);
  ~GrpcServer();

  grpc::Server& server() { return *server_; }
  // What the health service answers for "" and every awsd.v1 service.
  void SetServing(bool serving);
  // Refuses new calls, waits up to `drain` for those in flight, then cancels
  // what is left.
  void Shutdown(std::chrono::milliseconds drain);

 private:
  explicit GrpcServer(ServiceContext& context);

  DaemonServiceImpl daemon_service_;
  SessionServiceImpl session_service_;
  CredentialServiceImpl credential_service_;
  SigningServiceImpl signing_service_;
  // Every method answers UNIMPLEMENTED until calls through the models land.
  InvokeServiceImpl invoke_service_;
  // Client::Invoke's path: many calls over one stream.
  InvokeSessionServiceImpl invoke_session_service_;
  ResourceModelServiceImpl resource_model_service_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace awsd::server
