#pragma once

#include "awsd/v1/invoke.grpc.pb.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

// Invoke, InvokeStream, Paginate, Wait, Presign and DescribeService. Calls
// complete asynchronously: the gRPC thread only prepares the request; the
// transport's thread finishes it.
class InvokeServiceImpl final : public awsd::v1::InvokeService::CallbackService {
 public:
  explicit InvokeServiceImpl(ServiceContext& context) : context_(context) {}

  grpc::ServerUnaryReactor* Invoke(grpc::CallbackServerContext* call, const awsd::v1::InvokeRequest* request,
                                   awsd::v1::InvokeResponse* reply) override;
  grpc::ServerBidiReactor<awsd::v1::InvokeStreamRequest, awsd::v1::InvokeStreamResponse>* InvokeStream(
      grpc::CallbackServerContext* call) override;
  grpc::ServerWriteReactor<awsd::v1::Page>* Paginate(grpc::CallbackServerContext* call,
                                                      const awsd::v1::PaginateRequest* request) override;
  grpc::ServerUnaryReactor* Wait(grpc::CallbackServerContext* call, const awsd::v1::WaitRequest* request,
                                 awsd::v1::WaitResponse* reply) override;
  grpc::ServerUnaryReactor* Presign(grpc::CallbackServerContext* call, const awsd::v1::PresignRequest* request,
                                    awsd::v1::PresignResponse* reply) override;
  grpc::ServerUnaryReactor* DescribeService(grpc::CallbackServerContext* call,
                                            const awsd::v1::DescribeServiceRequest* request,
                                            awsd::v1::ServiceDescription* reply) override;

 private:
  ServiceContext& context_;
};

}  // namespace awsd::server
