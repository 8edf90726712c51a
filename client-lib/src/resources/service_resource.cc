#include "awsd/resources/service_resource.h"

namespace awsd::resources {

ServiceResource::ServiceResource(Client client, Session session, std::string service)
    : describe_([client, service] { return client.DescribeResources(service); }),
      caller_(std::make_shared<ClientCaller>(client, std::move(session))) {}

ServiceResource::ServiceResource(std::shared_ptr<const Caller> caller,
                                 std::shared_ptr<const ServiceResourceModel> model)
    : caller_(caller),
      context_(std::make_shared<ResourceContext>(ResourceContext{std::move(caller), std::move(model)})) {}

Result<std::shared_ptr<const ServiceResourceModel>> ServiceResource::Model() {
  if (context_) return context_->model;
  if (error_) return *error_;
  auto described = describe_();
  if (!described.ok()) {
    error_ = described.error();
    return *error_;
  }
  auto model = ServiceResourceModel::Parse(*described);
  if (!model.ok()) {
    error_ = model.error();
    return *error_;
  }
  context_ = std::make_shared<ResourceContext>(ResourceContext{caller_, *model});
  return *model;
}

Result<Resource> ServiceResource::Self() {
  auto model = Model();
  if (!model.ok()) return model.error();
  return resources::Resource(context_, &(*model)->service_resource(), {});
}

Result<Resource> ServiceResource::Resource(std::string_view type, std::vector<nlohmann::json> identifiers) {
  auto self = Self();
  if (!self.ok()) return self.error();
  return self->SubResource(type, std::move(identifiers));
}

Result<Collection> ServiceResource::Collection(std::string_view name) {
  auto self = Self();
  if (!self.ok()) return self.error();
  return self->Collection(name);
}

Result<ActionResult> ServiceResource::Action(std::string_view name, std::string_view params_json) {
  auto self = Self();
  if (!self.ok()) return self.error();
  return self->Action(name, params_json);
}

}  // namespace awsd::resources
