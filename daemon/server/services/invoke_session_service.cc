#include "daemon/server/services/invoke_session_service.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/server/call_metrics.h"
#include "daemon/server/services/invoke_replies.h"
#include "daemon/server/status_conversion.h"
#include "spdlog/spdlog.h"

namespace awsd::server {

using Request = awsd::v1::InvokeSessionRequest;
using Response = awsd::v1::InvokeSessionResponse;

namespace {

// The unary Invoke's wording (invoke_service.cc), so both paths answer alike.
constexpr const char* kNoModels =
    "no service models: point --models-dir, [models] dirs or AWSD_MODELS_DIR at botocore's data folder";

// Each call on a stream is counted and logged as this method's would be.
constexpr std::string_view kInvokeMethod = "awsd.v1.InvokeService/Invoke";

void SetStatus(const absl::Status& status, Response& response) {
  response.set_status_code(static_cast<int32_t>(status.code()));
  if (!status.ok()) response.set_status_message(std::string(status.message()));
}

}  // namespace

// One stream. Reads one message at a time, starts each call as it arrives,
// and writes each answer when its call ends (one write in flight; the rest
// queue). gRPC requires Finish even after a cancellation, so the stream
// finishes once nothing is in flight and no more calls can come: the client
// closed its side, the stream was cancelled, or the daemon is draining.
//
// Lifetime: a reference for gRPC (dropped in OnDone), one per call in flight
// (dropped after its answer is queued) and one while BeginShutdown holds it.
class InvokeSessionReactor : public grpc::ServerBidiReactor<Request, Response> {
 public:
  InvokeSessionReactor(ServiceContext& context, InvokeSessionServiceImpl& owner, grpc::CallbackServerContext* call)
      : context_(context), owner_(owner), call_(call) {
    if (auto peer = context_.peers.Lookup(call->peer())) {
      pid_ = peer->pid;
      uid_ = static_cast<long>(peer->uid);
    }
  }

  void Start() {
    if (!owner_.Add(this)) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the daemon is shutting down"));
      return;
    }
    registered_ = true;
    StartRead(&request_);
  }

