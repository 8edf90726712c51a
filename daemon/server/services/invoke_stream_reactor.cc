#include "daemon/server/services/invoke_stream_reactor.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>

#include "daemon/invoke/invoker.h"
#include "daemon/server/services/invoke_replies.h"
#include "daemon/server/status_conversion.h"
#include "nlohmann/json.hpp"

namespace awsd::server {
namespace {

using Request = awsd::v1::InvokeStreamRequest;
using Response = awsd::v1::InvokeStreamResponse;

// Client bytes held before reading pauses, and result bytes queued for the
// client before the download pauses: together they bound what one stream
// makes the daemon hold.
constexpr std::size_t kMaxUploadBuffered = 8 << 20;
constexpr std::size_t kMaxDownloadQueued = 4 << 20;
// Result chunks are merged up to this size, so a 1 GiB body is a few
// thousand messages rather than one per network read.
constexpr std::size_t kChunkMessageBytes = 256 << 10;

class StreamReactor;

// The upload side, read by the transport's thread.
class UploadBuffer : public http::BodyReader {
 public:
  explicit UploadBuffer(StreamReactor* owner) : owner_(owner) {}
  std::ptrdiff_t Read(std::span<char> out) override;

  // From the reactor (gRPC's threads). True when reading should go on.
  bool Push(std::string chunk);
  void End();
  void Fail();

 private:
  StreamReactor* owner_;
  std::mutex mutex_;
  std::deque<std::string> chunks_;
  std::size_t offset_ = 0;  // into chunks_.front()
  std::size_t buffered_ = 0;
  bool ended_ = false;
  bool failed_ = false;
  bool waiting_ = false;      // the transfer paused on an empty buffer
  bool read_paused_ = false;  // reading the client paused on a full buffer
};

// The download side, fed by the transport's thread.
class DownloadSink : public http::BodyWriter {
 public:
  explicit DownloadSink(StreamReactor* owner) : owner_(owner) {}
  bool OnHead(int status, const std::vector<http::Header>& headers) override;
  WriteResult Write(std::string_view data) override;

 private:
  StreamReactor* owner_;
};

class StreamReactor : public grpc::ServerBidiReactor<Request, Response> {
 public:
  StreamReactor(ServiceContext& context, const grpc::ServerContextBase* call, CallLimiter::Ticket ticket)
      : context_(context), call_(call), ticket_(std::move(ticket)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!started_) {
      if (!ok) return FinishOnce(grpc::Status(grpc::INVALID_ARGUMENT, "the stream closed before the call was sent"));
      return StartCallFromFirstMessage();
    }
    if (!ok) {
      if (upload_) upload_->End();
      return;
    }
    if (!upload_)
      return Abort(grpc::Status(grpc::INVALID_ARGUMENT, "body_chunk: the operation takes no streaming input"));
    switch (request_.part_case()) {
      case Request::kBodyChunk:
        if (upload_->Push(std::move(*request_.mutable_body_chunk()))) StartRead(&request_);
        break;
      case Request::kEndOfBody:
        upload_->End();
        break;
      default:
        Abort(grpc::Status(grpc::INVALID_ARGUMENT, "call: sent twice"));
        break;
    }
  }

  void OnWriteDone(bool ok) override {
    bool resume = false, finish = false;
    Response* next = nullptr;
    grpc::Status status;
    {
      std::lock_guard lock(mutex_);
      writing_ = false;
      queued_bytes_ -= in_flight_bytes_;
      in_flight_bytes_ = 0;
      if (!ok) {
        client_gone_ = true;
        outbox_.clear();
        queued_bytes_ = 0;
      }
      if (download_paused_ && (client_gone_ || queued_bytes_ < kMaxDownloadQueued / 2)) {
        download_paused_ = false;
        resume = true;
      }
      next = TakeNextLocked();
      if (next == nullptr && call_done_ && !finished_) {
        finished_ = true;
        finish = true;
        status = final_status_;
      }
    }
    if (!ok) Cancel();
    if (resume && handle_) handle_->Resume();
    if (next != nullptr) StartWrite(next);
    if (finish) Finish(status);
  }

  void OnCancel() override { Cancel(); }

  void OnDone() override { delete this; }

  // Called by UploadBuffer when it drained below the limit after reading paused.
  void ResumeReading() { StartRead(&request_); }
  // Called by UploadBuffer when data arrived for a waiting transfer.
  void ResumeTransfer() {
    std::shared_ptr<invoke::CallHandle> handle;
    {
      std::lock_guard lock(mutex_);
      handle = handle_;
      if (!handle) resume_when_started_ = true;
    }
    if (handle) handle->Resume();
  }

