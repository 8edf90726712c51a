#include "daemon/server/services/invoke_service.h"

#include <atomic>

#include "daemon/invoke/presign.h"
#include "daemon/server/services/authorization.h"
#include "daemon/server/services/call_in_flight.h"
#include "daemon/server/services/invoke_replies.h"
#include "daemon/server/services/invoke_stream_reactor.h"
#include "daemon/server/services/operation_description.h"
#include "daemon/server/services/paginate_reactor.h"
#include "daemon/server/services/wait_reactor.h"
#include "daemon/server/services/session_resolution.h"
#include "daemon/server/services/unary_call.h"

namespace awsd::server {
namespace {

// One unary Invoke: finished from the call's completion, and cancelled when
// the client goes away, so that a caller that hung up is not retried for.
class InvokeReactor : public grpc::ServerUnaryReactor {
 public:
  explicit InvokeReactor(CallLimiter::Ticket ticket) : ticket_(std::move(ticket)) {}

  void Run(invoke::Invoker& invoker, invoke::InvokeCall call, awsd::v1::InvokeResponse* reply) {
    in_flight_.Hold(invoker.Invoke(std::move(call), [this, reply](invoke::CallOutcome outcome) {
      in_flight_.Drop();
      Finish(ToGrpcStatus(ToInvokeResponse(std::move(outcome), reply)));
    }));
    Release();
  }

  void OnCancel() override { in_flight_.Cancel(); }

  void OnDone() override { Release(); }

 private:
  // A call refused at once finishes inside Run, and gRPC may then be done
  // with the reactor before Run returns: whichever of the two ends last
  // deletes it.
  void Release() {
    if (references_.fetch_sub(1) == 1) delete this;
  }

  std::atomic<int> references_{2};
  CallLimiter::Ticket ticket_;
  CallInFlight in_flight_;
};

}  // namespace

grpc::ServerUnaryReactor* InvokeServiceImpl::Invoke(grpc::CallbackServerContext* call,
                                                    const awsd::v1::InvokeRequest* request,
                                                    awsd::v1::InvokeResponse* reply) {
  CallLimiter::Ticket ticket = context_.limiter.TryAcquire();
  if (!ticket) {
    grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
    reactor->Finish(grpc::Status(grpc::RESOURCE_EXHAUSTED, "too many calls in flight (limits.max_concurrent_calls)"));
    return reactor;
  }
  if (context_.invoker == nullptr) {
    grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
    reactor->Finish(grpc::Status(grpc::FAILED_PRECONDITION, kNoModelsMessage));
    return reactor;
  }
  auto invoke_call = ToInvokeCall(context_, call, *request);
  if (!invoke_call.ok()) {
    grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
    reactor->Finish(ToGrpcStatus(invoke_call.status()));
    return reactor;
  }
  auto* reactor = new InvokeReactor(std::move(ticket));
  reactor->Run(*context_.invoker, *std::move(invoke_call), reply);
  return reactor;
}

grpc::ServerBidiReactor<awsd::v1::InvokeStreamRequest, awsd::v1::InvokeStreamResponse>* InvokeServiceImpl::InvokeStream(
    grpc::CallbackServerContext* call) {
  return MakeInvokeStreamReactor(context_, call);
}

grpc::ServerWriteReactor<awsd::v1::Page>* InvokeServiceImpl::Paginate(grpc::CallbackServerContext* call,
                                                                       const awsd::v1::PaginateRequest* request) {
  return StartPaginate(context_, call, *request);
}

grpc::ServerUnaryReactor* InvokeServiceImpl::Wait(grpc::CallbackServerContext* call,
                                                  const awsd::v1::WaitRequest* request,
                                                  awsd::v1::WaitResponse* reply) {
  return StartWait(context_, call, *request, reply);
}

grpc::ServerUnaryReactor* InvokeServiceImpl::Presign(grpc::CallbackServerContext* call,
                                                     const awsd::v1::PresignRequest* request,
                                                     awsd::v1::PresignResponse* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    if (context_.invoker == nullptr) return absl::FailedPreconditionError(kNoModelsMessage);
    auto invoke_call = ToInvokeCall(context_, call, request->session(), request->service(), request->operation(),
                                    request->params_json(), request->options());
    if (!invoke_call.ok()) return invoke_call.status();
    const int64_t expires = request->expires_in_seconds() == 0 ? 3600 : request->expires_in_seconds();
    auto presigned = invoke::PresignOperation(*context_.invoker, *invoke_call, expires, request->http_method());
    if (!presigned.ok()) return presigned.status();
    reply->set_url(std::move(presigned->url));
    for (auto& warning : presigned->warnings) {
      auto* w = reply->add_warnings();
      w->set_code(std::move(warning.code));
      w->set_message(std::move(warning.message));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* InvokeServiceImpl::DescribeService(grpc::CallbackServerContext* call,
                                                             const awsd::v1::DescribeServiceRequest* request,
                                                             awsd::v1::ServiceDescription* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    if (auto allowed = Authorize(context_, call, security::Action::Connect()); !allowed.ok()) return allowed;
    if (context_.invoker == nullptr) return absl::FailedPreconditionError(kNoModelsMessage);
    auto description = server::DescribeService(context_.invoker->models(), *request);
    if (!description.ok()) return description.status();
    *reply = *std::move(description);
    return absl::OkStatus();
  });
}

}  // namespace awsd::server
