#include "daemon/server/security_interceptor.h"

#include <grpcpp/server_context.h>

#include <string_view>

#include "awsd/v1/invoke.pb.h"
#include "awsd/v1/invoke_session.pb.h"

namespace awsd::server {
namespace {

// The request id in a reply message of `method`, if it carries one. The
// message is the handler's own object (the callback API serialises later).
std::string RequestIdOf(std::string_view method, const void* message) {
  if (message == nullptr) return "";
  if (method == "/awsd.v1.InvokeService/Invoke") {
    return static_cast<const awsd::v1::InvokeResponse*>(message)->metadata().request_id();
  }
  if (method == "/awsd.v1.InvokeService/Paginate") {
    return static_cast<const awsd::v1::Page*>(message)->metadata().request_id();
  }
  if (method == "/awsd.v1.InvokeService/Wait") {
    return static_cast<const awsd::v1::WaitResponse*>(message)->last_response().metadata().request_id();
  }
  if (method == "/awsd.v1.InvokeService/InvokeStream") {
    return static_cast<const awsd::v1::InvokeStreamResponse*>(message)->head().metadata().request_id();
  }
  if (method == "/awsd.v1.InvokeSessionService/InvokeSession") {
    return static_cast<const awsd::v1::InvokeSessionResponse*>(message)->reply().metadata().request_id();
  }
  return "";
}

}  // namespace

CallSecurityHooks::~CallSecurityHooks() {
  if (begun_ && !ended_) gate_.End(info_->server_context(), grpc::StatusCode::CANCELLED);
}

void CallSecurityHooks::Intercept(grpc::experimental::InterceptorBatchMethods* methods) {
  using grpc::experimental::InterceptionHookPoints;
  grpc::ServerContextBase* context = info_->server_context();
  if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA) && !begun_) {
    begun_ = true;
    gate_.Begin(context, info_->method());
  }
  if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
    gate_.NoteRequestId(context, RequestIdOf(info_->method(), methods->GetSendMessage()));
  }
  if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) && begun_ && !ended_) {
    ended_ = true;
    gate_.End(context, methods->GetSendStatus().error_code());
  }
}

}  // namespace awsd::server