  // DownloadSink's work, on the transport's thread.
  bool OnHead(int status, const std::vector<http::Header>& headers) {
    if (status < 200 || status >= 300) return false;
    http::HttpResponse head;
    head.status = status;
    head.headers = headers;
    auto reply = prepared_client_->protocol().ParseToClientJson(prepared_client_->model(), *operation_, head,
                                                                protocols::ParseOptions{timestamps_}, 0);
    if (!reply.ok() || reply->is_error) return false;
    Response message;
    auto* invoke = message.mutable_head();
    invoke::CallOutcome outcome;
    outcome.http_status = status;
    outcome.headers = headers;
    // The streaming member is what follows, not part of the head.
    nlohmann::ordered_json result = nlohmann::ordered_json::parse(reply->json, nullptr, false);
    if (result.is_object()) result.erase(streaming_member_);
    outcome.reply.json = result.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    (void)ToInvokeResponse(std::move(outcome), invoke);
    Enqueue(std::move(message), /*body=*/false);
    head_sent_ = true;
    return true;
  }

  http::BodyWriter::WriteResult Write(std::string_view data) {
    Response* next = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (client_gone_) return http::BodyWriter::WriteResult::kFailed;
      if (queued_bytes_ >= kMaxDownloadQueued) {
        download_paused_ = true;
        return http::BodyWriter::WriteResult::kWouldBlock;
      }
      if (outbox_.empty() || outbox_.back().part_case() != Response::kBodyChunk ||
          outbox_.back().body_chunk().size() >= kChunkMessageBytes) {
        outbox_.emplace_back().mutable_body_chunk()->reserve(std::max(data.size(), kChunkMessageBytes));
      }
      outbox_.back().mutable_body_chunk()->append(data.data(), data.size());
      queued_bytes_ += data.size();
      next = TakeNextLocked();
    }
    if (next != nullptr) StartWrite(next);
    return http::BodyWriter::WriteResult::kAccepted;
  }

 private:
  void StartCallFromFirstMessage() {
    started_ = true;
    if (request_.part_case() != Request::kCall) {
      return FinishOnce(grpc::Status(grpc::INVALID_ARGUMENT, "call: the first message must carry the call"));
    }
    if (context_.invoker == nullptr) {
      return FinishOnce(grpc::Status(grpc::FAILED_PRECONDITION, "no service models loaded"));
    }
    auto call = ToInvokeCall(context_, call_, request_.call());
    if (!call.ok()) return FinishOnce(ToGrpcStatus(call.status()));
    auto client =
        context_.invoker->Client(invoke::ClientSpec{call->session, call->service, call->region, call->endpoint_url});
    if (!client.ok()) return FinishOnce(ToGrpcStatus(client.status()));
    auto operation = invoke::FindOperation((*client)->model(), call->operation);
    if (!operation.ok()) return FinishOnce(ToGrpcStatus(operation.status()));
    prepared_client_ = *client;
    operation_ = *operation;
    timestamps_ = call->settings.timestamps;
    const bool streaming_input = operation_->has_streaming_input();
    if (operation_->has_streaming_output()) {
      streaming_member_ = operation_->output->shape->payload;
      call->settings.body_writer = std::make_shared<DownloadSink>(this);
    }
    if (streaming_input) {
      upload_ = std::make_shared<UploadBuffer>(this);
      call->settings.body_reader = upload_;
      if (request_.content_length() > 0) call->settings.body_length = static_cast<uint64_t>(request_.content_length());
    }
    auto handle = context_.invoker->Invoke(*std::move(call),
                                           [this](invoke::CallOutcome outcome) { OnCallDone(std::move(outcome)); });
    bool resume = false;
    {
      std::lock_guard lock(mutex_);
      handle_ = handle;
      resume = std::exchange(resume_when_started_, false);
    }
    if (resume && handle) handle->Resume();
    if (streaming_input) StartRead(&request_);
  }

  void OnCallDone(invoke::CallOutcome outcome) {
    grpc::Status status = grpc::Status::OK;
    if (!outcome.status.ok()) {
      status = ToGrpcStatus(outcome.status);
    } else if (!head_sent_) {
      Response message;
      status = ToGrpcStatus(ToInvokeResponse(std::move(outcome), message.mutable_head()));
      if (status.ok()) Enqueue(std::move(message), false);
    }
    Response* next = nullptr;
    bool finish = false;
    {
      std::lock_guard lock(mutex_);
      if (abort_status_.has_value()) {
        status = *abort_status_;
        outbox_.clear();
      }
      call_done_ = true;
      final_status_ = status;
      next = TakeNextLocked();
      if (next == nullptr && !writing_ && !finished_) {
        finished_ = true;
        finish = true;
      }
    }
    if (next != nullptr) StartWrite(next);
    if (finish) Finish(status);
  }

