#include "daemon/server/services/operation_description.h"

#include <algorithm>

#include "awsd/xform_name.h"
#include "daemon/invoke/request_preparation.h"
#include "daemon/model/value_types.h"
#include "daemon/waiters/waiter_config.h"

namespace awsd::server {
namespace {

const model::Member* StreamingPayload(const std::optional<model::Member>& top) {
  if (!top.has_value() || top->shape->payload.empty()) return nullptr;
  const model::Member* payload = top->shape->FindMember(top->shape->payload);
  return payload != nullptr && payload->traits.streaming ? payload : nullptr;
}

void Describe(const model::Operation& operation, const nlohmann::json& paginators, bool with_input,
              awsd::v1::ServiceDescription::Operation* out) {
  out->set_name(operation.name);
  out->set_python_name(XformName(operation.name));
  out->set_streaming_input(operation.has_streaming_input());
  out->set_streaming_output(operation.has_streaming_output());
  if (const model::Member* payload = StreamingPayload(operation.output))
    out->set_streaming_output_member(payload->name);
  if (const model::Member* payload = StreamingPayload(operation.input)) out->set_streaming_input_member(payload->name);
  if (paginators.contains("pagination") && paginators["pagination"].contains(operation.name)) {
    out->set_paginated(true);
    const nlohmann::json& paginator = paginators["pagination"][operation.name];
    if (auto tokens = paginator.find("input_token"); tokens != paginator.end()) {
      if (tokens->is_string()) out->add_paginator_input_tokens(tokens->get<std::string>());
      if (tokens->is_array()) {
        for (const auto& token : *tokens) {
          if (token.is_string()) out->add_paginator_input_tokens(token.get<std::string>());
        }
      }
    }
    if (auto limit = paginator.find("limit_key"); limit != paginator.end() && limit->is_string()) {
      out->set_paginator_limit_key(limit->get<std::string>());
    }
  }
  for (const model::Shape* error : operation.errors) out->add_errors(error->name);
  if (with_input) out->set_value_types_json(model::ValueTypes(operation).dump());
  if (!operation.input.has_value()) return;
  const model::Shape& input = *operation.input->shape;
  for (const model::Member& member : input.members) {
    out->add_input_members(member.name);
    const bool required = std::find(input.required.begin(), input.required.end(), member.name) != input.required.end();
    if (required) out->add_required_members(member.name);
    if (!with_input) continue;
    auto* described = out->add_input();
    described->set_name(member.name);
    described->set_type(model::ShapeTypeName(member.shape->type));
    if (member.shape->type == model::ShapeType::kList && member.shape->member.shape != nullptr) {
      described->set_list_member_type(model::ShapeTypeName(member.shape->member.shape->type));
    }
    described->set_required(required);
    described->set_streaming(member.traits.streaming);
    described->set_document(member.shape->is_document);
  }
}

}  // namespace

absl::StatusOr<awsd::v1::ServiceDescription> DescribeService(const model::ModelRegistry& models,
                                                             const awsd::v1::DescribeServiceRequest& request) {
  auto service = models.Service(request.service());
  if (!service.ok()) return service.status();
  const model::ServiceModel& model = **service;
  auto paginators = models.Paginators(model.service_name());
  static const nlohmann::json kNone = nlohmann::json::object();
  const nlohmann::json& pages = paginators.ok() && *paginators ? **paginators : kNone;

  awsd::v1::ServiceDescription description;
  description.set_service(model.service_name());
  description.set_api_version(model.metadata().api_version);
  description.set_protocol(model::ProtocolName(model.protocol()));
  description.set_endpoint_prefix(model.metadata().endpoint_prefix);
  std::string operation_name = request.operation();
  if (operation_name.empty() && !request.waiter().empty()) {
    auto waiter = waiters::FindServiceWaiter(models, model.service_name(), request.waiter());
    if (!waiter.ok()) return waiter.status();
    operation_name = waiter->operation;
  }
  if (!operation_name.empty()) {
    auto operation = invoke::FindOperation(model, operation_name);
    if (!operation.ok()) return operation.status();
    Describe(**operation, pages, /*with_input=*/true, description.add_operations());
  } else {
    for (const std::string& name : model.operation_names()) {
      auto operation = model.FindOperation(name);
      if (operation.ok()) Describe(**operation, pages, /*with_input=*/false, description.add_operations());
    }
  }
  if (pages.contains("pagination")) {
    for (auto it = pages["pagination"].begin(); it != pages["pagination"].end(); ++it) {
      description.add_paginators(it.key());
    }
  }
  for (const auto& [code, shape] : model.errors_by_code()) {
    auto* error = description.add_error_shapes();
    error->set_name(shape->name);
    error->set_code(code);
  }
  auto waiters = models.Waiters(model.service_name());
  if (waiters.ok() && *waiters && (*waiters)->contains("waiters")) {
    for (auto it = (**waiters)["waiters"].begin(); it != (**waiters)["waiters"].end(); ++it) {
      description.add_waiters(it.key());
    }
  }
  return description;
}

}  // namespace awsd::server
