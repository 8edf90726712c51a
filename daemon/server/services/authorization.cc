#include "daemon/server/services/authorization.h"

#include "daemon/invoke/request_preparation.h"
#include "daemon/model/model_registry.h"
#include "daemon/server/call_gate.h"

namespace awsd::server {

security::Action InvokeAction(const ServiceContext& context, const invoke::InvokeCall& call) {
  std::string service = model::ServiceNameFromCliName(call.service);
  std::string operation = call.operation;
  if (context.invoker != nullptr) {
    if (auto model = context.invoker->models().Service(service); model.ok()) {
      if (auto found = invoke::FindOperation(**model, call.operation); found.ok()) operation = (*found)->name;
    }
  }
  return security::Action::Invoke(call.session ? call.session->profile() : "", std::move(service),
                                  std::move(operation));
}

absl::Status Authorize(ServiceContext& context, const grpc::ServerContextBase* call, const security::Action& action) {
  if (context.gate == nullptr) return absl::OkStatus();
  if (call == nullptr) return absl::PermissionDeniedError("the call has no caller to check");
  return context.gate->Authorize(call, action);
}

}  // namespace awsd::server
