#include "daemon/server/services/signing_service.h"

#include <deque>
#include <latch>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "daemon/server/services/authorization.h"
#include "daemon/server/services/session_resolution.h"
#include "daemon/server/services/unary_call.h"
#include "daemon/server/services/time_conversion.h"

namespace awsd::server {
namespace {

// What the signer accepts (1970 ..) within what the clock holds (.. 2262).
constexpr const char* kSigningTimeRange = "signing_time: must be between 1970 and 2262";

absl::StatusOr<signing::SigningParams> ToSigningParams(const awsd::v1::SignRequest& request) {
  signing::SigningParams params;
  switch (request.algorithm()) {
    case awsd::v1::SIGNING_ALGORITHM_UNSPECIFIED:
    case awsd::v1::SIGNING_ALGORITHM_SIGV4: params.algorithm = signing::Algorithm::kSigV4; break;
    case awsd::v1::SIGNING_ALGORITHM_SIGV4A: params.algorithm = signing::Algorithm::kSigV4a; break;
    default: return absl::InvalidArgumentError(absl::StrCat("algorithm: unknown value ", request.algorithm()));
  }
  switch (request.payload_signing()) {
    case awsd::v1::PAYLOAD_SIGNING_UNSPECIFIED:
    case awsd::v1::PAYLOAD_SIGNING_SIGNED: params.payload = signing::PayloadSigning::kSigned; break;
    case awsd::v1::PAYLOAD_SIGNING_UNSIGNED: params.payload = signing::PayloadSigning::kUnsigned; break;
    case awsd::v1::PAYLOAD_SIGNING_STREAMING: params.payload = signing::PayloadSigning::kStreaming; break;
    default: return absl::InvalidArgumentError(absl::StrCat("payload_signing: unknown value ", request.payload_signing()));
  }
  params.service = request.service();
  params.region = request.region();
  params.time = std::chrono::system_clock::now();
  if (request.has_signing_time()) {
    auto time = ToTimePoint(request.signing_time());
    if (!time.has_value()) return absl::InvalidArgumentError(kSigningTimeRange);
    params.time = *time;
  }
  params.location = request.presign() ? signing::SignatureLocation::kQueryString : signing::SignatureLocation::kHeaders;
  if (request.expires_seconds() != 0) params.expires_seconds = request.expires_seconds();
  params.content_sha256_header = request.content_sha256_header();
  params.normalize_path = !request.disable_path_normalization();
  params.double_encode_path = !request.disable_double_encoding();
  return params;
}

http::HttpRequest ToHttpRequest(const awsd::v1::HttpRequest& request) {
  http::HttpRequest out;
  out.method = request.method();
  out.url = request.url();
  out.body = request.body();
  out.headers.reserve(request.headers_size());
  for (const auto& header : request.headers()) out.headers.push_back({header.name(), header.value()});
  return out;
}

// Everything but the body, which the caller already has.
void FromSignedRequest(const http::HttpRequest& request, awsd::v1::HttpRequest* out) {
  out->set_method(request.method);
  out->set_url(request.url);
  for (const auto& header : request.headers) {
    auto* h = out->add_headers();
    h->set_name(header.name);
    h->set_value(header.value);
  }
}

// Records a failed request in its result; setting the error member of the
// oneof drops any partial response.
void SetError(const absl::Status& status, awsd::v1::SignResult* result) {
  result->mutable_error()->set_code(static_cast<int32_t>(status.code()));
  result->mutable_error()->set_message(std::string(status.message()));
}

// Signs straight into the result's slot: a batch's results live on the
// call's arena, where moving a message in from the stack would copy it.
void SignInto(SigningServiceImpl& service, const awsd::v1::SignRequest& request, awsd::v1::SignResult* result,
              const grpc::ServerContextBase* caller) {
  absl::Status status = service.SignOne(request, result->mutable_response(), caller);
  if (!status.ok()) SetError(status, result);
}


// The credentials of a request's session, once the policy lets `caller`
// sign with it.
absl::StatusOr<std::shared_ptr<const credentials::Credentials>> ResolveCredentials(ServiceContext& context,
                                                                                const grpc::ServerContextBase* caller,
                                                                                const awsd::v1::SessionRef& ref,
                                                                                const std::string& service) {
  auto session = ResolveSession(context.sessions, ref);
  if (!session.ok()) return session.status();
  if (auto allowed = Authorize(context, caller, security::Action::Sign((*session)->profile(), service));
      !allowed.ok()) {
    return allowed;
  }
  return (*session)->Credentials();
}

// Answers a SignStream one result per request, in order. Reading and
// writing overlap: the next request is read and signed while earlier results
// are still being written, so a client with many requests in flight is not
// held to one round trip each. At most kMaxQueued results wait to be written;
// past that, reading pauses, which bounds what a fast sender can make the
// daemon hold.
class SignStreamReactor : public grpc::ServerBidiReactor<awsd::v1::SignRequest, awsd::v1::SignResult> {
 public:
  SignStreamReactor(SigningServiceImpl& service, const grpc::ServerContextBase* caller, CallLimiter::Ticket ticket)
      : service_(service), caller_(caller), ticket_(std::move(ticket)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      bool finish;
      {
        std::lock_guard lock(mutex_);
        reads_done_ = true;
        finish = !writing_ && queued_.empty() && !finished_;
        finished_ = finished_ || finish;
      }
      if (finish) Finish(grpc::Status::OK);
      return;
    }
    awsd::v1::SignResult result;
    SignInto(service_, request_, &result, caller_);
    bool start_write = false, read_more = false;
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      queued_.push_back(std::move(result));
      if (!writing_) {
        writing_ = true;
        start_write = true;
        writing_now_ = std::move(queued_.front());
        queued_.pop_front();
      }
      read_more = queued_.size() < kMaxQueued;
      read_paused_ = !read_more;
    }
    if (start_write) StartWrite(&writing_now_);
    if (read_more) StartRead(&request_);
  }

