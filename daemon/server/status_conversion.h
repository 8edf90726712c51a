#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace awsd::server {

// The one place an absl::Status becomes a grpc::Status: the two share their
// code numbering, and the message (which never carries a secret) goes along.
inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

}  // namespace awsd::server
