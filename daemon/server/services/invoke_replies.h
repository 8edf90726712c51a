#pragma once

// A finished call as the Invoke RPCs answer it: AWS's answer (a result or a
// ServiceError) in the reply, anything else as the RPC's status.

#include <grpcpp/server_context.h>

#include "absl/status/status.h"
#include "awsd/v1/invoke.pb.h"
#include "daemon/invoke/invoker.h"
#include "daemon/invoke/operation_call.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

// Fills `reply`; returns the status the RPC ends with (OK when AWS answered,
// even with an error).
absl::Status ToInvokeResponse(invoke::CallOutcome outcome, awsd::v1::InvokeResponse* reply);

// The call a request describes: its session resolved, its options applied,
// and the policy's consent for `caller` (the RPC) to make it.
absl::StatusOr<invoke::InvokeCall> ToInvokeCall(ServiceContext& context, const grpc::ServerContextBase* caller,
                                                const awsd::v1::InvokeRequest& request);
absl::StatusOr<invoke::InvokeCall> ToInvokeCall(ServiceContext& context, const grpc::ServerContextBase* caller,
                                                const awsd::v1::SessionRef& ref, const std::string& service,
                                                const std::string& operation, const std::string& params_json,
                                                const awsd::v1::CallOptions& options);

// The settings a request's CallOptions and timestamp format ask for.
invoke::CallSettings ToCallSettings(awsd::v1::TimestampFormat format, const awsd::v1::CallOptions& options);
invoke::CallSettings ToCallSettings(const awsd::v1::InvokeRequest& request);

// Why the call path is off.
inline constexpr const char* kNoModelsMessage =
    "no service models: point --models-dir, [models] dirs or AWSD_MODELS_DIR at botocore's data folder";

}  // namespace awsd::server
