#pragma once

#include "awsd/v1/signing.grpc.pb.h"
#include "daemon/server/services/arena_allocator.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

// Sign, SignBatch, SignStream and SignChunk over daemon/signing. The secret
// stays here: replies carry the signed request and the debugging steps only.
class SigningServiceImpl final : public awsd::v1::SigningService::CallbackService {
 public:
  explicit SigningServiceImpl(ServiceContext& context);

  grpc::ServerUnaryReactor* Sign(grpc::CallbackServerContext* call, const awsd::v1::SignRequest* request,
                                 awsd::v1::SignResponse* reply) override;
  grpc::ServerUnaryReactor* SignBatch(grpc::CallbackServerContext* call, const awsd::v1::SignBatchRequest* request,
                                      awsd::v1::SignBatchResponse* reply) override;
  grpc::ServerBidiReactor<awsd::v1::SignRequest, awsd::v1::SignResult>* SignStream(
      grpc::CallbackServerContext* call) override;
  grpc::ServerUnaryReactor* SignChunk(grpc::CallbackServerContext* call, const awsd::v1::SignChunkRequest* request,
                                      awsd::v1::SignChunkResponse* reply) override;

  // One request, as every form above signs it, once the policy lets
  // `caller` (the RPC; null only without a CallGate) sign with its session.
  absl::Status SignOne(const awsd::v1::SignRequest& request, awsd::v1::SignResponse* reply,
                       const grpc::ServerContextBase* caller = nullptr);
  // The same with the session's credentials already resolved.
  absl::Status SignWith(const awsd::v1::SignRequest& request, const credentials::Credentials& credentials,
                        awsd::v1::SignResponse* reply);

 private:
  ServiceContext& context_;
  ArenaMessageAllocator<awsd::v1::SignBatchRequest, awsd::v1::SignBatchResponse> batch_allocator_;
};

}  // namespace awsd::server
