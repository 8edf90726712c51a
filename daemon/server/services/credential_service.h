#pragma once

#include "awsd/v1/credentials.grpc.pb.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

class CredentialServiceImpl final : public awsd::v1::CredentialService::CallbackService {
 public:
  explicit CredentialServiceImpl(ServiceContext& context) : context_(context) {}

  grpc::ServerUnaryReactor* GetCredentialInfo(grpc::CallbackServerContext* call,
                                              const awsd::v1::GetCredentialInfoRequest* request,
                                              awsd::v1::CredentialInfo* reply) override;
  grpc::ServerUnaryReactor* ExportCredentials(grpc::CallbackServerContext* call,
                                              const awsd::v1::ExportCredentialsRequest* request,
                                              awsd::v1::ExportedCredentials* reply) override;

 private:
  ServiceContext& context_;
};

}  // namespace awsd::server