  void OnWriteDone(bool ok) override {
    bool start_write = false, resume_read = false, finish = false;
    grpc::Status status = grpc::Status::OK;
    {
      std::lock_guard lock(mutex_);
      if (!ok) {
        finish = !finished_;
        finished_ = true;
        status = grpc::Status(grpc::CANCELLED, "the client went away");
      } else if (!queued_.empty()) {
        writing_now_ = std::move(queued_.front());
        queued_.pop_front();
        start_write = true;
        if (read_paused_ && !reads_done_) {
          read_paused_ = false;
          resume_read = true;
        }
      } else {
        writing_ = false;
        finish = reads_done_ && !finished_;
        finished_ = finished_ || finish;
      }
    }
    if (start_write) StartWrite(&writing_now_);
    if (resume_read) StartRead(&request_);
    if (finish) Finish(status);
  }

  void OnDone() override { delete this; }

 private:
  static constexpr std::size_t kMaxQueued = 256;

  SigningServiceImpl& service_;
  const grpc::ServerContextBase* caller_;
  CallLimiter::Ticket ticket_;
  // One read is outstanding at a time and each request is signed before the
  // next read starts, so request_ is reused.
  awsd::v1::SignRequest request_;
  std::mutex mutex_;
  awsd::v1::SignResult writing_now_;
  std::deque<awsd::v1::SignResult> queued_;
  bool writing_ = false;
  bool read_paused_ = false;
  bool reads_done_ = false;
  bool finished_ = false;
};

}  // namespace

SigningServiceImpl::SigningServiceImpl(ServiceContext& context) : context_(context) {
  SetMessageAllocatorFor_SignBatch(&batch_allocator_);
}

absl::Status SigningServiceImpl::SignOne(const awsd::v1::SignRequest& request, awsd::v1::SignResponse* reply,
                                         const grpc::ServerContextBase* caller) {
  auto credentials = ResolveCredentials(context_, caller, request.session(), request.service());
  if (!credentials.ok()) return credentials.status();
  return SignWith(request, **credentials, reply);
}

