#pragma once

#include "awsd/v1/session.grpc.pb.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

class SessionServiceImpl final : public awsd::v1::SessionService::CallbackService {
 public:
  explicit SessionServiceImpl(ServiceContext& context) : context_(context) {}

  grpc::ServerUnaryReactor* CreateSession(grpc::CallbackServerContext* call, const awsd::v1::CreateSessionRequest* request,
                                          awsd::v1::Session* reply) override;
  grpc::ServerUnaryReactor* GetSession(grpc::CallbackServerContext* call, const awsd::v1::GetSessionRequest* request,
                                       awsd::v1::Session* reply) override;
  grpc::ServerUnaryReactor* CloseSession(grpc::CallbackServerContext* call, const awsd::v1::CloseSessionRequest* request,
                                         awsd::v1::CloseSessionResponse* reply) override;

 private:
  ServiceContext& context_;
};

}  // namespace awsd::server
