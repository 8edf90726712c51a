#include "awsd/client.h"

#include "absl/status/status.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "awsd/v1/credentials.grpc.pb.h"
#include "awsd/v1/daemon.grpc.pb.h"
#include "awsd/v1/invoke.grpc.pb.h"
#include "awsd/v1/resources.grpc.pb.h"
#include "awsd/v1/session.grpc.pb.h"
#include "awsd/v1/signing.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "call_status.h"
#include "invoke_session_pool.h"

namespace awsd {
namespace {

using internal::SetDeadline;
using internal::ToError;

// Runs one unary RPC with the client's deadline and error mapping.
template <typename Reply, typename Call>
Result<Reply> Unary(std::chrono::milliseconds timeout, CallSettings settings, const std::string& socket_path,
                    Call&& call) {
  grpc::ClientContext context;
  SetDeadline(context, timeout, settings);
  Reply reply;
  grpc::Status status = call(&context, &reply);
  if (!status.ok()) return ToError(status, socket_path);
  return reply;
}

// An answer carrying AWS's error becomes an Error with service_error set.
Result<awsd::v1::InvokeResponse> WithServiceError(Result<awsd::v1::InvokeResponse> reply) {
  if (reply.ok() && reply->has_error()) {
    Error error;
    error.code = grpc::StatusCode::OK;
    error.message = reply->error().message();
    error.service_error = reply->error();
    return error;
  }
  return reply;
}

}  // namespace


std::string Error::ToString() const {
  if (service_error) return "(" + service_error->code() + ") " + service_error->message();
  if (daemon_unreachable) return message;
  // gRPC and absl number their codes alike, and absl names them.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code)) + ": " + message;
}

Session Session::Inline(const awsd::v1::SessionSpec& spec) {
  awsd::v1::SessionRef ref;
  *ref.mutable_spec() = spec;
  return Session(std::move(ref));
}

Session Session::FromId(const std::string& session_id) {
  awsd::v1::SessionRef ref;
  ref.set_session_id(session_id);
  return Session(std::move(ref));
}

Client::Client(ClientOptions options)
    : socket_path_(ResolveSocketPath(options.socket_path)), timeout_(options.timeout) {
  grpc::ChannelArguments args;
  // Replies are bounded by the daemon's own limit; the client accepts them.
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  // No bandwidth-delay probing: on a Unix socket it only costs a PING and
  // WINDOW_UPDATE frames (a write here, a wake-up in the daemon) per message.
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  channel_ = grpc::CreateCustomChannel("unix:" + socket_path_, grpc::InsecureChannelCredentials(), args);
  invoke_sessions_ = std::make_shared<internal::InvokeSessionPool>(channel_);
}

Result<std::string> Client::Health(const std::string& service, CallSettings settings) const {
  auto reply = Unary<grpc::health::v1::HealthCheckResponse>(
      timeout_, settings, socket_path_, [&](grpc::ClientContext* context, auto* out) {
        grpc::health::v1::HealthCheckRequest request;
        request.set_service(service);
        return grpc::health::v1::Health::NewStub(channel_)->Check(context, request, out);
      });
  if (!reply.ok()) return reply.error();
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(reply->status());
}

Result<awsd::v1::DaemonInfo> Client::GetDaemonInfo(CallSettings settings) const {
  return Unary<awsd::v1::DaemonInfo>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    return awsd::v1::DaemonService::NewStub(channel_)->GetDaemonInfo(context, {}, out);
  });
}

Result<Done> Client::Ping(CallSettings settings) const {
  auto reply = Unary<awsd::v1::PingResponse>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    return awsd::v1::DaemonService::NewStub(channel_)->Ping(context, {}, out);
  });
  if (!reply.ok()) return reply.error();
  return Done{};
}

Result<awsd::v1::Session> Client::CreateSession(const awsd::v1::SessionSpec& spec, CallSettings settings) const {
  return Unary<awsd::v1::Session>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    awsd::v1::CreateSessionRequest request;
    *request.mutable_spec() = spec;
    return awsd::v1::SessionService::NewStub(channel_)->CreateSession(context, request, out);
  });
}

Result<Done> Client::CloseSession(const std::string& session_id, CallSettings settings) const {
  auto reply = Unary<awsd::v1::CloseSessionResponse>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    awsd::v1::CloseSessionRequest request;
    request.set_session_id(session_id);
    return awsd::v1::SessionService::NewStub(channel_)->CloseSession(context, request, out);
  });
  if (!reply.ok()) return reply.error();
  return Done{};
}

Result<awsd::v1::CredentialInfo> Client::GetCredentialInfo(const Session& session, CallSettings settings) const {
  return Unary<awsd::v1::CredentialInfo>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    awsd::v1::GetCredentialInfoRequest request;
    *request.mutable_session() = session.ref();
    return awsd::v1::CredentialService::NewStub(channel_)->GetCredentialInfo(context, request, out);
  });
}

Result<awsd::v1::ExportedCredentials> Client::ExportCredentials(const Session& session, CallSettings settings) const {
  return Unary<awsd::v1::ExportedCredentials>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    awsd::v1::ExportCredentialsRequest request;
    *request.mutable_session() = session.ref();
    return awsd::v1::CredentialService::NewStub(channel_)->ExportCredentials(context, request, out);
  });
}

Result<awsd::v1::SignResponse> Client::Sign(const Session& session, awsd::v1::SignRequest request,
                                            CallSettings settings) const {
  *request.mutable_session() = session.ref();
  return Unary<awsd::v1::SignResponse>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    return awsd::v1::SigningService::NewStub(channel_)->Sign(context, request, out);
  });
}

