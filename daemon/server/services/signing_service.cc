#include "daemon/server/services/signing_service.h"

#include "absl/strings/str_cat.h"
#include "daemon/server/services/session_resolution.h"
#include "daemon/server/services/unary_call.h"
#include "google/protobuf/util/time_util.h"

namespace awsd::server {
namespace {

using google::protobuf::util::TimeUtil;

std::chrono::system_clock::time_point ToTimePoint(const google::protobuf::Timestamp& ts) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(TimeUtil::TimestampToNanoseconds(ts))));
}

google::protobuf::Timestamp ToTimestamp(std::chrono::system_clock::time_point tp) {
  return TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(tp.time_since_epoch()).count());
}

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
  params.time = request.has_signing_time() ? ToTimePoint(request.signing_time()) : std::chrono::system_clock::now();
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

void FromHttpRequest(const http::HttpRequest& request, awsd::v1::HttpRequest* out) {
  out->set_method(request.method);
  out->set_url(request.url);
  out->set_body(request.body);
  for (const auto& header : request.headers) {
    auto* h = out->add_headers();
    h->set_name(header.name);
    h->set_value(header.value);
  }
}

void ToSignResult(const absl::Status& status, awsd::v1::SignResponse&& response, awsd::v1::SignResult* result) {
  if (status.ok()) {
    *result->mutable_response() = std::move(response);
  } else {
    result->mutable_error()->set_code(static_cast<int32_t>(status.code()));
    result->mutable_error()->set_message(std::string(status.message()));
  }
}

// Answers a SignStream one result per request, in order: read, sign, write,
// read again. One outstanding read or write at a time keeps the order and
// bounds the memory a fast sender can make the daemon hold.
class SignStreamReactor : public grpc::ServerBidiReactor<awsd::v1::SignRequest, awsd::v1::SignResult> {
 public:
  SignStreamReactor(SigningServiceImpl& service, CallLimiter::Ticket ticket)
      : service_(service), ticket_(std::move(ticket)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    result_.Clear();
    awsd::v1::SignResponse response;
    absl::Status status = service_.SignOne(request_, &response);
    ToSignResult(status, std::move(response), &result_);
    StartWrite(&result_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::CANCELLED, "the client went away"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  SigningServiceImpl& service_;
  CallLimiter::Ticket ticket_;
  awsd::v1::SignRequest request_;
  awsd::v1::SignResult result_;
};

}  // namespace

absl::Status SigningServiceImpl::SignOne(const awsd::v1::SignRequest& request, awsd::v1::SignResponse* reply) {
  auto params = ToSigningParams(request);
  if (!params.ok()) return params.status();
  auto session = ResolveSession(context_.sessions, request.session());
  if (!session.ok()) return session.status();
  auto credentials = (*session)->Credentials();
  if (!credentials.ok()) return credentials.status();
  auto signed_request = context_.signer.Sign(ToHttpRequest(request.request()), **credentials, *params);
  if (!signed_request.ok()) return signed_request.status();

  FromHttpRequest(signed_request->request, reply->mutable_request());
  reply->set_canonical_request(std::move(signed_request->canonical_request));
  reply->set_string_to_sign(std::move(signed_request->string_to_sign));
  reply->set_signature(std::move(signed_request->signature));
  if ((*credentials)->expiration) *reply->mutable_credentials_expiration() = ToTimestamp(*(*credentials)->expiration);
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
  return RunUnary(call, context_.limiter, [&] { return SignOne(*request, reply); });
}

grpc::ServerUnaryReactor* SigningServiceImpl::SignBatch(grpc::CallbackServerContext* call,
                                                        const awsd::v1::SignBatchRequest* request,
                                                        awsd::v1::SignBatchResponse* reply) {
  return RunUnary(call, context_.limiter, [&] {
    reply->mutable_results()->Reserve(request->requests_size());
    for (const auto& one : request->requests()) {
      awsd::v1::SignResponse response;
      absl::Status status = SignOne(one, &response);
      ToSignResult(status, std::move(response), reply->add_results());
    }
    return absl::OkStatus();
  });
}

grpc::ServerBidiReactor<awsd::v1::SignRequest, awsd::v1::SignResult>* SigningServiceImpl::SignStream(
    grpc::CallbackServerContext*) {
  CallLimiter::Ticket ticket = context_.limiter.TryAcquire();
  if (!ticket) {
    class Refused : public grpc::ServerBidiReactor<awsd::v1::SignRequest, awsd::v1::SignResult> {
     public:
      Refused() { Finish(grpc::Status(grpc::RESOURCE_EXHAUSTED, "too many calls in flight (limits.max_concurrent_calls)")); }
      void OnDone() override { delete this; }
    };
    return new Refused();
  }
  return new SignStreamReactor(*this, std::move(ticket));
}

grpc::ServerUnaryReactor* SigningServiceImpl::SignChunk(grpc::CallbackServerContext* call,
                                                        const awsd::v1::SignChunkRequest* request,
                                                        awsd::v1::SignChunkResponse* reply) {
  return RunUnary(call, context_.limiter, [&]() -> absl::Status {
    auto session = ResolveSession(context_.sessions, request->session());
    if (!session.ok()) return session.status();
    auto credentials = (*session)->Credentials();
    if (!credentials.ok()) return credentials.status();
    signing::SigningParams params;
    params.service = request->service();
    params.region = request->region();
    params.time = ToTimePoint(request->signing_time());
    if (!request->has_signing_time()) return absl::InvalidArgumentError("signing_time: required, the seed request's");
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
