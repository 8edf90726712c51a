#include "invoke_session_pool.h"

#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>

#include "call_status.h"

namespace awsd::internal {

// One InvokeSession stream, used by one call at a time, driven on the
// calling thread through its own completion queue (as a synchronous call
// is: no other thread is woken for the answer), with a deadline per call.
class InvokeSessionStream {
 public:
  enum class Ending {
    kAnswered,  // `response` holds the call's answer
    kFailed,    // `status` says why; the daemon may have run the call
    kUnsent,    // the stream had ended before the call reached the daemon
  };

  explicit InvokeSessionStream(awsd::v1::InvokeSessionService::Stub& stub) {
    // Corked: the stream's headers leave with the first call, not alone.
    context_.set_initial_metadata_corked(true);
    stream_ = stub.PrepareAsyncInvokeSession(&context_, &queue_);
    stream_->StartCall(nullptr);
  }

  ~InvokeSessionStream() {
    if (usable_) {
      // Closed politely, so the daemon logs an OK stream rather than a
      // cancellation; a daemon that is slow to agree is cancelled.
      stream_->WritesDone(Tag(kWritesDone));
      stream_->Finish(&status_, Tag(kFinish));
      pending_ += 2;
      Drain(std::chrono::system_clock::now() + std::chrono::milliseconds(100));
    }
    if (pending_ > 0) {
      context_.TryCancel();
      Drain(std::chrono::system_clock::time_point::max());
    }
    queue_.Shutdown();
    void* tag;
    bool ok;
    while (queue_.Next(&tag, &ok)) {
    }
  }

  // False once a call failed on it: it is then only fit to be dropped.
  bool usable() const { return usable_; }

  Ending Call(const awsd::v1::InvokeSessionRequest& request, std::chrono::system_clock::time_point deadline,
              awsd::v1::InvokeSessionResponse& response, grpc::Status& status) {
    stream_->Read(&response, Tag(kRead));
    stream_->Write(request, Tag(kWrite));
    pending_ += 2;
    bool read_ok = false;
    bool write_ok = false;
    while (pending_ > 0) {
      void* tag = nullptr;
      bool ok = false;
      const auto next = queue_.AsyncNext(&tag, &ok, deadline);
      if (next != grpc::CompletionQueue::GOT_EVENT) {
        // The caller gives up: the destructor's cancel ends the call in
        // the daemon too.
        usable_ = false;
        status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded");
        return Ending::kFailed;
      }
      --pending_;
      if (tag == Tag(kRead)) read_ok = ok;
      if (tag == Tag(kWrite)) write_ok = ok;
    }
    if (read_ok && response.call_id() == request.call_id()) return Ending::kAnswered;
    usable_ = false;
    // A failed read means the daemon (or the connection) has ended the
    // stream, and its status says why; an answer to another call is a
    // daemon that broke the protocol, and the stream is ended here.
    if (read_ok) context_.TryCancel();
    stream_->Finish(&status_, Tag(kFinish));
    ++pending_;
    if (!Drain(deadline)) {
      status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded");
      return Ending::kFailed;
    }
    status = status_;
    // A write that never left, or a stream the daemon ended (OK) without
    // answering, means the daemon never started this call.
    if (!write_ok || (status_.ok() && !read_ok)) return Ending::kUnsent;
    if (status_.ok()) status = grpc::Status(grpc::StatusCode::INTERNAL, "InvokeSession: an answer to another call");
    return Ending::kFailed;
  }

 private:
  enum Op : intptr_t { kRead = 1, kWrite, kWritesDone, kFinish };
  static void* Tag(Op op) { return reinterpret_cast<void*>(static_cast<intptr_t>(op)); }

  // Waits for every operation started; false at the deadline.
  bool Drain(std::chrono::system_clock::time_point deadline) {
    while (pending_ > 0) {
      void* tag = nullptr;
      bool ok = false;
      if (queue_.AsyncNext(&tag, &ok, deadline) != grpc::CompletionQueue::GOT_EVENT) return false;
      --pending_;
    }
    return true;
  }

  grpc::ClientContext context_;
  grpc::CompletionQueue queue_;
  std::unique_ptr<grpc::ClientAsyncReaderWriter<awsd::v1::InvokeSessionRequest, awsd::v1::InvokeSessionResponse>>
      stream_;
  grpc::Status status_;
  int pending_ = 0;  // operations started and not yet seen on queue_
  bool usable_ = true;
};

InvokeSessionPool::InvokeSessionPool(const std::shared_ptr<grpc::Channel>& channel)
    : stub_(awsd::v1::InvokeSessionService::NewStub(channel)) {}

InvokeSessionPool::~InvokeSessionPool() = default;

std::optional<Result<awsd::v1::InvokeResponse>> InvokeSessionPool::Invoke(
    const awsd::v1::InvokeRequest& call, std::chrono::system_clock::time_point deadline,
    const std::string& socket_path) {
  if (unsupported_.load(std::memory_order_relaxed)) return std::nullopt;
  awsd::v1::InvokeSessionRequest request;
  request.set_call_id(next_call_id_.fetch_add(1, std::memory_order_relaxed));
  // Copied in rather than moved: the request stays the caller's for a
  // retry on the unary path.
  *request.mutable_call() = call;
  awsd::v1::InvokeSessionResponse response;
  grpc::Status status;
  // A stream that sat idle may have ended meanwhile (the daemon drained or
  // restarted); a call it never carried is tried once on a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = false;
    std::unique_ptr<InvokeSessionStream> stream = Take(reused);
    const auto ending = stream->Call(request, deadline, response, status);
    if (ending == InvokeSessionStream::Ending::kAnswered) {
      Give(std::move(stream));
      if (response.status_code() != 0) {
        return Result<awsd::v1::InvokeResponse>(
            ToError(grpc::Status(static_cast<grpc::StatusCode>(response.status_code()), response.status_message()),
                    socket_path));
      }
      return Result<awsd::v1::InvokeResponse>(std::move(*response.mutable_reply()));
    }
    if (ending == InvokeSessionStream::Ending::kUnsent && reused) continue;
    break;
  }
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    unsupported_.store(true, std::memory_order_relaxed);
    return std::nullopt;
  }
  return Result<awsd::v1::InvokeResponse>(ToError(status, socket_path));
}

std::unique_ptr<InvokeSessionStream> InvokeSessionPool::Take(bool& reused) {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto stream = std::move(idle_.back());
      idle_.pop_back();
      reused = true;
      return stream;
    }
  }
  reused = false;
  return std::make_unique<InvokeSessionStream>(*stub_);
}

void InvokeSessionPool::Give(std::unique_ptr<InvokeSessionStream> stream) {
  if (!stream->usable()) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(stream));
}  // an excess stream is closed here, after the lock is released

}  // namespace awsd::internal
