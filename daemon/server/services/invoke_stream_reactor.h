#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "awsd/v1/invoke.grpc.pb.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

// InvokeStream: an operation whose payload comes from the client's stream
// (S3 PutObject, UploadPart) and/or whose result body goes back as a stream
// (S3 GetObject), never held whole. Back-pressure both ways: the daemon
// stops reading the client while the upload buffer is full, and pauses the
// download while the client is slow to take the chunks already sent.
grpc::ServerBidiReactor<awsd::v1::InvokeStreamRequest, awsd::v1::InvokeStreamResponse>* MakeInvokeStreamReactor(
    ServiceContext& context, grpc::CallbackServerContext* call);

}  // namespace awsd::server