  void Enqueue(Response message, bool body) {
    Response* next = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (client_gone_) return;
      if (body) queued_bytes_ += message.body_chunk().size();
      outbox_.push_back(std::move(message));
      next = TakeNextLocked();
    }
    if (next != nullptr) StartWrite(next);
  }

  // The next message to write when none is being written.
  Response* TakeNextLocked() {
    if (writing_ || outbox_.empty()) return nullptr;
    writing_now_ = std::move(outbox_.front());
    outbox_.pop_front();
    in_flight_bytes_ = writing_now_.part_case() == Response::kBodyChunk ? writing_now_.body_chunk().size() : 0;
    writing_ = true;
    return &writing_now_;
  }

  // Ends a call in flight with `status`; the call's completion finishes
  // the RPC, so nothing the transport holds outlives the reactor.
  void Abort(grpc::Status status) {
    {
      std::lock_guard lock(mutex_);
      if (!abort_status_.has_value()) abort_status_ = std::move(status);
    }
    Cancel();
  }

  void Cancel() {
    std::shared_ptr<invoke::CallHandle> handle;
    {
      std::lock_guard lock(mutex_);
      handle = handle_;
    }
    if (upload_) upload_->Fail();
    if (handle) handle->Cancel();
  }

  void FinishOnce(grpc::Status status) {
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
    }
    Finish(std::move(status));
  }

  ServiceContext& context_;
  // The RPC, for the policy's check of the call it carries.
  const grpc::ServerContextBase* call_;
  CallLimiter::Ticket ticket_;
  Request request_;
  bool started_ = false;
  std::shared_ptr<const invoke::ServiceClient> prepared_client_;
  const model::Operation* operation_ = nullptr;
  protocols::TimestampOutput timestamps_ = protocols::TimestampOutput::kIso8601;
  std::string streaming_member_;
  std::shared_ptr<UploadBuffer> upload_;
  bool head_sent_ = false;

  std::mutex mutex_;
  std::shared_ptr<invoke::CallHandle> handle_;
  bool resume_when_started_ = false;
  std::deque<Response> outbox_;
  Response writing_now_;
  bool writing_ = false;
  std::size_t queued_bytes_ = 0;
  std::size_t in_flight_bytes_ = 0;
  bool download_paused_ = false;
  bool client_gone_ = false;
  bool call_done_ = false;
  bool finished_ = false;
  grpc::Status final_status_;
  std::optional<grpc::Status> abort_status_;
};

std::ptrdiff_t UploadBuffer::Read(std::span<char> out) {
  bool resume_reading = false;
  std::ptrdiff_t result;
  {
    std::lock_guard lock(mutex_);
    if (failed_) return kFailed;
    if (chunks_.empty()) {
      if (ended_) return 0;
      waiting_ = true;
      return kWouldBlock;
    }
    std::size_t copied = 0;
    while (copied < out.size() && !chunks_.empty()) {
      const std::string& front = chunks_.front();
      const std::size_t n = std::min(out.size() - copied, front.size() - offset_);
      std::memcpy(out.data() + copied, front.data() + offset_, n);
      copied += n;
      offset_ += n;
      if (offset_ == front.size()) {
        chunks_.pop_front();
        offset_ = 0;
      }
    }
    buffered_ -= copied;
    if (read_paused_ && buffered_ < kMaxUploadBuffered / 2 && !ended_) {
      read_paused_ = false;
      resume_reading = true;
    }
    result = static_cast<std::ptrdiff_t>(copied);
  }
  if (resume_reading) owner_->ResumeReading();
  return result;
}

bool UploadBuffer::Push(std::string chunk) {
  bool wake = false, more;
  {
    std::lock_guard lock(mutex_);
    buffered_ += chunk.size();
    if (!chunk.empty()) chunks_.push_back(std::move(chunk));
    wake = std::exchange(waiting_, false);
    more = buffered_ < kMaxUploadBuffered;
    read_paused_ = !more;
  }
  if (wake) owner_->ResumeTransfer();
  return more;
}

void UploadBuffer::End() {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
    wake = std::exchange(waiting_, false);
  }
  if (wake) owner_->ResumeTransfer();
}

void UploadBuffer::Fail() {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    failed_ = true;
    wake = std::exchange(waiting_, false);
  }
  if (wake) owner_->ResumeTransfer();
}

bool DownloadSink::OnHead(int status, const std::vector<http::Header>& headers) {
  return owner_->OnHead(status, headers);
}

http::BodyWriter::WriteResult DownloadSink::Write(std::string_view data) { return owner_->Write(data); }

}  // namespace

grpc::ServerBidiReactor<Request, Response>* MakeInvokeStreamReactor(ServiceContext& context,
                                                                    grpc::CallbackServerContext* call) {
  CallLimiter::Ticket ticket = context.limiter.TryAcquire();
  if (!ticket) {
    class Refused : public grpc::ServerBidiReactor<Request, Response> {
     public:
      Refused() {
        Finish(grpc::Status(grpc::RESOURCE_EXHAUSTED, "too many calls in flight (limits.max_concurrent_calls)"));
      }
      void OnDone() override { delete this; }
    };
    return new Refused();
  }
  return new StreamReactor(context, call, std::move(ticket));
}

}  // namespace awsd::server
