#include "daemon/server/services/wait_reactor.h"

#include <grpcpp/server_context.h>

#include <mutex>

#include "daemon/server/services/call_in_flight.h"
#include "daemon/server/services/invoke_replies.h"
#include "daemon/server/status_conversion.h"
#include "daemon/waiters/waiter_progress.h"

namespace awsd::server {
namespace {

using Json = nlohmann::ordered_json;

// What botocore's waiter matches: the result or the error response, with
// the HTTP status in ResponseMetadata.
Json WaiterResponseOf(const invoke::CallOutcome& outcome) {
  Json response = Json::parse(outcome.reply.json, nullptr, false);
  if (!response.is_object()) response = Json::object();
  response["ResponseMetadata"]["HTTPStatusCode"] = outcome.http_status;
  return response;
}

class WaitReactor : public grpc::ServerUnaryReactor {
 public:
  WaitReactor(invoke::Invoker& invoker, CallLimiter::Ticket ticket, invoke::InvokeCall call,
              waiters::WaiterProgress progress, awsd::v1::WaitResponse* reply)
      : invoker_(invoker),
        ticket_(std::move(ticket)),
        call_(std::move(call)),
        progress_(std::move(progress)),
        reply_(reply) {}

  void Poll() {
    {
      std::lock_guard lock(mutex_);
      if (cancelled_ || finished_) return;
      state_ = State::kCalling;
      ++references_;
    }
    in_flight_.Hold(invoker_.Invoke(call_, [this](invoke::CallOutcome outcome) { OnOutcome(std::move(outcome)); }));
    Release();
  }

  void OnCancel() override {
    bool sleeping;
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      sleeping = state_ == State::kSleeping;
    }
    // A call in flight ends the RPC from its completion; a waiter between
    // attempts ends now, and its timer finds it ended.
    in_flight_.Cancel();
    if (sleeping) End(grpc::Status(grpc::CANCELLED, "the client cancelled the waiter"));
  }

  void OnDone() override { Release(); }

 private:
  enum class State { kCalling, kSleeping };

  void OnOutcome(invoke::CallOutcome outcome) {
    in_flight_.Drop();
    if (!outcome.status.ok()) {
      // Not an answer from AWS (botocore raises it out of wait()).
      return End(ToGrpcStatus(outcome.status));
    }
    const waiters::WaiterVerdict verdict = progress_.TakeResponse(WaiterResponseOf(outcome));
    reply_->set_attempts(progress_.attempts());
    reply_->clear_last_response();
    if (auto status = ToInvokeResponse(std::move(outcome), reply_->mutable_last_response()); !status.ok()) {
      return End(ToGrpcStatus(status));
    }
    using Outcome = waiters::WaiterVerdict::Outcome;
    if (verdict.outcome != Outcome::kPollAgain) {
      reply_->set_state(verdict.outcome == Outcome::kSuccess   ? awsd::v1::WaitResponse::STATE_SUCCESS
                        : verdict.outcome == Outcome::kFailure ? awsd::v1::WaitResponse::STATE_FAILURE
                                                               : awsd::v1::WaitResponse::STATE_TIMEOUT);
      reply_->set_reason(verdict.reason);
      if (verdict.outcome != Outcome::kSuccess) {
        reply_->set_message(waiters::WaiterErrorMessage(progress_.config().name, verdict.reason));
      }
      return End(grpc::Status::OK);
    }
    bool sleep = false;
    {
      std::lock_guard lock(mutex_);
      // A cancelled call may have answered before the cancel reached it.
      if (!cancelled_) {
        state_ = State::kSleeping;
        ++references_;
        sleep = true;
      }
    }
    if (!sleep) return End(grpc::Status(grpc::CANCELLED, "the client cancelled the waiter"));
    invoker_.transport().RunAfter(std::chrono::seconds(progress_.delay_seconds()), [this] {
      Poll();
      Release();
    });
  }

  void End(grpc::Status status) {
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
    }
    Finish(std::move(status));
  }

  // gRPC holds one reference until OnDone, a Poll in progress one, and a
  // pending timer one: the last to let go deletes the reactor.
  void Release() {
    bool last;
    {
      std::lock_guard lock(mutex_);
      last = --references_ == 0;
    }
    if (last) delete this;
  }

  invoke::Invoker& invoker_;
  CallLimiter::Ticket ticket_;
  const invoke::InvokeCall call_;
  waiters::WaiterProgress progress_;
  awsd::v1::WaitResponse* reply_;

  CallInFlight in_flight_;
  std::mutex mutex_;
  State state_ = State::kCalling;
  bool cancelled_ = false;
  bool finished_ = false;
  int references_ = 1;
};

}  // namespace

grpc::ServerUnaryReactor* StartWait(ServiceContext& context, grpc::CallbackServerContext* call,
                                    const awsd::v1::WaitRequest& request, awsd::v1::WaitResponse* reply) {
  auto refuse = [&](grpc::Status status) {
    grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
    reactor->Finish(std::move(status));
    return reactor;
  };
  CallLimiter::Ticket ticket = context.limiter.TryAcquire();
  if (!ticket)
    return refuse(grpc::Status(grpc::RESOURCE_EXHAUSTED, "too many calls in flight (limits.max_concurrent_calls)"));
  if (context.invoker == nullptr) return refuse(grpc::Status(grpc::FAILED_PRECONDITION, kNoModelsMessage));
  if (request.delay_seconds() < 0 || request.max_attempts() < 0) {
    return refuse(grpc::Status(grpc::INVALID_ARGUMENT, "delay_seconds and max_attempts must not be negative"));
  }
  auto waiter = waiters::FindServiceWaiter(context.invoker->models(), request.service(), request.waiter());
  if (!waiter.ok()) return refuse(ToGrpcStatus(waiter.status()));
  auto invoke_call = ToInvokeCall(context, call, request.session(), request.service(), waiter->operation,
                                  request.params_json(), request.options());
  if (!invoke_call.ok()) return refuse(ToGrpcStatus(invoke_call.status()));
  invoke_call->settings = ToCallSettings(awsd::v1::TIMESTAMP_FORMAT_ISO8601, request.options());
  waiters::WaiterProgress progress(*std::move(waiter), request.delay_seconds(), request.max_attempts());
  auto* reactor =
      new WaitReactor(*context.invoker, std::move(ticket), *std::move(invoke_call), std::move(progress), reply);
  reactor->Poll();
  return reactor;
}

}  // namespace awsd::server
