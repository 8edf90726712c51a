#include "daemon/server/services/credential_service.h"

#include "daemon/credentials/credentials.h"
#include "daemon/server/services/authorization.h"
#include "daemon/server/services/session_resolution.h"
#include "daemon/server/services/time_conversion.h"
#include "daemon/server/services/unary_call.h"
#include "spdlog/spdlog.h"

namespace awsd::server {

grpc::ServerUnaryReactor* CredentialServiceImpl::GetCredentialInfo(grpc::CallbackServerContext* call,
                                                                   const awsd::v1::GetCredentialInfoRequest* request,
                                                                   awsd::v1::CredentialInfo* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    auto session = ResolveSession(context_.sessions, request->session());
    if (!session.ok()) return session.status();
    if (auto allowed = Authorize(context_, call, security::Action::CredentialInfo((*session)->profile()));
        !allowed.ok()) {
      return allowed;
    }
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
                                                                   const awsd::v1::ExportCredentialsRequest* request,
                                                                   awsd::v1::ExportedCredentials* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    auto session = ResolveSession(context_.sessions, request->session());
    if (!session.ok()) return session.status();
    // The policy's `export`: with the default policy, nobody unless
    // compat.credential_process.allow_export lets the daemon's own uid.
    if (auto allowed = Authorize(context_, call, security::Action::Export((*session)->profile())); !allowed.ok()) {
      return allowed;
    }
    const auto peer = context_.peers.Lookup(call->peer());
    auto credentials = (*session)->Credentials();
    if (!credentials.ok()) return credentials.status();
    reply->set_version(1);
    reply->set_access_key_id((*credentials)->access_key_id);
    reply->set_secret_access_key(std::string((*credentials)->secret_access_key.view()));
    reply->set_session_token(std::string((*credentials)->session_token.view()));
    if (auto expiration = (*credentials)->expiration) *reply->mutable_expiration() = ToTimestamp(*expiration);
    spdlog::info("exported credentials of profile '{}' ({}) to uid {}", (*session)->profile(),
                 credentials::MaskAccessKeyId((*credentials)->access_key_id),
                 peer ? std::to_string(peer->uid) : "unknown");
    return absl::OkStatus();
  });
}

}  // namespace awsd::server
