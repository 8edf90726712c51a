#include "daemon/server/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server_builder.h>

#include "daemon/server/call_logging_interceptor.h"
#include "spdlog/spdlog.h"

namespace awsd::server {
namespace {

constexpr const char* kServiceNames[] = {
    "awsd.v1.DaemonService", "awsd.v1.SessionService",       "awsd.v1.CredentialService",    "awsd.v1.SigningService",
    "awsd.v1.InvokeService", "awsd.v1.InvokeSessionService", "awsd.v1.ResourceModelService",
};

}  // namespace

GrpcServer::GrpcServer(ServiceContext& context)
    : daemon_service_(context),
      session_service_(context),
      credential_service_(context),
      signing_service_(context),
      invoke_service_(context),
      invoke_session_service_(context),
      resource_model_service_(context) {}

GrpcServer::~GrpcServer() {
  if (server_) Shutdown(std::chrono::milliseconds(0));
}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(ServiceContext& context, const PeerTable& peers,
                                                              const GrpcServerOptions& options) {
  // Process-wide switches: set before the first server is built.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<GrpcServer> self(new GrpcServer(context));
  grpc::ServerBuilder builder;
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  // No bandwidth-delay probing: on a Unix socket it only costs a PING and
  // WINDOW_UPDATE frames (a write here, a wake-up in the client) per message.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  builder.RegisterService(&self->daemon_service_);
  builder.RegisterService(&self->session_service_);
  builder.RegisterService(&self->credential_service_);
  builder.RegisterService(&self->signing_service_);
  builder.RegisterService(&self->invoke_service_);
  builder.RegisterService(&self->invoke_session_service_);
  builder.RegisterService(&self->resource_model_service_);

  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<CallLoggingInterceptorFactory>(peers, context.gate));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  self->server_ = builder.BuildAndStart();
  if (!self->server_) return absl::InternalError("the gRPC server did not start");
  self->SetServing(true);
  return self;
}

void GrpcServer::SetServing(bool serving) {
  auto* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(serving);
  for (const char* name : kServiceNames) health->SetServingStatus(name, serving);
}

void GrpcServer::Shutdown(std::chrono::milliseconds drain) {
  if (!server_) return;
  SetServing(false);
  // Idle InvokeSession streams would otherwise hold the drain to its end.
  invoke_session_service_.BeginShutdown();
  server_->Shutdown(std::chrono::system_clock::now() + drain);
  server_->Wait();
  server_.reset();
  spdlog::debug("gRPC server stopped");
}

}  // namespace awsd::server