Result<awsd::v1::SignBatchResponse> Client::SignBatch(const awsd::v1::SignBatchRequest& batch,
                                                      CallSettings settings) const {
  return Unary<awsd::v1::SignBatchResponse>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    return awsd::v1::SigningService::NewStub(channel_)->SignBatch(context, batch, out);
  });
}

Result<awsd::v1::InvokeResponse> Client::Invoke(const Session& session, const std::string& service,
                                                const std::string& operation, const std::string& params_json,
                                                CallSettings settings) const {
  awsd::v1::InvokeRequest request;
  request.set_service(service);
  request.set_operation(operation);
  request.set_params_json(params_json);
  return Invoke(session, std::move(request), settings);
}

Result<awsd::v1::InvokeResponse> Client::Invoke(const Session& session, awsd::v1::InvokeRequest request,
                                                CallSettings settings) const {
  *request.mutable_session() = session.ref();
  const auto deadline = internal::DeadlineOf(timeout_, settings);
  if (auto reply = invoke_sessions_->Invoke(request, deadline, socket_path_)) {
    return WithServiceError(*std::move(reply));
  }
  auto reply = Unary<awsd::v1::InvokeResponse>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    context->set_deadline(deadline);
    return awsd::v1::InvokeService::NewStub(channel_)->Invoke(context, request, out);
  });
  return WithServiceError(std::move(reply));
}

Result<awsd::v1::InvokeResponse> Client::InvokeStreaming(const Session& session, awsd::v1::InvokeRequest request,
                                                         const std::function<std::optional<std::string>()>& read_body,
                                                         int64_t content_length,
                                                         const std::function<bool(std::string_view)>& on_body,
                                                         CallSettings settings) const {
  *request.mutable_session() = session.ref();
  grpc::ClientContext context;
  SetDeadline(context, timeout_, settings);
  auto stream = awsd::v1::InvokeService::NewStub(channel_)->InvokeStream(&context);
  awsd::v1::InvokeStreamRequest first;
  *first.mutable_call() = std::move(request);
  if (content_length >= 0) first.set_content_length(content_length);
  bool writing = stream->Write(first);
  if (writing && read_body) {
    awsd::v1::InvokeStreamRequest piece;
    while (writing) {
      std::optional<std::string> chunk = read_body();
      if (!chunk.has_value()) {
        piece.set_end_of_body(true);
        writing = stream->Write(piece);
        break;
      }
      if (chunk->empty()) continue;
      *piece.mutable_body_chunk() = std::move(*chunk);
      writing = stream->Write(piece);
    }
  }
  stream->WritesDone();
  awsd::v1::InvokeStreamResponse message;
  awsd::v1::InvokeResponse head;
  bool stopped = false;
  while (stream->Read(&message)) {
    if (message.has_head()) {
      head = std::move(*message.mutable_head());
    } else if (on_body && !stopped && !on_body(message.body_chunk())) {
      stopped = true;
      context.TryCancel();
    }
  }
  grpc::Status status = stream->Finish();
  if (!status.ok() && !(stopped && status.error_code() == grpc::StatusCode::CANCELLED)) {
    return ToError(status, socket_path_);
  }
  return WithServiceError(Result<awsd::v1::InvokeResponse>(std::move(head)));
}

Result<awsd::v1::ServiceDescription> Client::DescribeService(const std::string& service, const std::string& operation,
                                                             CallSettings settings) const {
  awsd::v1::DescribeServiceRequest request;
  request.set_service(service);
  request.set_operation(operation);
  return DescribeService(request, settings);
}

Result<awsd::v1::ServiceDescription> Client::DescribeService(const awsd::v1::DescribeServiceRequest& request,
                                                             CallSettings settings) const {
  return Unary<awsd::v1::ServiceDescription>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    return awsd::v1::InvokeService::NewStub(channel_)->DescribeService(context, request, out);
  });
}

Result<Done> Client::Paginate(const Session& session, awsd::v1::PaginateRequest request,
                              const std::function<bool(const awsd::v1::Page&)>& on_page, CallSettings settings) const {
  PageRange pages = Pages(session, std::move(request), settings);
  for (const awsd::v1::Page& page : pages) {
    if (!on_page(page)) return Done{};  // the range cancels the rest
  }
  return pages.status();
}

Result<awsd::v1::WaitResponse> Client::Wait(const Session& session, awsd::v1::WaitRequest request,
                                            CallSettings settings) const {
  *request.mutable_session() = session.ref();
  return Unary<awsd::v1::WaitResponse>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    return awsd::v1::InvokeService::NewStub(channel_)->Wait(context, request, out);
  });
}

Result<awsd::v1::ResourceModel> Client::DescribeResources(const std::string& service, CallSettings settings) const {
  awsd::v1::DescribeResourcesRequest request;
  request.set_service(service);
  return Unary<awsd::v1::ResourceModel>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    return awsd::v1::ResourceModelService::NewStub(channel_)->DescribeResources(context, request, out);
  });
}

Result<awsd::v1::PresignResponse> Client::Presign(const Session& session, awsd::v1::PresignRequest request,
                                                  CallSettings settings) const {
  *request.mutable_session() = session.ref();
  return Unary<awsd::v1::PresignResponse>(timeout_, settings, socket_path_, [&](auto* context, auto* out) {
    return awsd::v1::InvokeService::NewStub(channel_)->Presign(context, request, out);
  });
}

}  // namespace awsd
