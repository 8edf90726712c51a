#pragma once

// The parameter set of one call, put together as botocore's
// EndpointRulesetResolver._get_provider_params does: for each parameter the
// rule set defines, the first value found among
//   1. the operation's staticContextParams,
//   2. its contextParams (members of the call's input),
//   3. its operationContextParams (JMESPath over the input),
//   4. the client context, for parameters the service model lists in
//      clientContextParams,
//   5. the parameter's built-in.
// The model-side extraction (which member, which path) belongs to the call
// path; this takes the values it found, so it does not depend on the model
// classes.

#include <map>
#include <span>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "daemon/endpoints/endpoint.h"
#include "daemon/endpoints/endpoint_builtins.h"

namespace awsd::endpoints {

struct OperationEndpointInputs {
  EndpointParams static_context;     // staticContextParams: name -> value
  EndpointParams context;            // contextParams: name -> the input member's value
  EndpointParams operation_context;  // operationContextParams: name -> the path's result
};

// The client-context values of the parameters `declared` (the service
// model's clientContextParams names): client_context[xform_name(name)], as
// botocore looks them up ("ForcePathStyle" -> "force_path_style").
EndpointParams ClientContextParams(std::span<const std::string> declared,
                                   const std::map<std::string, ParamValue, std::less<>>& client_context);

// InvalidArgument ("Unknown builtin variable name: X") for a parameter whose
// built-in botocore does not know, as botocore refuses it.
absl::StatusOr<EndpointParams> BuildEndpointParams(std::span<const ParameterDefinition> parameters,
                                                   const OperationEndpointInputs& operation,
                                                   const EndpointParams& client_context_params,
                                                   const Builtins& builtins);

// The same without copying: names from `parameters`, values pointing into
// the maps given, which must outlive `out`'s use. Cheaper per call when the
// maps are kept (a client's built-ins, an operation's static parameters).
absl::Status BuildEndpointParamRefs(std::span<const ParameterDefinition> parameters,
                                    const OperationEndpointInputs& operation,
                                    const EndpointParams& client_context_params, const Builtins& builtins,
                                    absl::InlinedVector<ParamRef, 16>* out);

// The client's share of BuildEndpointParamRefs, worked out once per client:
// for each rule-set parameter, its client-context or built-in value. Per
// call only the operation's values are then looked up. The maps passed to
// Create must outlive the binding (a client keeps them).
class ClientParamBinding {
 public:
  static absl::StatusOr<ClientParamBinding> Create(std::span<const ParameterDefinition> parameters,
                                                   const EndpointParams& client_context_params,
                                                   const Builtins& builtins);

  // The parameter set of one call; `operation`'s maps must outlive `out`'s use.
  void Bind(const OperationEndpointInputs& operation, absl::InlinedVector<ParamRef, 16>* out) const;

 private:
  struct Slot {
    std::string_view name;
    const ParamValue* client_value;  // client context or built-in; may be null
  };
  std::vector<Slot> slots_;
};

// Whether botocore 1.43 knows the built-in (regions.EndpointResolverBuiltins).
bool IsKnownBuiltin(std::string_view name);

}  // namespace awsd::endpoints
