#include "daemon/server/services/daemon_service.h"

#include <unistd.h>

#include "awsd_version.h"
#include "daemon/server/services/authorization.h"
#include "daemon/server/services/unary_call.h"

namespace awsd::server {

grpc::ServerUnaryReactor* DaemonServiceImpl::GetDaemonInfo(grpc::CallbackServerContext* call,
                                                           const awsd::v1::GetDaemonInfoRequest*,
                                                           awsd::v1::DaemonInfo* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    if (auto allowed = Authorize(context_, call, security::Action::Connect()); !allowed.ok()) return allowed;
    reply->set_version(kAwsdVersion);
    reply->set_api_version("v1");
    reply->set_pid(getpid());
    auto uptime = std::chrono::steady_clock::now() - context_.started_at;
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(uptime);
    reply->mutable_uptime()->set_seconds(seconds.count());
    reply->mutable_uptime()->set_nanos(static_cast<int32_t>((uptime - seconds).count() % 1000000000));
    reply->set_socket_path(context_.socket_path);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DaemonServiceImpl::Ping(grpc::CallbackServerContext* call, const awsd::v1::PingRequest* request,
                                                  awsd::v1::PingResponse* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    if (auto allowed = Authorize(context_, call, security::Action::Connect()); !allowed.ok()) return allowed;
    reply->set_payload(request->payload());
    return absl::OkStatus();
  });
}

}  // namespace awsd::server
