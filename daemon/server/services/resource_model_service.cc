#include "daemon/server/services/resource_model_service.h"

#include "daemon/server/services/authorization.h"

#include "absl/strings/str_cat.h"
#include "daemon/config/file_locations.h"
#include "daemon/server/services/unary_call.h"
#include "nlohmann/json.hpp"

namespace awsd::server {
namespace {

// Every resource definition of the model: the service resource and each
// named one.
std::vector<const nlohmann::json*> Definitions(const nlohmann::json& resources) {
  std::vector<const nlohmann::json*> out;
  if (auto service = resources.find("service"); service != resources.end()) out.push_back(&*service);
  if (auto named = resources.find("resources"); named != resources.end() && named->is_object()) {
    for (const auto& [name, definition] : named->items()) out.push_back(&definition);
  }
  return out;
}

}  // namespace

absl::StatusOr<awsd::v1::ResourceModel> DescribeResources(const model::ModelRegistry& models,
                                                          const model::ResourceModels& resources,
                                                          const awsd::v1::DescribeResourcesRequest& request) {
  auto service = models.Service(request.service());
  if (!service.ok()) return service.status();
  const model::ServiceModel& service_model = **service;
  auto document = resources.Load(service_model.service_name());
  if (!document.ok()) return document.status();
  const nlohmann::json parsed = nlohmann::json::parse(document->text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return absl::DataLossError(
        absl::StrCat("the resource model of ", service_model.service_name(), " is not valid JSON"));
  }

  awsd::v1::ResourceModel reply;
  reply.set_service(service_model.service_name());
  reply.set_api_version(document->api_version);
  for (const nlohmann::json* definition : Definitions(parsed)) {
    auto shape_name = definition->find("shape");
    if (shape_name == definition->end() || !shape_name->is_string()) continue;
    const model::Shape* shape = service_model.FindShape(shape_name->get<std::string>());
    if (shape == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("the resource model of ", service_model.service_name(),
                                                     " names shape ", shape_name->get<std::string>(),
                                                     ", which its service model does not have"));
    }
    auto& members = (*reply.mutable_shapes())[shape->name];
    if (members.members_size() > 0) continue;
    for (const model::Member& member : shape->members) members.add_members(member.name);
  }
  auto paginators = models.Paginators(service_model.service_name());
  if (paginators.ok() && *paginators && (*paginators)->contains("pagination")) {
    for (const auto& [operation, paginator] : (**paginators)["pagination"].items()) {
      reply.add_paginated_operations(operation);
    }
  }
  reply.set_resources_json(std::move(document->text));
  return reply;
}

const model::ResourceModels& ResourceModelServiceImpl::Resources(const model::ModelRegistry& models) {
  std::call_once(resources_once_, [&] {
    resources_ = std::make_unique<model::ResourceModels>(
        model::ResourceSearchPath(models.files().search_path(), config::ProcessEnvironment()));
  });
  return *resources_;
}

grpc::ServerUnaryReactor* ResourceModelServiceImpl::DescribeResources(grpc::CallbackServerContext* call,
                                                                      const awsd::v1::DescribeResourcesRequest* request,
                                                                      awsd::v1::ResourceModel* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    if (auto allowed = Authorize(context_, call, security::Action::Connect()); !allowed.ok()) return allowed;
    if (context_.invoker == nullptr) {
      return absl::FailedPreconditionError("no service models were found: set --models-dir or AWSD_MODELS_DIR");
    }
    const model::ModelRegistry& models = context_.invoker->models();
    auto described = server::DescribeResources(models, Resources(models), *request);
    if (!described.ok()) return described.status();
    *reply = *std::move(described);
    return absl::OkStatus();
  });
}

}  // namespace awsd::server