absl::Status SigningServiceImpl::SignWith(const awsd::v1::SignRequest& request,
                                          const credentials::Credentials& credentials, awsd::v1::SignResponse* reply) {
  auto params = ToSigningParams(request);
  if (!params.ok()) return params.status();
  auto signed_request = context_.signer.Sign(ToHttpRequest(request.request()), credentials, *params);
  if (!signed_request.ok()) return signed_request.status();

  FromSignedRequest(signed_request->request, reply->mutable_request());
  if (request.include_signing_steps()) {
    reply->set_canonical_request(std::move(signed_request->canonical_request));
    reply->set_string_to_sign(std::move(signed_request->string_to_sign));
  }
  reply->set_signature(std::move(signed_request->signature));
  if (credentials.expiration) *reply->mutable_credentials_expiration() = ToTimestamp(*credentials.expiration);
  for (auto& warning : signed_request->warnings) {
    auto* w = reply->add_warnings();
    w->set_code(std::move(warning.code));
    w->set_message(std::move(warning.message));
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* SigningServiceImpl::Sign(grpc::CallbackServerContext* call,
                                                   const awsd::v1::SignRequest* request,
                                                   awsd::v1::SignResponse* reply) {
  return RunUnary(call, context_.limiter, [&] { return SignOne(*request, reply, call); });
}

grpc::ServerUnaryReactor* SigningServiceImpl::SignBatch(grpc::CallbackServerContext* call,
                                                        const awsd::v1::SignBatchRequest* request,
                                                        awsd::v1::SignBatchResponse* reply) {
  return RunUnary(call, context_.limiter, [&] {
    const int count = request->requests_size();
    if (count == 0) return absl::OkStatus();
    for (int i = 0; i < count; ++i) reply->add_results();
    // A batch usually names one session: resolve its credentials once for
    // every request that names it by id (the batch signs at one instant).
    const awsd::v1::SessionRef& first = request->requests(0).session();
    absl::StatusOr<std::shared_ptr<const credentials::Credentials>> shared = absl::UnknownError("unresolved");
    // A refusal here sends every request the long way, each refused alone.
    if (first.kind_case() == awsd::v1::SessionRef::kSessionId) {
      shared = ResolveCredentials(context_, call, first, request->requests(0).service());
    }
    auto sign_range = [&](int begin, int end) {
      for (int i = begin; i < end; ++i) {
        const awsd::v1::SignRequest& one = request->requests(i);
        awsd::v1::SignResult* result = reply->mutable_results(i);
        bool same_session = shared.ok() && one.session().kind_case() == awsd::v1::SessionRef::kSessionId &&
                            one.session().session_id() == first.session_id();
        if (!same_session) {
          SignInto(*this, one, result, call);
          continue;
        }
        absl::Status status = SignWith(one, **shared, result->mutable_response());
        if (!status.ok()) SetError(status, result);
      }
    };
    // Signing is CPU work and the caller is idle until the whole batch is
    // back, so a large batch is spread over the pool's cores; each part
    // writes only its own results.
    constexpr int kMinPerPart = 16;
    int parts = std::min<int>(static_cast<int>(context_.workers.size()) + 1, count / kMinPerPart);
    if (parts <= 1) {
      sign_range(0, count);
      return absl::OkStatus();
    }
    std::latch done(parts - 1);
    int per_part = (count + parts - 1) / parts;
    for (int part = 1; part < parts; ++part) {
      context_.workers.Submit([&, part] {
        sign_range(part * per_part, std::min(count, (part + 1) * per_part));
        done.count_down();
      });
    }
    sign_range(0, per_part);
    done.wait();
    return absl::OkStatus();
  });
}

grpc::ServerBidiReactor<awsd::v1::SignRequest, awsd::v1::SignResult>* SigningServiceImpl::SignStream(
    grpc::CallbackServerContext* call) {
  CallLimiter::Ticket ticket = context_.limiter.TryAcquire();
  if (!ticket) {
    class Refused : public grpc::ServerBidiReactor<awsd::v1::SignRequest, awsd::v1::SignResult> {
     public:
      Refused() { Finish(grpc::Status(grpc::RESOURCE_EXHAUSTED, "too many calls in flight (limits.max_concurrent_calls)")); }
      void OnDone() override { delete this; }
    };
    return new Refused();
  }
  return new SignStreamReactor(*this, call, std::move(ticket));
}

grpc::ServerUnaryReactor* SigningServiceImpl::SignChunk(grpc::CallbackServerContext* call,
                                                        const awsd::v1::SignChunkRequest* request,
                                                        awsd::v1::SignChunkResponse* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    auto session = ResolveSession(context_.sessions, request->session());
    if (!session.ok()) return session.status();
    if (auto allowed = Authorize(context_, call, security::Action::Sign((*session)->profile(), request->service()));
        !allowed.ok()) {
      return allowed;
    }
    auto credentials = (*session)->Credentials();
    if (!credentials.ok()) return credentials.status();
    signing::SigningParams params;
    params.service = request->service();
    params.region = request->region();
    if (!request->has_signing_time()) return absl::InvalidArgumentError("signing_time: required, the seed request's");
    auto time = ToTimePoint(request->signing_time());
    if (!time.has_value()) return absl::InvalidArgumentError(kSigningTimeRange);
    params.time = *time;
    std::string string_to_sign;
    auto signature = context_.signer.SignChunk(request->previous_signature(), request->chunk(), **credentials, params,
                                               &string_to_sign);
    if (!signature.ok()) return signature.status();
    reply->set_signature(*std::move(signature));
    reply->set_string_to_sign(std::move(string_to_sign));
    return absl::OkStatus();
  });
}

}  // namespace awsd::server
