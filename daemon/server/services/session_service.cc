#include "daemon/server/services/session_service.h"

#include "daemon/server/services/authorization.h"
#include "daemon/server/services/session_resolution.h"
#include "daemon/server/services/unary_call.h"

namespace awsd::server {
namespace {

void Describe(const session::SessionRegistry& sessions, const session::Session& session, awsd::v1::Session* reply) {
  reply->set_session_id(session.id());
  reply->set_profile(session.profile());
  reply->set_region(session.region());
  for (auto& name : sessions.AvailableProfiles()) reply->add_available_profiles(std::move(name));
}

}  // namespace

grpc::ServerUnaryReactor* SessionServiceImpl::CreateSession(grpc::CallbackServerContext* call,
                                                            const awsd::v1::CreateSessionRequest* request,
                                                            awsd::v1::Session* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    if (auto allowed = Authorize(context_, call, security::Action::Connect()); !allowed.ok()) return allowed;
    auto session = context_.sessions.Create(ToSessionOptions(request->spec()));
    if (!session.ok()) return session.status();
    Describe(context_.sessions, **session, reply);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::GetSession(grpc::CallbackServerContext* call,
                                                         const awsd::v1::GetSessionRequest* request,
                                                         awsd::v1::Session* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    if (auto allowed = Authorize(context_, call, security::Action::Connect()); !allowed.ok()) return allowed;
    auto session = context_.sessions.Get(request->session_id());
    if (!session.ok()) return session.status();
    Describe(context_.sessions, **session, reply);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::CloseSession(grpc::CallbackServerContext* call,
                                                           const awsd::v1::CloseSessionRequest* request,
                                                           awsd::v1::CloseSessionResponse*) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    if (auto allowed = Authorize(context_, call, security::Action::Connect()); !allowed.ok()) return allowed;
    context_.sessions.Close(request->session_id());
    return absl::OkStatus();
  });
}

}  // namespace awsd::server
