#pragma once

// DescribeService's answer: a service's operations, paginators and waiters
// for clients that build methods or command lines (awsctl) without a model.

#include "absl/status/statusor.h"
#include "awsd/v1/invoke.pb.h"
#include "daemon/model/model_registry.h"

namespace awsd::server {

// All operations, or with `request.operation()` only that one, its input
// members described. NotFound for an unknown service or operation.
absl::StatusOr<awsd::v1::ServiceDescription> DescribeService(const model::ModelRegistry& models,
                                                             const awsd::v1::DescribeServiceRequest& request);

}  // namespace awsd::server