  void Ref() { references_.fetch_add(1, std::memory_order_relaxed); }
  void Unref() {
    if (references_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // From InvokeSessionServiceImpl::BeginShutdown.
  void Drain() {
    bool finish;
    {
      std::lock_guard lock(mutex_);
      draining_ = true;
      finish = ShouldFinishLocked();
    }
    if (finish) Finish(grpc::Status::OK);
  }

  void OnReadDone(bool ok) override {
    bool take = false;
    bool refuse = false;
    {
      std::lock_guard lock(mutex_);
      ++in_read_reaction_;
      if (!ok) reads_done_ = true;
      take = ok && !finished_ && !cancelled_;
      refuse = take && draining_;
    }
    if (refuse) {
      // Answered rather than dropped, so the client knows to go elsewhere;
      // no further read: the stream ends once its calls are answered.
      if (!request_.cancel()) Answer(request_.call_id(), absl::UnavailableError("the daemon is shutting down"));
    } else if (take) {
      if (request_.cancel()) {
        CancelOne(request_.call_id());
      } else {
        Begin(request_.call_id(), request_.call());
      }
      // The request was copied out by Begin; the buffer takes the next one.
      // Still counted as in a read reaction, so the stream cannot finish
      // between the decision to read and the read.
      StartRead(&request_);
    }
    bool finish;
    {
      std::lock_guard lock(mutex_);
      --in_read_reaction_;
      finish = ShouldFinishLocked();
    }
    if (finish) Finish(grpc::Status::OK);
  }

  void OnWriteDone(bool ok) override {
    const Response* next = nullptr;
    bool finish = false;
    {
      std::lock_guard lock(mutex_);
      writes_.pop_front();
      if (!ok) writes_.clear();  // the stream is broken; nobody will read them
      if (writes_.empty()) {
        writing_ = false;
        finish = ShouldFinishLocked();
      } else {
        next = &writes_.front();
      }
    }
    if (next != nullptr) StartWrite(next);
    if (finish) Finish(grpc::Status::OK);
  }

  void OnCancel() override {
    std::vector<std::shared_ptr<invoke::CallHandle>> handles;
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      for (auto& [id, call] : in_flight_) {
        if (call.handle) handles.push_back(call.handle);
        call.cancel_requested = true;
      }
    }
    for (auto& handle : handles) handle->Cancel();
  }

  void OnDone() override {
    if (registered_) owner_.Remove(this);
    Unref();
  }

 private:
  struct InFlight {
    CallLimiter::Ticket ticket;
    std::shared_ptr<invoke::CallHandle> handle;  // null until Invoke returns
    bool cancel_requested = false;
  };

  // Starts one call; its answer is queued when it ends (possibly before
  // this returns, for a call refused at once).
  void Begin(uint64_t id, const awsd::v1::InvokeRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    auto refuse = [&](const absl::Status& status) {
      Record(status, started, request.service(), request.operation());
      Answer(id, status);
    };
    CallLimiter::Ticket ticket = context_.limiter.TryAcquire();
    if (!ticket) {
      return refuse(absl::ResourceExhaustedError("too many calls in flight (limits.max_concurrent_calls)"));
    }
    if (context_.invoker == nullptr) return refuse(absl::FailedPreconditionError(kNoModels));
    auto call = ToInvokeCall(context_, call_, request);
    if (!call.ok()) return refuse(call.status());
    bool duplicate;
    {
      std::lock_guard lock(mutex_);
      duplicate = in_flight_.contains(id);
      if (!duplicate) in_flight_.emplace(id, InFlight{std::move(ticket), nullptr, false});
    }
    if (duplicate) return refuse(absl::InvalidArgumentError(absl::StrCat("call_id ", id, " is already in flight")));
    Ref();
    auto handle = context_.invoker->Invoke(*std::move(call), [this, id, started, service = request.service(),
                                                              operation = request.operation()](invoke::CallOutcome outcome) {
      Response response;
      response.set_call_id(id);
      const absl::Status status = ToInvokeResponse(std::move(outcome), response.mutable_reply());
      SetStatus(status, response);
      Record(status, started, service, operation);
      Complete(id, std::move(response));
      Unref();
    });
    bool cancel = false;
    {
      std::lock_guard lock(mutex_);
      if (auto it = in_flight_.find(id); it != in_flight_.end()) {
        it->second.handle = handle;
        cancel = it->second.cancel_requested;
      }
    }
    if (cancel && handle) handle->Cancel();
  }

  void CancelOne(uint64_t id) {
    std::shared_ptr<invoke::CallHandle> handle;
    {
      std::lock_guard lock(mutex_);
      auto it = in_flight_.find(id);
      if (it == in_flight_.end()) return;  // already answered
      it->second.cancel_requested = true;
      handle = it->second.handle;
    }
    if (handle) handle->Cancel();
  }

  // A call that never started. Only from the read reaction, which keeps the
  // stream from finishing meanwhile.
  void Answer(uint64_t id, const absl::Status& status) {
    Response response;
    response.set_call_id(id);
    SetStatus(status, response);
    const Response* write;
    {
      std::lock_guard lock(mutex_);
      write = QueueLocked(std::move(response));
    }
    if (write != nullptr) StartWrite(write);
  }

  // A started call ended.
  void Complete(uint64_t id, Response response) {
    const Response* write = nullptr;
    bool finish = false;
    {
      std::lock_guard lock(mutex_);
      in_flight_.erase(id);  // releases its ticket
      write = QueueLocked(std::move(response));
      if (write == nullptr) finish = ShouldFinishLocked();
    }
    if (write != nullptr) StartWrite(write);
    if (finish) Finish(grpc::Status::OK);
  }

  // Queues an answer; returns it when a write must start now.
  const Response* QueueLocked(Response response) {
    if (cancelled_ || finished_) return nullptr;  // nobody to answer
    writes_.push_back(std::move(response));
    if (writing_) return nullptr;
    writing_ = true;
    return &writes_.front();
  }

  // True once: when the stream must finish now.
  bool ShouldFinishLocked() {
    if (finished_ || in_read_reaction_ > 0 || writing_ || !in_flight_.empty()) return false;
    if (!reads_done_ && !draining_ && !cancelled_) return false;
    finished_ = true;
    return true;
  }

  // The call logging interceptor's line and the call metrics of a unary
  // Invoke, since these calls are not RPCs of their own.
  void Record(const absl::Status& status, std::chrono::steady_clock::time_point started, std::string_view service,
              std::string_view operation) const {
    const auto elapsed = std::chrono::steady_clock::now() - started;
    RecordCallMetrics(kInvokeMethod, service, operation, static_cast<int>(status.code()),
                      std::chrono::duration<double>(elapsed).count());
    if (!spdlog::should_log(spdlog::level::info)) return;
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    if (status.ok()) {
      spdlog::info(
          "call method=/awsd.v1.InvokeService/Invoke via=InvokeSession pid={} uid={} outcome=OK duration_us={}", pid_,
          uid_, micros);
    } else {
      spdlog::info(
          "call method=/awsd.v1.InvokeService/Invoke via=InvokeSession pid={} uid={} outcome={} duration_us={} "
          "message=\"{}\"",
          pid_, uid_, absl::StatusCodeToString(status.code()), micros, std::string(status.message()));
    }
  }

  ServiceContext& context_;
  InvokeSessionServiceImpl& owner_;
  // The stream's RPC: each call on it is put to the policy.
  const grpc::ServerContextBase* call_;
  long pid_ = -1;
  long uid_ = -1;
  bool registered_ = false;
  std::atomic<int> references_{1};
  Request request_;  // the read buffer; read reactions only

  std::mutex mutex_;
  std::unordered_map<uint64_t, InFlight> in_flight_;
  std::deque<Response> writes_;  // front: the write in flight
  bool writing_ = false;
  int in_read_reaction_ = 0;
  bool reads_done_ = false;
  bool draining_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
};

grpc::ServerBidiReactor<Request, Response>* InvokeSessionServiceImpl::InvokeSession(grpc::CallbackServerContext* call) {
  auto* reactor = new InvokeSessionReactor(context_, *this, call);
  reactor->Start();
  return reactor;
}

bool InvokeSessionServiceImpl::Add(InvokeSessionReactor* reactor) {
  std::lock_guard lock(mutex_);
  if (shutting_down_) return false;
  reactors_.insert(reactor);
  return true;
}

void InvokeSessionServiceImpl::Remove(InvokeSessionReactor* reactor) {
  std::lock_guard lock(mutex_);
  reactors_.erase(reactor);
}

void InvokeSessionServiceImpl::BeginShutdown() {
  std::vector<InvokeSessionReactor*> reactors;
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    for (auto* reactor : reactors_) {
      reactor->Ref();  // Remove waits on mutex_, so each is still alive here
      reactors.push_back(reactor);
    }
  }
  // Outside the lock: a finish may run OnDone (and Remove) on this thread.
  for (auto* reactor : reactors) {
    reactor->Drain();
    reactor->Unref();
  }
}

}  // namespace awsd::server
