#pragma once

#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "awsd/v1/resources.grpc.pb.h"
#include "daemon/model/model_registry.h"
#include "daemon/model/resource_models.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

// A service's resource model with what its resources need from the service
// model (shape members, paginated operations). `request.service` may be the
// AWS CLI's name; NotFound when the service or its resource model is unknown.
absl::StatusOr<awsd::v1::ResourceModel> DescribeResources(const model::ModelRegistry& models,
                                                          const model::ResourceModels& resources,
                                                          const awsd::v1::DescribeResourcesRequest& request);

// DescribeResources for the client library's resources and collections.
// The resource search path is the daemon's model folders plus boto3's data/,
// found on the first call.
class ResourceModelServiceImpl final : public awsd::v1::ResourceModelService::CallbackService {
 public:
  explicit ResourceModelServiceImpl(ServiceContext& context) : context_(context) {}

  grpc::ServerUnaryReactor* DescribeResources(grpc::CallbackServerContext* call,
                                              const awsd::v1::DescribeResourcesRequest* request,
                                              awsd::v1::ResourceModel* reply) override;

 private:
  const model::ResourceModels& Resources(const model::ModelRegistry& models);

  ServiceContext& context_;
  std::once_flag resources_once_;
  std::unique_ptr<model::ResourceModels> resources_;
};

}  // namespace awsd::server
