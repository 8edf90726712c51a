#pragma once

#include "awsd/v1/daemon.grpc.pb.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

class DaemonServiceImpl final : public awsd::v1::DaemonService::CallbackService {
 public:
  explicit DaemonServiceImpl(ServiceContext& context) : context_(context) {}

  grpc::ServerUnaryReactor* GetDaemonInfo(grpc::CallbackServerContext* call, const awsd::v1::GetDaemonInfoRequest* request,
                                          awsd::v1::DaemonInfo* reply) override;
  grpc::ServerUnaryReactor* Ping(grpc::CallbackServerContext* call, const awsd::v1::PingRequest* request,
                                 awsd::v1::PingResponse* reply) override;

 private:
  ServiceContext& context_;
};

}  // namespace awsd::server
