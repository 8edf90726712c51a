#include "daemon/server/services/credential_service.h"

#include "daemon/server/services/session_resolution.h"
#include "daemon/server/services/unary_call.h"
#include "daemon/server/services/time_conversion.h"

namespace awsd::server {

grpc::ServerUnaryReactor* CredentialServiceImpl::GetCredentialInfo(grpc::CallbackServerContext* call,
                                                                   const awsd::v1::GetCredentialInfoRequest* request,
                                                                   awsd::v1::CredentialInfo* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    auto session = ResolveSession(context_.sessions, request->session());
    if (!session.ok()) return session.status();
    auto credentials = (*session)->Credentials();
    if (!credentials.ok()) return credentials.status();
    reply->set_source((*credentials)->source);
    reply->set_access_key_id((*credentials)->access_key_id);
    reply->set_profile((*session)->profile());
    if (auto expiration = (*credentials)->expiration) {
      *reply->mutable_expiration() = ToTimestamp(*expiration);
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CredentialServiceImpl::ExportCredentials(grpc::CallbackServerContext* call,
                                                                   const awsd::v1::ExportCredentialsRequest*,
                                                                   awsd::v1::ExportedCredentials*) {
  // Until the daemon has an export policy, the default of that policy holds:
  // nobody may export.
  return RunUnary(call, context_.limiter, [] {
    return absl::PermissionDeniedError("rule 'default': no policy rule allows this caller to export credentials");
  });
}

}  // namespace awsd::server
