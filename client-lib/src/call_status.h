#pragma once

// What every call of the client library shares: its deadline, and how a
// gRPC status becomes the library's Error.

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <string>

#include "awsd/client.h"

namespace awsd::internal {

// The call's own timeout, else the client's, from now.
std::chrono::system_clock::time_point DeadlineOf(std::chrono::milliseconds client_timeout, CallSettings settings);
void SetDeadline(grpc::ClientContext& context, std::chrono::milliseconds client_timeout, CallSettings settings);

// UNAVAILABLE before any answer becomes "daemon not reachable at PATH".
Error ToError(const grpc::Status& status, const std::string& socket_path);

}  // namespace awsd::internal
