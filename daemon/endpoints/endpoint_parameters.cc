#include "daemon/endpoints/endpoint_parameters.h"

#include <algorithm>

#include "absl/status/status.h"
#include "awsd/xform_name.h"

namespace awsd::endpoints {
namespace {

constexpr std::string_view kBuiltins[] = {
    "AWS::Region",
    "AWS::UseFIPS",
    "AWS::UseDualStack",
    "AWS::STS::UseGlobalEndpoint",
    "AWS::S3::UseGlobalEndpoint",
    "AWS::S3::Accelerate",
    "AWS::S3::ForcePathStyle",
    "AWS::S3::UseArnRegion",
    "AWS::S3::DisableS3ExpressSessionAuth",
    "AWS::S3Control::UseArnRegion",
    "AWS::S3::DisableMultiRegionAccessPoints",
    "SDK::Endpoint",
    "AWS::Auth::AccountId",
    "AWS::Auth::AccountIdEndpointMode",
};

const ParamValue* Find(const EndpointParams& params, std::string_view name) {
  if (params.empty()) return nullptr;
  const auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

}  // namespace

bool IsKnownBuiltin(std::string_view name) {
  return std::find(std::begin(kBuiltins), std::end(kBuiltins), name) != std::end(kBuiltins);
}

EndpointParams ClientContextParams(std::span<const std::string> declared,
                                   const std::map<std::string, ParamValue, std::less<>>& client_context) {
  EndpointParams params;
  for (const std::string& name : declared) {
    const auto it = client_context.find(XformName(name));
    if (it != client_context.end()) params.emplace(name, it->second);
  }
  return params;
}

absl::Status BuildEndpointParamRefs(std::span<const ParameterDefinition> parameters,
                                    const OperationEndpointInputs& operation,
                                    const EndpointParams& client_context_params, const Builtins& builtins,
                                    absl::InlinedVector<ParamRef, 16>* out) {
  out->clear();
  for (const ParameterDefinition& definition : parameters) {
    const ParamValue* value = Find(operation.static_context, definition.name);
    if (value == nullptr) value = Find(operation.context, definition.name);
    if (value == nullptr) value = Find(operation.operation_context, definition.name);
    if (value == nullptr) value = Find(client_context_params, definition.name);
    if (value == nullptr && definition.builtin.has_value()) {
      if (!IsKnownBuiltin(*definition.builtin)) {
        return absl::InvalidArgumentError("Unknown builtin variable name: " + *definition.builtin);
      }
      value = Find(builtins, *definition.builtin);
    }
    if (value != nullptr) out->push_back(ParamRef{definition.name, value});
  }
  return absl::OkStatus();
}

absl::StatusOr<ClientParamBinding> ClientParamBinding::Create(std::span<const ParameterDefinition> parameters,
                                                              const EndpointParams& client_context_params,
                                                              const Builtins& builtins) {
  ClientParamBinding binding;
  for (const ParameterDefinition& definition : parameters) {
    const ParamValue* value = Find(client_context_params, definition.name);
    if (value == nullptr && definition.builtin.has_value()) {
      if (!IsKnownBuiltin(*definition.builtin)) {
        return absl::InvalidArgumentError("Unknown builtin variable name: " + *definition.builtin);
      }
      value = Find(builtins, *definition.builtin);
    }
    binding.slots_.push_back(Slot{definition.name, value});
  }
  return binding;
}

void ClientParamBinding::Bind(const OperationEndpointInputs& operation, absl::InlinedVector<ParamRef, 16>* out) const {
  out->clear();
  const bool has_operation_values =
      !operation.static_context.empty() || !operation.context.empty() || !operation.operation_context.empty();
  for (const Slot& slot : slots_) {
    const ParamValue* value = nullptr;
    if (has_operation_values) {
      value = Find(operation.static_context, slot.name);
      if (value == nullptr) value = Find(operation.context, slot.name);
      if (value == nullptr) value = Find(operation.operation_context, slot.name);
    }
    if (value == nullptr) value = slot.client_value;
    if (value != nullptr) out->push_back(ParamRef{slot.name, value});
  }
}

absl::StatusOr<EndpointParams> BuildEndpointParams(std::span<const ParameterDefinition> parameters,
                                                   const OperationEndpointInputs& operation,
                                                   const EndpointParams& client_context_params,
                                                   const Builtins& builtins) {
  absl::InlinedVector<ParamRef, 16> refs;
  if (absl::Status status = BuildEndpointParamRefs(parameters, operation, client_context_params, builtins, &refs);
      !status.ok()) {
    return status;
  }
  EndpointParams params;
  for (const ParamRef& ref : refs) params.emplace(std::string(ref.name), *ref.value);
  return params;
}

}  // namespace awsd::endpoints
